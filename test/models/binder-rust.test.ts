import { describe, it, expect } from 'vitest';
import rustDef from '../../model/binder-rust.ts';
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import { ofThread, at, expectShortestViolation } from '../helpers/trace.ts';

const DEFAULTS = { pages: 2, transactions: 2, scans: 3 };
const build = (variant: string, b: Partial<typeof DEFAULTS> = {}) => rustDef.build(variant, { ...DEFAULTS, ...b });

/** Check a bug variant: the property, the exact (shortest) length, confirmed by the interpreter-only BFS. */
const violation = (variant: string, property: string, length: number): Result =>
  expectShortestViolation(() => build(variant), property, length);

describe('binder-rust model', () => {
  it('fixed passes at the default bounds and every action is enabled somewhere', () => {
    const r = runCheck(build('fixed'));
    expect(r.verdict).toBe('pass');
    expect(r.unreachedActions ?? []).toEqual([]);
    expect(r.bounds).toEqual(DEFAULTS);
  });

  it('shrinker-sync-mmput: mmap_read_trylock fails against munmap and the ARef<MmWithUser> drop is an mmput under the lru lock', () => {
    const r = violation('shrinker-sync-mmput', 'sleep-in-atomic', 6);
    expect(r.property?.action).toBe('mmap_read_trylock_failed');
    expect(ofThread(r, 'munmap')).toEqual(['mmap_write_lock']);
    expect(ofThread(r, 'shrinker')).toEqual(['list_lru_walk', 'walk_item_p0', 'shrinker.mmget_not_zero',
      'stable_trylock_mm', 'mmap_read_trylock_failed']);
    expect(at(r, 'munmap', 'mmap_write_lock')).toBeLessThan(at(r, 'shrinker', 'mmap_read_trylock_failed'));
    // The state before the failing step: the walk holds the lru lock (atomic context).
    const before = r.trace!.steps[4].state;
    expect(before.lru_lock).toBe('shrinker');
    expect(before.preempt_count).toMatchObject({ shrinker: 1 });
  });

  it('no-check-vma: after munmap and an mmap at the same address, use_page_slow inserts into the other VMA', () => {
    const r = violation('no-check-vma', 'binder.foreign-vma', 13);
    expect(r.property?.action).toBe('vm_insert_page');
    expect(ofThread(r, 'munmap')).toEqual(['mmap_write_lock', 'detach_vma', 'mmap_write_downgrade', 'unmap_region',
      'vm_area_free', 'munmap.mmap_read_unlock', 'mmap_anon']);
    expect(ofThread(r, 'sender')).toEqual(['reserve_new_p1', 'use_page_slow', 'sender.mmget_not_zero', 'mmap_read_lock',
      'sender.vma_lookup', 'vm_insert_page']);
    expect(at(r, 'munmap', 'mmap_anon')).toBeLessThan(at(r, 'sender', 'sender.vma_lookup'));
    expect(r.trace!.steps[at(r, 'sender', 'sender.vma_lookup')].state.vma).toMatchObject({ sender: 'W' });
  });

  it('verdicts hold at other bounds', () => {
    for (const b of [{ pages: 1, transactions: 1, scans: 1 }, { pages: 3, transactions: 1, scans: 2 }]) {
      for (const v of rustDef.variants) {
        const r = runCheck(build(v.name, b), { minimise: false });
        expect(r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`, `${v.name} ${JSON.stringify(b)}`).toBe(v.expect);
      }
    }
  });
});

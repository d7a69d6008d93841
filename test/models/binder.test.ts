import { describe, it, expect } from 'vitest';
import binderDef from '../../model/binder.ts';
import { runCheck } from '../../checker/check.ts';
import { cli } from '../cli/run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { ofThread, at, expectShortestViolation } from '../helpers/trace.ts';

const DEFAULTS = { pages: 2, transactions: 2, scans: 3 };
const build = (variant: string, b: Partial<typeof DEFAULTS> = {}) => binderDef.build(variant, { ...DEFAULTS, ...b });
const stateAt = (r: Result, t: string, action: string) => r.trace!.steps[at(r, t, action)].state;

/** Check a bug variant: the property, the exact (shortest) length, confirmed by the interpreter-only BFS. */
const violation = (variant: string, property: string, length: number): Result =>
  expectShortestViolation(() => build(variant), property, length);

// munmap's program up to vm_area_free (do_vmi_align_munmap with the downgrade of dd2283f2605e).
const MUNMAP_TO_FREE = ['mmap_write_lock', 'detach_vma', 'mmap_write_downgrade', 'unmap_region', 'binder_vma_close', 'vm_area_free'];

describe('binder model (C)', () => {
  it('declares its bounds with defaults pages=2, transactions=2, scans=3', () => {
    expect(Object.fromEntries(binderDef.bounds.map((b) => [b.name, b.default]))).toEqual(DEFAULTS);
  });

  it('fixed and the historical fixes pass at the default bounds, every action enabled somewhere', () => {
    for (const v of ['fixed', 'shrinker-write-trylock', 'install-write-lock']) {
      const r = runCheck(build(v));
      expect(r.verdict, v).toBe('pass');
      expect(r.unreachedActions ?? [], v).toEqual([]);
      expect(r.bounds).toEqual(DEFAULTS);
    }
  });

  it('K1 stale-vma-before-mmap-lock: alloc->vma read, munmap runs to the end, then trylock and zap', () => {
    const r = violation('stale-vma-before-mmap-lock', 'vma.use-after-free', 15);
    expect(r.property?.action).toBe('zap_page_range_single');
    expect(ofThread(r, 'shrinker')).toEqual(['list_lru_walk', 'walk_item_p0', 'binder_alloc_get_vma',
      'shrinker.mmget_not_zero', 'mmap_write_trylock', 'mutex_trylock', 'list_lru_isolate', 'zap_page_range_single']);
    expect(ofThread(r, 'munmap')).toEqual([...MUNMAP_TO_FREE, 'munmap.mmap_read_unlock']);
    expect(ofThread(r, 'sender')).toEqual([]);
    // vma = alloc->vma (non-NULL) before munmap starts; mmget_not_zero after munmap's unlock.
    expect(stateAt(r, 'shrinker', 'binder_alloc_get_vma').vma).toMatchObject({ shrinker: 'V' });
    expect(at(r, 'shrinker', 'binder_alloc_get_vma')).toBeLessThan(at(r, 'munmap', 'mmap_write_lock'));
    expect(at(r, 'munmap', 'munmap.mmap_read_unlock')).toBeLessThan(at(r, 'shrinker', 'shrinker.mmget_not_zero'));
  });

  it('K3 shrinker-uaf-vma: read trylock during munmap\'s downgraded phase, alloc->vma still V, freed before the zap', () => {
    const r = violation('shrinker-uaf-vma', 'vma.use-after-free', 14);
    expect(r.property?.action).toBe('zap_page_range_single');
    expect(ofThread(r, 'shrinker')).toEqual(['list_lru_walk', 'walk_item_p0', 'shrinker.mmget_not_zero',
      'mmap_read_trylock', 'binder_alloc_get_vma', 'mutex_trylock', 'list_lru_isolate', 'zap_page_range_single']);
    expect(ofThread(r, 'munmap')).toEqual(MUNMAP_TO_FREE);
    expect(at(r, 'munmap', 'mmap_write_downgrade')).toBeLessThan(at(r, 'shrinker', 'mmap_read_trylock'));
    expect(at(r, 'shrinker', 'binder_alloc_get_vma')).toBeLessThan(at(r, 'munmap', 'binder_vma_close'));
    expect(stateAt(r, 'shrinker', 'binder_alloc_get_vma').vma).toMatchObject({ shrinker: 'V' });
    // The shrinker holds the read lock alongside munmap's downgraded one.
    expect(stateAt(r, 'munmap', 'vm_area_free')['mmap_lock.readers']).toMatchObject({ shrinker: true, munmap: true });
  });

  it('K2 uaf-alloc-vma-munmap-downgrade: mmap_read_lock shared with munmap, alloc->vma = V, vm_insert_page after the free', () => {
    const r = violation('uaf-alloc-vma-munmap-downgrade', 'vma.use-after-free', 13);
    expect(r.property?.action).toBe('vm_insert_page');
    expect(ofThread(r, 'sender')).toEqual(['binder_alloc_new_buf', 'new_buf_locked_p1', 'new_buf_unlock',
      'sender.mmget_not_zero', 'mmap_read_lock', 'binder_alloc_get_vma', 'vm_insert_page']);
    expect(ofThread(r, 'munmap')).toEqual(MUNMAP_TO_FREE);
    expect(ofThread(r, 'shrinker')).toEqual([]);
    expect(at(r, 'munmap', 'mmap_write_downgrade')).toBeLessThan(at(r, 'sender', 'mmap_read_lock'));
    expect(at(r, 'sender', 'binder_alloc_get_vma')).toBeLessThan(at(r, 'munmap', 'binder_vma_close'));
    expect(stateAt(r, 'sender', 'binder_alloc_get_vma').vma).toMatchObject({ sender: 'V' });
  });

  it('K5 sleep-under-lru-lock: one thread, the zap under the lru spinlock', () => {
    const r = violation('sleep-under-lru-lock', 'sleep-in-atomic', 7);
    expect(r.property?.action).toBe('zap_page_range_single');
    expect(ofThread(r, 'shrinker')).toEqual(['list_lru_walk', 'walk_item_p0', 'shrinker.mmget_not_zero',
      'shrinker.lock_vma_under_rcu', 'mutex_trylock', 'list_lru_isolate', 'zap_page_range_single']);
    expect(r.trace!.steps.every((s) => s.thread === 'shrinker')).toBe(true);
    const before = r.trace!.steps[5].state;
    expect(before.lru_lock).toBe('shrinker');
    expect(before.preempt_count).toMatchObject({ shrinker: 1 });
  });

  it('zap-after-mutex-unlock: a new buffer re-installs the reclaimed page before its PTE is zapped (rule (a))', () => {
    const r = violation('zap-after-mutex-unlock', 'binder.reinstall-before-zap', 13);
    expect(ofThread(r, 'shrinker')).toEqual(['list_lru_walk', 'walk_item_p0', 'shrinker.mmget_not_zero',
      'shrinker.lock_vma_under_rcu', 'mutex_trylock', 'list_lru_isolate', 'mutex_unlock']);
    expect(ofThread(r, 'sender')).toEqual(['binder_alloc_new_buf', 'new_buf_locked_p0', 'new_buf_unlock',
      'sender.mmget_not_zero', 'sender.lock_vma_under_rcu', 'vm_insert_page']);
    expect(at(r, 'shrinker', 'mutex_unlock')).toBeLessThan(at(r, 'sender', 'binder_alloc_new_buf'));
  });

  it('verdicts hold at other bounds; with one page K2 shows first as an insert over the detached VMA\'s PTE', () => {
    for (const b of [{ pages: 1, transactions: 1, scans: 1 }, { pages: 3, transactions: 1, scans: 2 }]) {
      for (const v of binderDef.variants) {
        const r = runCheck(build(v.name, b), { minimise: false });
        const got = r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`;
        const want = v.name === 'uaf-alloc-vma-munmap-downgrade' && b.pages === 1 ? 'violation:binder.reinstall-before-zap' : v.expect;
        expect(got, `${v.name} ${JSON.stringify(b)}`).toBe(want);
      }
    }
  });

  it('check binder --json: exit 0, pass, the default bounds', () => {
    const r = cli(['check', 'binder', '--json']);
    expect(r.code).toBe(EXIT.pass);
    const j = JSON.parse(r.stdout) as Result;
    expect(j.verdict).toBe('pass');
    expect(j.model).toMatchObject({ name: 'binder' });
    expect(j.bounds).toEqual(DEFAULTS);
  });
});

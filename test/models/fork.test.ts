import { describe, it, expect } from 'vitest';
import forkDef from '../../model/fork.ts';
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import { minimalViolationDepth } from '../helpers/shortest.ts';
import { runSchedule } from './schedule.ts';
import { ofThread } from '../helpers/trace.ts';

const build = (variant: string, faulters = 2) => forkDef.build(variant, { faulters });
const at = (r: Result, t: string, action: string) => {
  const i = r.trace!.steps.findIndex((s) => s.thread === t && s.action === action);
  expect(i, `${t} ${action}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe('fork model (dup_mmap against per-VMA-locked faults, K7)', () => {
  it('declares one bound, faulters, default 2 (four threads)', () => {
    expect(forkDef.bounds.map((b) => [b.name, b.default, b.min, b.max])).toEqual([['faulters', 2, 1, 3]]);
    expect(build('fixed').threadSort).toMatchObject({ values: ['fork', 'F1', 'F2', 'writer'] });
  });

  it('fixed passes with 1, 2 and 3 faulters, every action enabled somewhere', () => {
    for (const faulters of [1, 2, 3]) {
      const r = runCheck(build('fixed', faulters));
      expect(r.verdict).toBe('pass');
      expect(r.bounds).toEqual({ faulters });
      expect(r.unreachedActions ?? []).toEqual([]);
    }
  });

  it('K7 no-vma-write-lock: a fault under the VMA lock replaces P during fork; a store through the stale TLB entry is lost', () => {
    for (const faulters of [1, 2]) {
      const r = runCheck(build('no-vma-write-lock', faulters));
      expect(r.verdict).toBe('violation');
      expect(r.property?.id).toBe('fork.stale-tlb-write-lost');
      expect(r.property?.action).toBe('user_write.stale_tlb');
      expect(r.trace!.steps).toHaveLength(8);
      if (faulters === 2) expect(minimalViolationDepth(build('no-vma-write-lock'), 8)).toBe(8);
      // T1: mmap_write_lock(oldmm), then copy_present_pte write-protects P and shares it with
      // the child; the TLB flush is still to come.
      expect(ofThread(r, 'fork')).toEqual(['dup_mmap', 'copy_present_pte']);
      // T2: the write fault takes the per-VMA lock (no mmap_lock) and copies P.
      expect(ofThread(r, 'F1')).toEqual(['mas_walk', 'vma_start_read', 'vm_refcnt_inc', 'lock_vma_under_rcu.done', 'wp_page_copy']);
      expect(ofThread(r, 'writer')).toEqual(['user_write.stale_tlb']);
      if (faulters === 2) expect(ofThread(r, 'F2')).toEqual([]);
      expect(at(r, 'fork', 'copy_present_pte')).toBeLessThan(at(r, 'F1', 'vma_start_read'));
      expect(at(r, 'F1', 'wp_page_copy')).toBeLessThan(at(r, 'writer', 'user_write.stale_tlb'));
      const s = r.trace!.steps[7].state as Record<string, Record<string, unknown> & unknown>;
      // The fork still holds mmap_lock for write (mm_lock_seq odd), yet F1 holds the VMA read lock.
      expect(s).toMatchObject({
        'parent.mmap_lock.writer': 'fork', mm_lock_seq: { parent: 1 }, vma_read: { F1: true },
        pte_page: 'P', pte_write: false, child_maps_P: true, tlb_writable: true, wp_copied: { F1: true },
      });
    }
  });

  it('fixed: the fault finds the VMA write-locked, falls back to mmap_read_lock and runs after the TLB flush', () => {
    const model = build('fixed', 1);
    const prefix: [string, string][] = [
      ['fork', 'dup_mmap'], ['fork', 'vma_start_write'], ['fork', 'vma_start_write.wait'], ['fork', 'copy_present_pte'],
      ['F1', 'mas_walk'],
    ];
    // vm_lock_seq == mm_lock_seq: vma_start_read fails at once.
    expect(() => runSchedule(model, [...prefix, ['F1', 'vma_start_read']])).toThrow('F1 vma_start_read: not enabled');
    const sched: [string, string][] = [...prefix, ['F1', 'vma_start_read.write_locked']];
    // The fallback blocks behind the fork's write lock.
    expect(() => runSchedule(model, [...sched, ['F1', 'mmap_read_lock']])).toThrow('F1 mmap_read_lock: not enabled');
    const ran = runSchedule(model, [...sched,
      ['fork', 'flush_tlb_mm'], ['fork', 'mmap_write_unlock'],
      ['F1', 'mmap_read_lock'], ['F1', 'vma_lookup'], ['F1', 'wp_page_copy'], ['writer', 'user_write.tlb_miss'],
      ['F1', 'ptep_clear_flush'], ['F1', 'mmap_read_unlock']]);
    expect(ran.states[3]).toMatchObject({ 'vma.vm_lock_seq': { V1: 1 }, mm_lock_seq: { parent: 1 } });
    expect(ran.states[ran.states.length - 1]).toMatchObject({ pte_page: 'P_copy', pte_write: true, tlb_writable: false, mm_lock_seq: { parent: 2 } });
    expect(ran.final).toBe(true);
  });

  it('fixed: a fault that holds the VMA lock before the fork makes vma_start_write wait; it sees a writable PTE (spurious)', () => {
    const model = build('fixed', 1);
    const sched: [string, string][] = [
      ['F1', 'mas_walk'], ['F1', 'vma_start_read'], ['F1', 'vm_refcnt_inc'], ['F1', 'lock_vma_under_rcu.done'],
      ['fork', 'dup_mmap'], ['fork', 'vma_start_write'],
    ];
    expect(() => runSchedule(model, [...sched, ['fork', 'vma_start_write.wait']])).toThrow('not enabled');
    const ran = runSchedule(model, [...sched, ['F1', 'handle_pte_fault.spurious'], ['F1', 'vma_end_read.writer_only'], ['F1', 'vma_end_read.wake'],
      ['fork', 'vma_start_write.wait']]);
    expect(ran.states[5]).toMatchObject({ 'vma.vm_refcnt': { V1: 2 }, 'vma.vm_refcnt_excl': { V1: true } });
    expect(ran.states[9]).toMatchObject({ 'vma.vm_refcnt': { V1: 1 }, 'vma.vm_refcnt_excl': { V1: false }, 'vma.vm_lock_seq': { V1: 1 } });
  });

  it('two faulters may hold the VMA read lock together (vm_refcnt 3) and both copy; the PTE ends on the copy, writable', () => {
    const ran = runSchedule(build('fixed', 2), [
      ['fork', 'dup_mmap'], ['fork', 'vma_start_write'], ['fork', 'vma_start_write.wait'], ['fork', 'copy_present_pte'],
      ['fork', 'flush_tlb_mm'], ['fork', 'mmap_write_unlock'],
      ['F1', 'mas_walk'], ['F1', 'vma_start_read'], ['F1', 'vm_refcnt_inc'], ['F1', 'lock_vma_under_rcu.done'], ['F1', 'wp_page_copy'],
      ['F2', 'mas_walk'], ['F2', 'vma_start_read'], ['F2', 'vm_refcnt_inc'], ['F2', 'lock_vma_under_rcu.done'], ['F2', 'wp_page_copy'],
      ['F1', 'ptep_clear_flush'], ['F2', 'ptep_clear_flush'],
    ]);
    expect(ran.states[15]).toMatchObject({ 'vma.vm_refcnt': { V1: 3 }, wp_copied: { F1: true, F2: true } });
    expect(ran.states[17]).toMatchObject({ pte_page: 'P_copy', pte_write: true, wp_copied: { F1: false, F2: false } });
  });
});

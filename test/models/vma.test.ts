import { describe, it, expect } from 'vitest';
import vmaDef, { vmaWorld, lock_vma_under_rcu, putSteps } from '../../model/vma.ts';
import { model, step, guard } from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import { cli } from '../cli/run-cli.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { minimalViolationDepth } from '../helpers/shortest.ts';
import { runSchedule } from './schedule.ts';
import { ofThread } from '../helpers/trace.ts';

const build = (variant: string, readers = 2) => vmaDef.build(variant, { readers });
/** 0-based position of a thread's action in the whole trace. */
const at = (r: Result, t: string, action: string) => {
  const i = r.trace!.steps.findIndex((s) => s.thread === t && s.action === action);
  expect(i, `${t} ${action}`).toBeGreaterThanOrEqual(0);
  return i;
};
const stateAt = (r: Result, t: string, action: string) => r.trace!.steps[at(r, t, action)].state as Record<string, Record<string, unknown>>;

/** A bug variant: the property, the exact length; at the default bounds the interpreter-only BFS confirms it is shortest. */
function violation(variant: string, property: string, length: number, readers = 2): Result {
  const r = runCheck(build(variant, readers));
  expect(r.verdict).toBe('violation');
  expect(r.property?.id).toBe(property);
  expect(r.trace!.steps.length).toBe(length);
  if (readers === 2) expect(minimalViolationDepth(build(variant, readers), length)).toBe(length);
  return r;
}

// munmap of mmA's VMA up to the free (do_vmi_align_munmap; nobody holds a reference at the detach).
const MUNMAP_A = ['munmap.mmap_write_lock', 'munmap.vma_start_write', 'munmap.vma_start_write.wait', 'munmap.vma_mark_detached',
  'munmap.vma_iter_clear', 'munmap.mmap_write_downgrade', 'munmap.remove_vma'];
// Process B maps a VMA (into the freed slot), then unmaps it.
const MMAP_B = ['vm_mmap_pgoff', 'vm_area_alloc', 'vma_iter_store_new', 'vm_mmap_pgoff.unlock'];
const MUNMAP_B = ['procB.mmap_write_lock', 'procB.vma_start_write', 'procB.vma_start_write.wait', 'procB.vma_mark_detached',
  'procB.vma_iter_clear', 'procB.mmap_write_downgrade', 'procB.remove_vma', 'procB.mmap_read_unlock'];

describe('vma model (per-VMA locks, K6)', () => {
  it('declares one bound, readers, default 2 (four threads)', () => {
    expect(vmaDef.bounds.map((b) => [b.name, b.default, b.min, b.max])).toEqual([['readers', 2, 1, 3]]);
    expect(build('fixed').threadSort).toMatchObject({ values: ['R1', 'R2', 'munmap', 'procB'] });
  });

  it('fixed passes with 1 and 2 readers, every action enabled somewhere', () => {
    for (const readers of [1, 2]) {
      const r = runCheck(build('fixed', readers));
      expect(r.verdict).toBe('pass');
      expect(r.bounds).toEqual({ readers });
      expect(r.unreachedActions ?? []).toEqual([]);
    }
  });

  it('K6 recycled-vma-wakeup-uaf: V freed from mmA, reused by mmB, and the reader wakes mmB after it is freed', () => {
    for (const readers of [1, 2]) {
      const r = violation('recycled-vma-wakeup-uaf', 'vma.writer-wakeup-use-after-free', 25, readers);
      expect(r.property?.action).toBe('vma_end_read.other_mm.wake');
      expect(ofThread(r, 'R1')).toEqual(['mas_walk', 'vma_start_read', 'vm_refcnt_inc', 'vma_end_read.other_mm.writer_only', 'vma_end_read.other_mm.wake']);
      expect(ofThread(r, 'munmap')).toEqual(MUNMAP_A);
      expect(ofThread(r, 'procB')).toEqual([...MMAP_B, ...MUNMAP_B, 'exit_mm']);
      if (readers === 2) expect(ofThread(r, 'R2')).toEqual([]);
      // T1 finds V in mmA under RCU before munmap takes it out of the tree.
      expect(stateAt(r, 'R1', 'mas_walk').vma.R1).toBe('V1');
      expect(at(r, 'R1', 'mas_walk')).toBeLessThan(at(r, 'munmap', 'munmap.vma_iter_clear'));
      // T2 frees V; T3's mmap gets the same memory and attaches it to mmB (vm_refcnt = 1).
      expect(at(r, 'munmap', 'munmap.remove_vma')).toBeLessThan(at(r, 'procB', 'vm_area_alloc'));
      expect(stateAt(r, 'procB', 'vm_area_alloc').vma.procB).toBe('V1');
      expect(stateAt(r, 'procB', 'vma_iter_store_new')['vma.vm_refcnt'].V1).toBe(1);
      // T1's increment on the recycled VMA succeeds (1 → 2) after it is attached to mmB.
      expect(at(r, 'procB', 'vma_iter_store_new')).toBeLessThan(at(r, 'R1', 'vm_refcnt_inc'));
      expect(stateAt(r, 'R1', 'vm_refcnt_inc')['vma.vm_refcnt'].V1).toBe(2);
      expect(stateAt(r, 'R1', 'vm_refcnt_inc')['vma.vm_mm'].V1).toBe('mmB');
      // T3's munmap adds the exclude-readers flag before T1's put, which then copies vm_mm (mmB)
      // and leaves only the writer: it must wake mmB's vma_writer_wait.
      expect(at(r, 'procB', 'procB.vma_start_write')).toBeLessThan(at(r, 'R1', 'vma_end_read.other_mm.writer_only'));
      const put = stateAt(r, 'R1', 'vma_end_read.other_mm.writer_only');
      expect(put['vma.vm_refcnt'].V1).toBe(1);
      expect(put['vma.vm_refcnt_excl'].V1).toBe(true);
      expect(put.wake_mm.R1).toBe('mmB');
      // T3 does not even wait: it finishes munmap and exits, freeing mmB, before the wake-up.
      expect(at(r, 'R1', 'vma_end_read.other_mm.writer_only')).toBeLessThan(at(r, 'procB', 'procB.vma_start_write.wait'));
      expect(stateAt(r, 'procB', 'exit_mm').mm_freed).toBe(true);
      expect(at(r, 'procB', 'exit_mm')).toBe(23);
      // The wake-up runs inside T1's RCU read section: RCU does not keep an mm_struct alive.
      expect(stateAt(r, 'R1', 'vma_end_read.other_mm.wake').rcu_read_depth.R1).toBe(1);
    }
  });

  it('fixed: the K6 schedule takes the other_mm path; the mmgrab keeps mmB until the reader\'s mmdrop frees it', () => {
    const sched: [string, string][] = [
      ['R1', 'mas_walk'], ['R1', 'vma_start_read'],
      ...MUNMAP_A.map((a): [string, string] => ['munmap', a]),
      ...MMAP_B.slice(0, 3).map((a): [string, string] => ['procB', a]),
      ['R1', 'vm_refcnt_inc'], ['procB', 'vm_mmap_pgoff.unlock'], ['procB', 'procB.mmap_write_lock'], ['procB', 'procB.vma_start_write'],
      ['R1', 'vma_start_read.other_mm'], ['R1', 'vma_refcount_put.other_mm.writer_only'],
      ...MUNMAP_B.slice(2).map((a): [string, string] => ['procB', a]), ['procB', 'exit_mm'],
      ['R1', 'vma_refcount_put.other_mm.wake'], ['R1', 'mmdrop.other_mm'],
      ['R1', 'mmap_read_lock'], ['R1', 'bad_area'], ['R2', 'mas_walk'], ['R2', 'lock_vma_under_rcu.no_vma'],
      ['R2', 'mmap_read_lock'], ['R2', 'bad_area'], ['munmap', 'munmap.mmap_read_unlock'],
    ];
    const ran = runSchedule(build('fixed'), sched);
    const after = (t: string, a: string) => ran.states[sched.findIndex(([x, y]) => x === t && y === a)] as Record<string, Record<string, unknown>>;
    // mmgrab(other_mm) outside RCU, while our reference keeps V attached to mmB.
    expect(after('R1', 'vma_start_read.other_mm')).toMatchObject({ mm_count: 2, other_mm: { R1: 'mmB' }, rcu_read_depth: { R1: 0 } });
    // exit_mm tears mmB down but our mm_count keeps the struct; the wake-up is on live memory.
    expect(after('procB', 'exit_mm')).toMatchObject({ mm_torn_down: true, mm_freed: false, mm_count: 1 });
    // The reader's mmdrop is the last one: __mmdrop runs in its context.
    expect(after('R1', 'mmdrop.other_mm')).toMatchObject({ mm_count: 0, mm_freed: true, other_mm: { R1: 'none' } });
    expect(ran.final).toBe(true);
  });

  it('fixed: a reader that fails while mprotect holds the VMA write lock finds the VMA again under mmap_read_lock', () => {
    const ran = runSchedule(build('fixed', 1), [
      ['munmap', 'mprotect'], ['munmap', 'mprotect.vma_start_write'], ['munmap', 'mprotect.vma_start_write.wait'],
      ['R1', 'mas_walk'], ['R1', 'vma_start_read.write_locked'], ['munmap', 'mprotect.mmap_write_unlock'],
      ['R1', 'mmap_read_lock'], ['R1', 'vma_lookup'], ['R1', 'handle_mm_fault'], ['R1', 'reader.mmap_read_unlock'],
    ]);
    // write-locked: vm_lock_seq == mm_lock_seq (odd) while mprotect holds the write lock.
    expect(ran.states[2]).toMatchObject({ 'vma.vm_lock_seq': { V1: 1 }, mm_lock_seq: { mmA: 1 } });
    expect(ran.states[7]).toMatchObject({ vma: { R1: 'V1' }, 'mmA.mmap_lock.readers': { R1: true } });
    expect(ran.final).toBe(false); // procB has not run
  });

  it('fixed: a reader holding the VMA lock makes munmap wait in vma_start_write, and its vma_end_read wakes it', () => {
    const ran = runSchedule(build('fixed', 1), [
      ['R1', 'mas_walk'], ['R1', 'vma_start_read'], ['R1', 'vm_refcnt_inc'], ['R1', 'lock_vma_under_rcu.done'],
      ['munmap', 'munmap.mmap_write_lock'], ['munmap', 'munmap.vma_start_write'],
    ]);
    expect(ran.states[5]).toMatchObject({ 'vma.vm_refcnt': { V1: 2 }, 'vma.vm_refcnt_excl': { V1: true } });
    const model = build('fixed', 1);
    expect(() => runSchedule(model, [
      ['R1', 'mas_walk'], ['R1', 'vma_start_read'], ['R1', 'vm_refcnt_inc'], ['R1', 'lock_vma_under_rcu.done'],
      ['munmap', 'munmap.mmap_write_lock'], ['munmap', 'munmap.vma_start_write'], ['munmap', 'munmap.vma_start_write.wait'],
    ])).toThrow('munmap munmap.vma_start_write.wait: not enabled');
    const woke = runSchedule(model, [
      ['R1', 'mas_walk'], ['R1', 'vma_start_read'], ['R1', 'vm_refcnt_inc'], ['R1', 'lock_vma_under_rcu.done'],
      ['munmap', 'munmap.mmap_write_lock'], ['munmap', 'munmap.vma_start_write'],
      ['R1', 'handle_mm_fault'], ['R1', 'vma_end_read.writer_only'], ['R1', 'vma_end_read.wake'], ['munmap', 'munmap.vma_start_write.wait'],
    ]);
    expect(woke.states[7]).toMatchObject({ 'vma.vm_refcnt': { V1: 1 }, wake_mm: { R1: 'mmA' }, vma_read: { R1: false } });
    expect(woke.states[9]).toMatchObject({ 'vma.vm_refcnt_excl': { V1: false }, 'vma.vm_lock_seq': { V1: 1 } });
  });

  it('no-vm_mm-recheck: without re-validating vm_mm the fault handler runs on mmB\'s VMA', () => {
    const r = violation('no-vm_mm-recheck', 'vma.use-after-free', 15);
    expect(r.property?.action).toBe('handle_mm_fault');
    expect(ofThread(r, 'R1')).toEqual(['mas_walk', 'vma_start_read', 'vm_refcnt_inc', 'lock_vma_under_rcu.done', 'handle_mm_fault']);
    expect(ofThread(r, 'munmap')).toEqual(MUNMAP_A);
    expect(ofThread(r, 'procB')).toEqual(MMAP_B.slice(0, 3));
    const last = r.trace!.steps[14].state as Record<string, Record<string, unknown>>;
    expect(last['vma.vm_mm'].V1).toBe('mmB');
    expect(last.mm_mt).toEqual({ mmA: 'none', mmB: 'V1' });
  });

  it('I-L2: a VMA read lock released by a thread that did not take it is vma.put-without-reference', () => {
    const m = model('vma-guard-other-thread');
    m.threads(['T1', 'T2']);
    const w = vmaWorld(m, { mms: ['mm'], slots: 1, initial: ['mm'], readers: 1, writeSessions: 1 });
    m.program('taker', ['T1'], (self) => [
      ...lock_vma_under_rcu(w, 'mm', self, { otherMm: 'absent', detachable: false, fallback: 'failed' }),
      step('failed'),
    ]);
    // T2 "drops the guard" it was handed: vma_end_read on T1's VMA.
    m.program('other', ['T2'], (self) => [step('wait', guard(w.vma_read.at('T1'))), ...putSteps(w, self, 'vma_end_read', [], false)]);
    const r = runCheck(m.build());
    expect(r.property?.id).toBe('vma.put-without-reference');
    expect(r.trace!.steps.map((x) => `${x.thread} ${x.action}`)).toEqual([
      'T1 mas_walk', 'T1 vma_start_read', 'T1 vm_refcnt_inc', 'T2 wait', 'T2 vma_end_read']);
  });

  it('check vma --variant recycled-vma-wakeup-uaf --json: exit 1, the property and where it is defined', () => {
    const r = cli(['check', 'vma', '--variant', 'recycled-vma-wakeup-uaf', '--json']);
    expect(r.code).toBe(EXIT.violation);
    const j = JSON.parse(r.stdout) as Result;
    expect(j.property?.id).toBe('vma.writer-wakeup-use-after-free');
    expect(j.property?.loc?.file).toMatch(/model\/vma\.ts$/);
    expect(j.bounds).toEqual({ readers: 2 });
    expect(j.trace!.steps).toHaveLength(25);
  });
});

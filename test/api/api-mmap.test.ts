import { describe, it, expect } from 'vitest';
import apiMmap, { buildApiMmap } from '../../model/api-mmap.ts';
import type { Model } from '../../model/lang/ir.ts';
import { withoutForget } from '../../model/api/index.ts';
import { runCheck } from '../../checker/check.ts';
import { isolate, propertyIdsOf } from '../../properties/isolate.ts';
import { initialState, instancesOf, canFire, enabled, isFinal, step, type State } from '../../checker/interpreter.ts';
import { showValue } from '../../model/lang/ir.ts';
import type { Result } from '../../checker/result.ts';

const build = (v: string, b: Partial<Record<'clients' | 'budget', number>> = {}) => apiMmap.build(v, { clients: 2, budget: 3, ...b });
const steps = (r: Result) => r.trace?.steps.map((s) => `${s.thread} ${s.action}`);

/** Replay a trace on the interpreter (by thread and action name) and return its last state. */
function lastState(m: Model, r: Result): State {
  const all = instancesOf(m);
  let s = initialState(m);
  for (const st of r.trace!.steps) {
    const inst = all.find((i) => i.action.name === st.action
      && i.action.params.every((p, j) => String(showValue(p.sort, i.params[j])) === String(st.params[p.name])));
    expect(inst && canFire(m, s, inst).enabled, `${st.thread} ${st.action}`).toBe(true);
    s = step(m, s, inst!).state;
  }
  return s;
}

/** mmap_read_lock uncontended: one step, returning its guard. */
const LOCKED = (c: string, g: string) => `${c} MmWithUser::mmap_read_lock(&MmWithUser(${c})) -> MmapReadGuard(${g})`;
/** mmap_read_lock committed to (lockdep's check happens here), waiting for the lock. */
const WAITS = (c: string) => `${c} MmWithUser::mmap_read_lock(&MmWithUser(${c})) waits`;
const LOCK_VMA = (c: string) => `${c} MmWithUser::lock_vma_under_rcu(&MmWithUser(${c})) -> VmaReadGuard(R1)`;
const RECURSIVE = 'rwsem.recursive', UNLOCK = 'rwsem.unlock-not-owner', END_READ = 'vma.put-without-reference';
const UNLOCKED = 'vma.unlocked-access', UAF = 'vma.use-after-free';

describe('api-mmap: every client of the Rust mmap_lock / VMA read guards, against munmap', () => {
  it('each variant finds what its expect says, at the default bounds', () => {
    for (const v of apiMmap.variants) {
      const r = runCheck(build(v.name));
      expect([v.name, r.verdict === 'pass' ? 'pass' : `violation:${r.property?.id}`]).toEqual([v.name, v.expect]);
    }
  });

  it('seed: no unsound violation (2 clients x 3, 4 and 5 calls; 1 x 4)', () => {
    for (const [clients, budget] of [[2, 3], [2, 4], [2, 5], [1, 4]]) {
      const m = build('seed', { clients, budget });
      expect([clients, budget, runCheck(isolate(m, propertyIdsOf(m, ['unsound']))).verdict]).toEqual([clients, budget, 'pass']);
    }
  });

  it('seed: a second mmap_read_lock on one thread is a recursive read (liveness), 2 steps: lockdep catches it at the call', () => {
    const m = build('seed');
    for (const r of [runCheck(m), runCheck(isolate(m, [RECURSIVE]))]) {
      expect(r.property).toMatchObject({ id: RECURSIVE, class: 'liveness' });
      expect(steps(r)).toEqual([LOCKED('C1', 'G1a'), WAITS('C1')]);
    }
  });

  it('seed: a VmaReadGuard held across mmap_read_lock deadlocks with munmap waiting in vma_start_write (ABBA), 5 steps', () => {
    const m = withoutForget(build('seed'));
    const r = runCheck(isolate(m, ['deadlock']));
    expect(r.property).toMatchObject({ id: 'deadlock', class: 'liveness' });
    expect(steps(r)).toEqual([WAITS('C1'), LOCK_VMA('C2'), WAITS('C2'), 'munmap mmap_write_lock', 'munmap vma_start_write']);
    // The end: munmap holds mmap_lock for write and waits for C2's VMA reader; C2 holds the
    // VMA read lock and waits for mmap_lock (C1 too). No step is possible, so neither
    // `... returns` is ever enabled.
    const s = lastState(m, r);
    const last = r.trace!.steps.at(-1)!.state as Record<string, Record<string, unknown>>;
    expect(last['api.pending']).toMatchObject({ C1: WAITS('C1').slice(3, -6), C2: WAITS('C2').slice(3, -6) });
    expect(last['mm.mmap_lock.writer']).toBe('munmap');
    expect(last['VmaReadGuard.holder']).toMatchObject({ R1: 'C2' });
    expect(last.pc).toMatchObject({ munmap: 'vma_start_write.wait' });
    expect(isFinal(m, s)).toBe(false);
    expect(enabled(m, s)).toEqual([]);
    const returns = instancesOf(m).filter((i) => i.action.name.startsWith(`${WAITS('C2').slice(3, -6)} returns`));
    expect(returns.length).toBeGreaterThan(0);
    expect(returns.some((i) => canFire(m, s, i).enabled)).toBe(false);
  });

  it('seed: with mem::forget a guard leaks its lock: munmap hangs (4 steps), the lock is held at exit (10); neither without forget', () => {
    const m = build('seed');
    const hang = runCheck(isolate(m, ['deadlock']));
    expect(steps(hang)).toEqual(['C2 scope_end', LOCKED('C1', 'G1a'), 'C1 mem::forget(MmapReadGuard(G1a))', 'C1 scope_end']);
    const held = runCheck(isolate(m, ['lock.held-at-exit']));
    // C1 leaves; munmap runs to its end (6 steps); C2 takes the lock, forgets the guard, leaves.
    expect([held.verdict, held.trace?.steps.length, steps(held)!.some((x) => x.includes('mem::forget('))]).toEqual(['violation', 10, true]);
    expect(runCheck(isolate(withoutForget(m), ['lock.held-at-exit', 'vma.vm_refcnt-leak'])).verdict).toBe('pass');
  });

  it('guards-send: vma_end_read and mmap_read_unlock on another thread, 3 steps each (unsound)', () => {
    const m = build('guards-send');
    const end = [LOCK_VMA('C1'), 'C1 send(VmaReadGuard(R1))', 'C2 drop(VmaReadGuard(R1))'];
    // Longer than the seed's recursive read (2), which the whole check reports first.
    const r = runCheck(isolate(m, [END_READ]));
    expect(r.property).toMatchObject({ id: END_READ, class: 'unsound' });
    expect(steps(r)).toEqual(end);
    const up = runCheck(isolate(m, [UNLOCK]));
    expect(up.property).toMatchObject({ id: UNLOCK, class: 'unsound' });
    expect(steps(up)).toEqual([LOCKED('C1', 'G1a'), 'C1 send(MmapReadGuard(G1a))', 'C2 drop(MmapReadGuard(G1a))']);
    // A sent guard still protects the VMA: memory safety holds, only the lock owner is wrong.
    expect(runCheck(isolate(m, [UNLOCKED, UAF])).verdict).toBe('pass');
  });

  it('lookup-borrows-mm (budget at least 4): the VMA used unlocked in 4 steps, after munmap freed it in 9 (unsound)', () => {
    const m = build('lookup-borrows-mm');
    expect(m.bounds).toMatchObject({ clients: 2, budget: 4 });
    const prefix = [LOCKED('C1', 'G1a'), 'C1 MmWithUser::vma_lookup(&MmWithUser(C1), &MmapReadGuard(G1a))', 'C1 drop(MmapReadGuard(G1a))'];
    const unlocked = runCheck(isolate(m, [UNLOCKED]));
    expect(unlocked.property).toMatchObject({ id: UNLOCKED, class: 'unsound' });
    expect(steps(unlocked)).toEqual([...prefix, 'C1 VmaRef::flags(&V1)']);
    const uaf = runCheck(isolate(m, [UAF]));
    expect(uaf.property).toMatchObject({ id: UAF, class: 'unsound' });
    expect(steps(uaf)).toEqual([...prefix, 'munmap mmap_write_lock', 'munmap vma_start_write', 'munmap vma_start_write.wait',
      'munmap vma_mark_detached', 'munmap remove_vma.write_locked', 'C1 VmaRef::flags(&V1)']);
  });

  it('mutation: without the lender check or !Send the seed is unsound; without the blocking split the ABBA is hidden', () => {
    const lent = withoutForget(buildApiMmap('seed', 2, 4, ['lender-check']));
    expect(steps(runCheck(isolate(lent, [UNLOCKED])))).toEqual([LOCKED('C1', 'G1a'),
      'C1 MmapReadGuard::vma_lookup(&MmapReadGuard(G1a))', 'C1 drop(MmapReadGuard(G1a))', 'C1 VmaRef::flags(&V1)']);
    expect(runCheck(isolate(buildApiMmap('seed', 2, 3, ['not-send']), [END_READ])).property).toMatchObject({ id: END_READ, class: 'unsound' });
    expect(runCheck(isolate(buildApiMmap('seed', 2, 3), [END_READ])).verdict).toBe('pass');
    expect(runCheck(isolate(withoutForget(buildApiMmap('seed', 2, 3, ['blocking-split'])), ['deadlock'])).verdict).toBe('pass');
  });
});

import { describe, it, expect } from 'vitest';
import apiMm, { buildApiMm, putInAtomic } from '../../model/api-mm.ts';
import { runCheck } from '../../checker/check.ts';
import { isolate, propertyIds } from '../../properties/isolate.ts';
import { diffModels } from '../../checker/diff.ts';
import { summaryLine } from '../../counterexamples/diff-text.ts';
import type { Model } from '../../model/lang/ir.ts';

const build = (v: string, clients = 2, budget = 3) => apiMm.build(v, { clients, budget });
const steps = (r: ReturnType<typeof runCheck>) => r.trace?.steps.map((s) => `${s.thread} ${s.action}`);
/** The shortest leak, in seed and with-async alike: C1 forgets its ARef<Mm>, so mm_count never reaches 0. */
const FORGET_LEAK = [
  'C2 drop(ARef<Mm>(mm))', 'C2 scope_end', 'C1 mem::forget(ARef<Mm>(mm))', 'C1 scope_end', 'p scope_end', 'p exit_mm',
];
/** Every property but the forget-only leak and the capability: the memory-safety and liveness ones. */
const safety = (m: Model) => propertyIds(m).filter((id) => id !== 'mm.leak' && id !== putInAtomic.id);

describe('api-mm: every client of Mm / MmWithUser / MmWithUserAsync (§2)', () => {
  it('seed: sound — no unsound or liveness property is reachable; its shortest leak is a mem::forget', () => {
    const m = build('seed');
    expect(safety(m)).toEqual(expect.arrayContaining(['mm.use-after-free', 'mm.access-after-teardown', 'mm.count-pins-users', 'sleep-in-atomic', 'deadlock']));
    expect(runCheck(isolate(m, safety(m))).verdict).toBe('pass');
    const r = runCheck(m);
    expect(r.property).toMatchObject({ id: 'mm.leak', class: 'leak' });
    expect(steps(r)).toEqual(FORGET_LEAK);
  });

  it('seed: no client puts mm_users in atomic context (the discipline refuses mmput there)', () => {
    expect(runCheck(isolate(build('seed'), [putInAtomic.id])).verdict).toBe('violation');
  });

  it('seed without the context discipline: mmput under the spinlock sleeps in atomic context (3 steps)', () => {
    const r = runCheck(buildApiMm('seed', 2, 3, false));
    expect(r.property?.id).toBe('sleep-in-atomic');
    expect(steps(r)).toEqual(['C1 LOCK.lock() -> SpinLockGuard(LOCK)', 'C1 Mm::mmget_not_zero(&ARef<Mm>(mm))', 'C1 drop(ARef<MmWithUser>(mm))']);
  });

  it("current-mm-escapes: a &'static MmWithUser from current reaches another client, used after exit_mm (5 steps)", () => {
    const r = runCheck(build('current-mm-escapes'));
    expect(r.property).toMatchObject({ id: 'mm.access-after-teardown', class: 'unsound' });
    expect(steps(r)).toEqual([
      'p CurrentTask::mm(&CurrentTask(p))', "p send(&'static MmWithUser(mm))", 'p scope_end', 'p exit_mm',
      "C1 MmWithUser::lock_vma_under_rcu(&&'static MmWithUser(mm))",
    ]);
  });

  it('mmget-on-mm: a bare mmget on &Mm after the owner exited (3 steps)', () => {
    const r = runCheck(build('mmget-on-mm'));
    expect(r.property).toMatchObject({ id: 'mm.mmget-on-zero', class: 'unsound' });
    expect(steps(r)).toEqual(['p scope_end', 'p exit_mm', 'C1 Mm::mmget(&ARef<Mm>(mm))']);
  });

  it('with-async: still sound, and a client puts mm_users in atomic context', () => {
    const m = build('with-async');
    expect(runCheck(isolate(m, safety(m))).verdict).toBe('pass');
    expect(runCheck(isolate(m, [putInAtomic.id])).verdict).toBe('pass');
    const r = runCheck(m);
    expect(r.property).toMatchObject({ id: 'mm.leak', class: 'leak' });
    expect(steps(r)).toEqual(FORGET_LEAK);
  });

  it('diff seed → with-async: the capability is gained, nothing broke (clients=1, budget=3)', () => {
    const d = diffModels(build('seed', 1), build('with-async', 1));
    const cap = d.rows.find((r) => r.property === putInAtomic.id)!;
    expect(cap).toMatchObject({ class: 'capability', change: 'fixed', old: { verdict: 'violation' }, new: { verdict: 'pass' } });
    expect(d.rows.filter((r) => r.change === 'broke')).toEqual([]);
    expect(d.broke).toBe(0);
    expect(d.rows.find((r) => r.property === 'mm.leak')).toMatchObject({ change: 'still violated', new: { onlyThroughForget: true } });
    expect(summaryLine(d)).toBe('new API: sound for clients=1, budget=3; leaks only through mem::forget; capability gained: a client can put an mm_users reference in atomic context; nothing broke');
  });
});

import { describe, it, expect } from 'vitest';
import { model, bool, step, when, cyclic, not, ModelError, type Expr } from '../../model/lang/index.ts';
import { scalarset, range } from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import {
  lockdep, lockClass, lockSteps, mutex, mutex_lock, mutex_unlock, mutex_trylock, type Mutex,
} from '../../model/primitives/index.ts';
import { check, actions, threads, lastState } from './helpers.ts';

/**
 * ABBA: T1 takes a then b, T2 takes b then a. `lockdepOn` gives the mutexes classes A and B;
 * `twoPhase` makes each lock call two interleaving points (lockdep's check, then the wait).
 */
function abba(opts: { lockdepOn: boolean; twoPhase: boolean }) {
  const m = model('abba');
  m.threads(['T1', 'T2']);
  const ld = opts.lockdepOn ? lockdep(m, ['A', 'B']) : undefined;
  const a = mutex(m, 'a', ld ? { lockClass: lockClass(ld, 'A') } : {});
  const b = mutex(m, 'b', ld ? { lockClass: lockClass(ld, 'B') } : {});
  const take = (label: string, mu: Mutex, self: Expr) =>
    opts.twoPhase ? lockSteps(label, mu, self, mutex_lock(mu, self)) : [step(label, mutex_lock(mu, self))];
  m.program('ab', ['T1'], (self) => [
    ...take('lock_a', a, self), ...take('lock_b', b, self),
    step('unlock_b', mutex_unlock(b, self)), step('unlock_a', mutex_unlock(a, self)),
  ]);
  m.program('ba', ['T2'], (self) => [
    ...take('lock_b', b, self), ...take('lock_a', a, self),
    step('unlock_a', mutex_unlock(a, self)), step('unlock_b', mutex_unlock(b, self)),
  ]);
  return m;
}

describe('lockdep', () => {
  it('ABBA without lockdep is a deadlock after two steps', () => {
    const r = check(abba({ lockdepOn: false, twoPhase: false }));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('deadlock');
    expect(actions(r)).toEqual(['ab.lock_a', 'ba.lock_b']);
    expect(threads(r)).toEqual(['T1', 'T2']);
  });

  it('lockSteps without a lock class is one step: the same deadlock', () => {
    const r = check(abba({ lockdepOn: false, twoPhase: true }));
    expect(r.property?.id).toBe('deadlock');
    expect(actions(r)).toEqual(['ab.lock_a', 'ba.lock_b']);
  });

  it('ABBA with lockdep: the cycle is reported before the two threads deadlock', () => {
    const r = check(abba({ lockdepOn: true, twoPhase: true }));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('lockdep.cycle');
    expect(r.property?.kind).toBe('invariant');
    // T1 holds a and announces b (edge A->B); T2 holds b and announces a (edge B->A). Both are
    // about to block, but the report comes first, in the state where the cycle closes.
    expect(actions(r)).toEqual(['ab.lock_a', 'ab.lock_a.acquired', 'ab.lock_b', 'ba.lock_b', 'ba.lock_b.acquired', 'ba.lock_a']);
    expect(threads(r)).toEqual(['T1', 'T1', 'T1', 'T2', 'T2', 'T2']);
    expect(lastState(r)['lockdep.order']).toEqual({ A: { A: false, B: true }, B: { A: true, B: false } });
    expect(lastState(r)).toMatchObject({ a: 'T1', b: 'T2' });
  });

  it('with one-step lock calls, lockdep records at acquisition only: the deadlock comes first', () => {
    const r = check(abba({ lockdepOn: true, twoPhase: false }));
    expect(r.property?.id).toBe('deadlock');
    expect(actions(r)).toEqual(['ab.lock_a', 'ba.lock_b']);
  });

  /** One thread takes a then b, later b then a: no deadlock is possible, lockdep still reports. */
  function serial(lockdepOn: boolean) {
    const m = model('ab-then-ba');
    m.threads(['T1']);
    const ld = lockdepOn ? lockdep(m, ['A', 'B']) : undefined;
    const a = mutex(m, 'a', ld ? { lockClass: lockClass(ld, 'A') } : {});
    const b = mutex(m, 'b', ld ? { lockClass: lockClass(ld, 'B') } : {});
    m.program('p', ['T1'], (self) => [
      step('lock_a', mutex_lock(a, self)), step('lock_b', mutex_lock(b, self)),
      step('unlock_b', mutex_unlock(b, self)), step('unlock_a', mutex_unlock(a, self)),
      step('lock_b2', mutex_lock(b, self)), step('lock_a2', mutex_lock(a, self)),
      step('unlock_a2', mutex_unlock(a, self)), step('unlock_b2', mutex_unlock(b, self)),
    ]);
    return m;
  }

  it('a lock-order inversion that cannot deadlock here is still a lockdep.cycle', () => {
    const r = check(serial(true));
    expect(r.property?.id).toBe('lockdep.cycle');
    expect(actions(r)).toEqual(['lock_a', 'lock_b', 'unlock_b', 'unlock_a', 'lock_b2', 'lock_a2']);
  });

  it('the same program passes without lockdep (8 steps, 9 states)', () => {
    const r = check(serial(false));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(9);
  });

  it('a consistent order passes with lockdep; trylocks add no edge', () => {
    const m = model('ab-ab');
    m.threads(['T1', 'T2']);
    const ld = lockdep(m, ['A', 'B']);
    const a = mutex(m, 'a', { lockClass: lockClass(ld, 'A') });
    const b = mutex(m, 'b', { lockClass: lockClass(ld, 'B') });
    const got = m.local('got', bool, false);
    m.program('ab', ['T1'], (self) => [
      ...lockSteps('lock_a', a, self, mutex_lock(a, self)), ...lockSteps('lock_b', b, self, mutex_lock(b, self)),
      step('unlock_b', mutex_unlock(b, self)), step('unlock_a', mutex_unlock(a, self)),
    ]);
    // b then a, but a only by trylock: it cannot deadlock, and lockdep records no B->A edge.
    m.program('b_trya', ['T2'], (self) => [
      step('lock_b2', mutex_lock(b, self)),
      step('trylock_a', mutex_trylock(a, self, { ok: got.at(self) })),
      step('unlock_a_if_taken', when(got.at(self), mutex_unlock(a, self))),
      step('unlock_b2', mutex_unlock(b, self)),
    ]);
    const r = runCheck(m.build());
    expect(r.verdict).toBe('pass');
  });

  it('lockdep declared twice, an unknown class, and cyclic() on a non-graph are build errors', () => {
    const m = model('x');
    m.threads(['T1']);
    const ld = lockdep(m, ['A']);
    expect(() => lockdep(m, ['B'])).toThrow(/lockdep declared twice/);
    expect(() => lockClass(ld, 'Z')).toThrow(/no lock class Z; declared: A/);
    const S = scalarset('S', 2);
    expect(() => cyclic(m.var('g', range(0, 1), 0, [S, S]))).toThrow(ModelError);
    expect(() => cyclic(m.var('h', bool, false, [S]))).toThrow(ModelError);
    expect(not(cyclic(m.var('k', bool, false, [S, S])))).toMatchObject({ op: 'not', a: { op: 'cyclic', name: 'k' } });
  });
});

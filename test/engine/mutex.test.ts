/** A two-thread mutex: the guarded lock passes, the unguarded one breaks mutual exclusion. */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../checker/check.ts';
import { mutex } from './models.ts';
import { explicit, traceSteps } from './helpers.ts';

describe('two-thread mutex', () => {
  it('guarded lock: 12 states, 12 transitions, pass', () => {
    // Per thread pc ∈ {lock, enter, unlock, done}; `cs` (pc = unlock) and `lock` (some thread
    // at enter or unlock) follow from the pcs. The guard forbids both threads at enter/unlock:
    // 4*4 - 2*2 = 12 states. Enabled steps per state (a thread at lock needs the other not to
    // hold it, at enter/unlock it can always move, at done never): A at lock: 2+1+1+1 = 5
    // (B at lock, enter, unlock, done); A at enter: 1+1 (B at lock, done); A at unlock: 2;
    // A at done: 1+1+1+0. Sum 5+2+2+3 = 12.
    const r = runCheck(mutex(false));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(12);
    expect(r.stats.transitions).toBe(12);
    expect(r.stats.depth).toBe(6);
  });

  it('broken lock (no guard): mutual exclusion fails after lock A, lock B, enter A, enter B', () => {
    // Both inside needs both threads past lock and enter: 4 steps, so no shorter trace exists.
    // Instances in canonical order: lock@A, lock@B, enter@A, enter@B, unlock@A, unlock@B.
    // BFS levels: 1 = [(enter,lock), (lock,enter)]; 2 = [(enter,enter), (unlock,lock),
    // (lock,unlock)]; 3 starts with (unlock,enter), found first from (enter,enter) by enter@A;
    // its enter@B reaches (unlock,unlock): the first violating state discovered.
    const { raw, steps, trace } = explicit(mutex(true));
    expect(raw.verdict).toBe('violation');
    expect(raw.violation).toEqual({ kind: 'invariant', index: 0 });
    expect(steps).toEqual(['lock@A', 'lock@B', 'enter@A', 'enter@B']);
    expect(raw.depth).toBe(4);
    expect(trace?.steps[3].state).toMatchObject({ cs: { A: true, B: true }, lock: true });
    // The reported result names the property; its (possibly reordered) trace is as short.
    const r = runCheck(mutex(true));
    expect(r.property).toMatchObject({ id: 'mutex', kind: 'invariant' });
    expect(traceSteps(r)).toHaveLength(4);
  });
});

/**
 * The builder's semantics at its edges (issue 15 point 4): literal folding keeps left-to-right
 * evaluation, a literal index in a `when` branch never taken is no bounds error, and an empty
 * `when` reads nothing. The random differential suites (test/engine/semantics-*.test.ts) check
 * the same rules against an independent reference interpreter.
 */
import { describe, expect, it } from 'vitest';
import {
  model, range, bool, guard, set, add, lt, eq, gt, and, or, not, when, requires, step, TRUE, FALSE, cannotFail,
} from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import { counter } from './counter-model.ts';


describe('and/or fold literals as left-to-right evaluation reads them', () => {
  it('and(e, false) still evaluates e: arr[2] is a bounds violation at i = 2', () => {
    const { m, i, arr } = counter('and-false');
    m.action('probe', { body: [guard(and(arr.at(i), false))] });
    const r = runCheck(m.build());
    // next, next (i = 2), then probe reads arr[2] before the literal false: 3 steps.
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps.map((s) => s.action)).toEqual(['next', 'next', 'probe']);
  });

  it('or(e, true) in a requires still evaluates e', () => {
    const { m, i, arr } = counter('or-true');
    m.action('probe', { body: [requires('probe.ok', 'never false', or(arr.at(i), true))] });
    const r = runCheck(m.build());
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps).toHaveLength(3);
  });

  it('an operand after the absorbing literal is never evaluated: and(false, e) reads nothing', () => {
    const { m, i, arr } = counter('false-and');
    m.action('probe', { body: [guard(and(false, arr.at(i)))] });
    const r = runCheck(m.build());
    // probe is never enabled; i = 0, 1, 2: 3 states.
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
  });

  it('an operand before it keeps its short circuit: and(i < 2, arr[i], false) never reads arr[2]', () => {
    const { m, i, arr } = counter('guarded-and');
    m.action('probe', { body: [guard(and(lt(i, 2), arr.at(i), false))] });
    const r = runCheck(m.build());
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
  });

  it('what cannot fail folds away; a variable read is kept, as even a scalar may hold a value not computable', () => {
    const m = model('fold');
    const x = m.var('x', range(0, 2), 0);
    const arr = m.var('arr', bool, false, [range(0, 1)]);
    expect(and(eq(1, 1), false)).toEqual(FALSE);
    expect(or(true, arr.at(x))).toEqual(TRUE);
    expect(and(true, eq(x, 1))).toEqual(eq(x, 1));
    expect(and(eq(x, 1), false)).toMatchObject({ op: 'and', args: [eq(x, 1), FALSE] });
    expect(and(arr.at(x), false)).toMatchObject({ op: 'and', args: [arr.at(x).e, FALSE] });
    expect(cannotFail(not(eq(1, 2)))).toBe(true);
    expect(cannotFail(eq(x, 1))).toBe(false);
  });

  it('a scalar written from an out-of-range read is not computable: set(b, arr[2]) then when(or(b, true), …) is a bounds violation', () => {
    // Found by the statement-level differential suite: or(b, true) folded to true, so the
    // requires under it was checked, and failed, instead of the read of arr[2] being reported.
    const { m, i, arr } = counter('poisoned-scalar');
    const b = m.var('b', bool, false);
    m.action('probe', { body: [guard(eq(i, 2)), set(b, arr.at(i)), when(or(b, true), [requires('probe.never', 'never holds', false)])] });
    const r = runCheck(m.build());
    // next, next, then probe: the when needs b, i.e. arr[2]: bounds, not probe.never.
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps).toHaveLength(3);
  });
});

describe('a literal index in a when branch', () => {
  // n stays 0, so `when(eq(n, 1), …)` is never taken; arr has cells 0..1.
  const build = (taken: boolean) => {
    const m = model('literal-index');
    const n = m.var('n', range(0, 1), taken ? 1 : 0);
    const i = m.var('i', range(0, 3), 0);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
    m.action('next', { body: [guard(lt(i, 3)), set(i, add(i, 1)), when(eq(n, 1), [set(arr.at(2), 1)])] });
    m.invariant('i.below3', 'i reached 3', lt(i, 3));
    m.noDeadlockCheck();
    return m.build();
  };

  it('is no bounds error when the branch is never taken: the real violation is found, at 3 steps', () => {
    // Before the fix arr[2] was evaluated on every `next`: a 1-step bounds false alarm.
    const r = runCheck(build(false));
    expect(r.property).toMatchObject({ id: 'i.below3', kind: 'invariant' });
    expect(r.trace?.steps).toHaveLength(3);
  });

  it('is a bounds violation when the branch is taken', () => {
    const r = runCheck(build(true));
    expect(r.property).toMatchObject({ id: 'bounds', action: 'next' });
    expect(r.trace?.steps).toHaveLength(1);
  });

  it('in a thread program: a guarded literal write never taken leaves a pass', () => {
    // T1: s1 (x := 1), s2 (when x = 2: arr[5] := 1), done. States: the three pc values: 3.
    const m = model('literal-index-program');
    m.threads(['T1']);
    const x = m.var('x', range(0, 2), 0);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
    m.program('p', ['T1'], () => [step('s1', set(x, 1)), step('s2', when(eq(x, 2), [set(arr.at(5), 1)]))]);
    const r = runCheck(m.build());
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
  });
});

describe('a read at an index written out of range in the same step', () => {
  it('is an out-of-range read, not the written value: arr[i] := true then guard(!arr[i]) at i = 2 is a bounds violation', () => {
    // Found by the statement-level differential suite: the read used to see the write, so the
    // guard was false and the step's bounds error was never reported (a pass, 3 states).
    const { m, i, arr } = counter('read-after-bad-write');
    m.action('probe', { body: [set(arr.at(i), true), guard(not(arr.at(i)))] });
    const r = runCheck(m.build());
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps.map((s) => s.action)).toEqual(['next', 'next', 'probe']);
  });
});

describe('an empty when', () => {
  it('reads nothing: when(arr[2], [], []) is no bounds violation (documented on `when`)', () => {
    const { m, i, arr } = counter('empty-when');
    m.action('probe', { body: [guard(lt(i, 2)), set(i, add(i, 1)), when(arr.at(i), [], [])] });
    const r = runCheck(m.build());
    // i = 0, 1, 2 by next or probe; probe at i = 1 reaches i = 2 and reads arr[2] only in the
    // empty when: 3 states, a pass.
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
  });

  it('with a statement under it, the condition is read: when(arr[i], [x := 1]) at i = 2 is a bounds violation', () => {
    const { m, i, arr } = counter('nonempty-when');
    const x = m.var('x', range(0, 1), 0);
    m.action('probe', { body: [guard(lt(i, 2)), set(i, add(i, 1)), when(arr.at(i), [set(x, 1)])] });
    const r = runCheck(m.build());
    // next (i = 1), then probe: i := 2 and the when reads arr[2]: 2 steps.
    expect(r.property).toMatchObject({ id: 'bounds', action: 'probe' });
    expect(r.trace?.steps).toHaveLength(2);
  });
});

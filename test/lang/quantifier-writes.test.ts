/**
 * Statements in one step have sequential meaning (model/lang/stmt.ts): a quantifier (forall,
 * exists, count) after a write reads the written value, like any other read. The quantifier's
 * body is rewritten over the pre-state with the step's earlier writes substituted in.
 */
import { describe, expect, it } from 'vitest';
import { model, range, bool, guard, set, not, requires, forall, exists, count, eq } from '../../model/lang/index.ts';
import { initialState, instancesOf, isEnabled, step } from '../../checker/interpreter.ts';
import { runCheck } from '../../checker/check.ts';

const I = range(0, 1);

/**
 * f[0], f[1] start false; `fill` sets both, then: n := count(f), requires forall(f), and a
 * guard exists(f), all after the writes. With `readFirst`, n is taken before the writes.
 */
function fill(readFirst: boolean) {
  const m = model('quantifier-writes');
  const f = m.var('f', bool, false, [I]);
  const n = m.var('n', range(0, 2), 0);
  const counted = set(n, count(I, (i) => f.at(i)));
  m.action('fill', {
    body: [
      guard(not(f.at(0))),
      ...(readFirst ? [counted] : []),
      set(f.at(0), true), set(f.at(1), true),
      ...(readFirst ? [] : [counted]),
      requires('t.all-set', 'a cell is still clear after fill', forall(I, (i) => f.at(i))),
      guard(exists(I, (i) => f.at(i))),
    ],
  });
  m.noDeadlockCheck();
  return m.build();
}

describe('quantifiers see the earlier writes of the same step', () => {
  it('on the interpreter: count is 2, forall holds, the exists guard enables the step', () => {
    const m = fill(false);
    const [inst] = instancesOf(m);
    // The guard exists(f) over the pre-state alone would be false: fill could never fire.
    expect(isEnabled(m, initialState(m), inst)).toBe(true);
    const r = step(m, initialState(m), inst);
    expect(r.violated).toBeUndefined();
    expect(r.state).toEqual({ f: [1, 1], n: [2] });
  });

  it('on the explicit engine: 2 states (before and after fill), pass', () => {
    // States: {f=(0,0), n=0} and, after fill, {f=(1,1), n=2}; fill is then disabled.
    const r = runCheck(fill(false));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(2);
    expect(r.stats.transitions).toBe(1);
  });

  it('the control: count taken before the writes reads 0', () => {
    const m = fill(true);
    expect(step(m, initialState(m), instancesOf(m)[0]).state).toEqual({ f: [1, 1], n: [0] });
  });

  it('a requires(forall) after clearing a cell fails on the step that clears it', () => {
    // set f[1] := false, then forall(f) is false: the first step violates t.all.
    const m = model('quantifier-clears');
    const f = m.var('f', bool, true, [I]);
    m.action('clear', { body: [guard(f.at(1)), set(f.at(1), false), requires('t.all', 'a cell was cleared', forall(I, (i) => eq(f.at(i), true)))] });
    m.noDeadlockCheck();
    const r = runCheck(m.build());
    expect(r.property?.id).toBe('t.all');
    expect(r.trace?.steps.map((s) => s.action)).toEqual(['clear']);
  });
});

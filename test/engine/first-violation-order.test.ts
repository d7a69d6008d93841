/**
 * The shortest-trace rule inside one BFS level (checker/explicit.ts): while level d is expanded,
 * a violation one step further (an invariant at a new level-(d+1) state, a failing `requires`
 * or a bounds error on a step out of level d: length d + 1) is only noted; a dead end found
 * later in the same level (length d) must still win. Each model below puts the longer violation
 * on the first state of level 1 and the dead end on the second.
 */
import { describe, expect, it } from 'vitest';
import { model, range, guard, set, eq, ne, requires, add } from '../../model/lang/index.ts';
import type { Model } from '../../model/lang/ir.ts';
import { runCheck } from '../../checker/check.ts';
import { explicit } from './helpers.ts';

/**
 * x starts at 0; `a` (x := 1) is tried before `b` (x := 2), so level 1 is [x=1, x=2] in that
 * order. From x=1 only `bad` is enabled, and it breaks the property under test one step later
 * (trace length 2). x=2 enables nothing and is not final (no final condition: `or()`): a
 * deadlock at depth 1 (trace length 1).
 */
function twoLevels(kind: 'requires' | 'invariant' | 'bounds', deadlockCheck = true): Model {
  const m = model(`late-deadlock-${kind}`);
  const x = m.var('x', range(0, 3), 0);
  m.action('a', { body: [guard(eq(x, 0)), set(x, 1)] });
  m.action('b', { body: [guard(eq(x, 0)), set(x, 2)] });
  if (kind === 'requires') m.action('bad', { body: [guard(eq(x, 1)), requires('t.never', 'bad was taken', false)] });
  if (kind === 'invariant') {
    m.action('bad', { body: [guard(eq(x, 1)), set(x, 3)] });
    m.invariant('t.not3', 'x reached 3', ne(x, 3));
  }
  // x + 3 = 4 is outside 0..3: a bounds error on the step out of x=1.
  if (kind === 'bounds') m.action('bad', { body: [guard(eq(x, 1)), set(x, add(x, 3))] });
  if (!deadlockCheck) m.noDeadlockCheck();
  return m.build();
}

describe('a dead end later in the same BFS level beats a longer violation found earlier', () => {
  for (const kind of ['requires', 'invariant', 'bounds'] as const) {
    it(`${kind} at length 2 (noted first) loses to the deadlock at length 1`, () => {
      const { raw, steps } = explicit(twoLevels(kind), { symmetry: false });
      expect(raw.verdict).toBe('violation');
      expect(raw.violation).toEqual({ kind: 'deadlock' });
      expect(steps).toEqual(['b']);
      // Level 0 (x=0) and level 1 (x=1, x=2): 3 states, plus x=3 for the invariant (a new
      // state is stored before it is checked); a failing step's successor is never stored.
      expect(raw.states).toBe(kind === 'invariant' ? 4 : 3);
    });
  }

  it('the same models without the deadlock check report the length-2 violation', () => {
    // The control: the longer violation is really there, and reachable as claimed.
    expect(explicit(twoLevels('requires', false)).steps).toEqual(['a', 'bad']);
    expect(explicit(twoLevels('invariant', false)).steps).toEqual(['a', 'bad']);
    expect(explicit(twoLevels('bounds', false)).raw.violation).toEqual({ kind: 'bounds' });
  });

  it('runCheck reports the deadlock with its one-step trace', () => {
    const r = runCheck(twoLevels('requires'));
    expect(r.property?.id).toBe('deadlock');
    expect(r.trace?.steps.map((s) => s.action)).toEqual(['b']);
    expect(r.stats.depth).toBe(1);
  });
});

/**
 * A write inside a `when` branch that is not taken changes nothing (model/lang/stmt.ts): the
 * compiled assignment keeps the cell's current value. Checked on the interpreter and on the
 * compiled engine, for a scalar, for both branches of an if/else, and for an array cell whose
 * index the branch guards against.
 */
import { describe, expect, it } from 'vitest';
import { model, range, guard, set, add, lt, eq, and, when } from '../../model/lang/index.ts';
import type { Model } from '../../model/lang/ir.ts';
import { enabled, initialState, instancesOf, step, type State } from '../../checker/interpreter.ts';
import { runCheck } from '../../checker/check.ts';
import { compileModel, compiledSuccessors, interpSuccessors, showSuccs } from '../engine/helpers.ts';

/**
 * `tick` runs x from 0 to 3; at x = 1 it counts a hit, at any other x a miss (the else branch).
 * One path: x=0 (miss) -> x=1 (hit) -> x=2 (miss) -> x=3, so 4 states, ending hits 1, misses 2.
 */
function ticks(): Model {
  const m = model('untaken-when');
  const x = m.var('x', range(0, 3), 0);
  const hits = m.var('hits', range(0, 3), 0);
  const misses = m.var('misses', range(0, 3), 0);
  m.action('tick', {
    body: [guard(lt(x, 3)), when(eq(x, 1), [set(hits, add(hits, 1))], [set(misses, add(misses, 1))]), set(x, add(x, 1))],
  });
  m.final(eq(x, 3));
  m.quiescence('t.counts', 'one hit and two misses', and(eq(hits, 1), eq(misses, 2)));
  return m.build();
}

/** The one path of a deterministic model on the interpreter, as [x, hits, misses]. */
function run(m: Model): number[][] {
  const all = instancesOf(m);
  let s: State = initialState(m);
  const out = [[s.x[0], s.hits[0], s.misses[0]]];
  for (let next = enabled(m, s, all); next.length; next = enabled(m, s, all)) {
    expect(next).toHaveLength(1);
    s = step(m, s, next[0]).state;
    out.push([s.x[0], s.hits[0], s.misses[0]]);
  }
  return out;
}

describe('a write under an untaken when changes nothing', () => {
  it('interpreter: exactly one branch writes on each step', () => {
    expect(run(ticks())).toEqual([[0, 0, 0], [1, 0, 1], [2, 1, 1], [3, 1, 2]]);
  });

  it('compiled engine: 4 states, 3 transitions, the quiescence holds', () => {
    const r = runCheck(ticks());
    expect(r.verdict).toBe('pass');
    expect([r.stats.states, r.stats.transitions]).toEqual([4, 3]);
  });

  it('an array cell whose index the branch guards against is left alone at i = 2', () => {
    // arr has cells 0..1; mark writes arr[i] := 1 only when i < 2. At i = 2 the branch is not
    // taken: neither cell changes (arr[0] in particular, the index an untaken write falls back to).
    const m = model('untaken-when-index');
    const i = m.var('i', range(0, 2), 2);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
    m.action('mark', { body: [when(lt(i, 2), [set(arr.at(i), 1)])] });
    m.noDeadlockCheck();
    const built = m.build();
    const s0 = initialState(built);
    const [mark] = instancesOf(built);
    const r = step(built, s0, mark);
    expect(r.bounds).toBeUndefined();
    expect(r.state).toEqual({ i: [2], arr: [0, 0] });
    // The compiled successor is the same state (a self-loop), and agrees with the interpreter.
    const compiled = showSuccs(compiledSuccessors(built, compileModel(built), s0));
    expect(compiled).toEqual([`0:0:${JSON.stringify({ i: [2], arr: [0, 0] })}`]);
    expect(compiled).toEqual(showSuccs(interpSuccessors(built, s0)));
  });
});

/**
 * Corners of the reference interpreter (checker/interpreter.ts) that the engine comparisons do
 * not reach: cyclic() on cycles longer than one edge, errors that are bugs rather than bounds
 * violations, multi-dimensional arrays shown as nested objects, statesEqual, and the bounds
 * property's message.
 */
import { describe, expect, it } from 'vitest';
import { model, range, bool, enumeration, guard, set, add, lt, not, cyclic, forall, count, type Expr } from '../../model/lang/index.ts';
import type { Model } from '../../model/lang/ir.ts';
import {
  canFire, evaluate, initialState, instancesOf, showState, statesEqual, step,
} from '../../checker/interpreter.ts';
import { runCheck } from '../../checker/check.ts';

const N = range(0, 2);

/** A graph over 3 nodes with the given edges, as a state of a model with g: bool[N][N]. */
function graph(edges: [number, number][]): { m: Model; s: Record<string, number[]> } {
  const b = model('graph');
  const g = b.var('g', bool, false, [N, N]);
  b.action('noop', { body: [guard(not(cyclic(g)))] });
  b.noDeadlockCheck();
  const m = b.build();
  const s = initialState(m);
  for (const [from, to] of edges) s.g[from * 3 + to] = 1;
  return { m, s };
}
const isCyclic = (edges: [number, number][]) => {
  const { m, s } = graph(edges);
  return evaluate(m, { op: 'cyclic', sort: bool, name: 'g' }, s, {});
};

describe('cyclic', () => {
  it('finds cycles of length 1, 2 and 3 and no cycle in a DAG', () => {
    expect(isCyclic([[1, 1]])).toBe(1);
    expect(isCyclic([[0, 1], [1, 0]])).toBe(1);
    expect(isCyclic([[0, 1], [1, 2], [2, 0]])).toBe(1);
    // 0 -> 1 -> 2 and 0 -> 2: every edge points forward.
    expect(isCyclic([[0, 1], [1, 2], [0, 2]])).toBe(0);
    expect(isCyclic([])).toBe(0);
  });
});

describe('quantifiers are 0 or 1, count is a number', () => {
  it('a forall that holds over 3 values is 1 (stored in a bool), count is 3', () => {
    const b = model('quantifier-values');
    const flag = b.var('flag', bool, false);
    const n = b.var('n', range(0, 3), 0);
    b.action('eval', { body: [set(flag, forall(N, (i) => lt(i, 3))), set(n, count(N, (i) => lt(i, 3)))] });
    b.noDeadlockCheck();
    const m = b.build();
    const r = step(m, initialState(m), instancesOf(m)[0]);
    expect(r.bounds).toBeUndefined();
    expect(r.state).toEqual({ flag: [1], n: [3] });
  });
});

describe('errors that are not bounds violations propagate', () => {
  // x: 0..2; `bad` has a guard or an assignment reading a parameter that is not bound.
  const unbound: Expr = { op: 'param', sort: range(0, 2), name: 'nope' };
  function withBadAction(where: 'guard' | 'assign'): Model {
    const b = model('bad-ir');
    const x = b.var('x', range(0, 2), 0);
    b.action('bad', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
    b.noDeadlockCheck();
    const m = b.build();
    const a = m.actions[0];
    if (where === 'guard') a.guard = { op: 'lt', sort: bool, a: unbound, b: { op: 'lit', sort: range(0, 2), value: 1 } };
    else a.assigns = [{ ...a.assigns[0], value: unbound }];
    return m;
  }
  it('an unbound parameter in a guard is an error from canFire, not an enabled bounds step', () => {
    const m = withBadAction('guard');
    expect(() => canFire(m, initialState(m), instancesOf(m)[0])).toThrow('unbound nope');
  });
  it('an unbound parameter in an assignment is an error from step, not a bounds result', () => {
    const m = withBadAction('assign');
    expect(() => step(m, initialState(m), instancesOf(m)[0])).toThrow('unbound nope');
  });
  it('a read of a variable the model does not declare is an error naming it', () => {
    const m = withBadAction('assign');
    expect(() => evaluate(m, { op: 'var', sort: bool, name: 'ghost', index: [] }, initialState(m), {})).toThrow('unknown variable ghost');
  });
});

describe('showState and statesEqual', () => {
  it('a two-dimensional array is shown as nested objects keyed by index names', () => {
    const Side = enumeration('Side', ['left', 'right']);
    const b = model('grid');
    const cell = b.var('cell', range(0, 9), 0, [N, Side]);
    b.action('noop', { body: [guard(true)] });
    b.noDeadlockCheck();
    const m = b.build();
    const s = initialState(m);
    // Row-major: cell[n][side] at n * 2 + side.
    s.cell = [1, 2, 3, 4, 5, 6];
    expect(showState(m, s)).toEqual({ cell: { 0: { left: 1, right: 2 }, 1: { left: 3, right: 4 }, 2: { left: 5, right: 6 } } });
    // The same index sorts in three dimensions: the middle stride is 2.
    const b3 = model('cube');
    b3.var('c', range(0, 9), 0, [range(0, 1), range(0, 1), range(0, 1)]);
    b3.action('noop', { body: [guard(true)] });
    b3.noDeadlockCheck();
    const m3 = b3.build();
    expect(showState(m3, { c: [0, 1, 2, 3, 4, 5, 6, 7] })).toEqual({
      c: { 0: { 0: { 0: 0, 1: 1 }, 1: { 0: 2, 1: 3 } }, 1: { 0: { 0: 4, 1: 5 }, 1: { 0: 6, 1: 7 } } },
    });
  });

  it('statesEqual compares every cell of every variable', () => {
    expect(statesEqual({ x: [1], a: [0, 1] }, { x: [1], a: [0, 1] })).toBe(true);
    expect(statesEqual({ x: [1], a: [0, 1] }, { x: [1], a: [0, 0] })).toBe(false);
    expect(statesEqual({ x: [1], a: [0, 1] }, { x: [2], a: [0, 1] })).toBe(false);
    expect(statesEqual({ x: [1], a: [0] }, { x: [1], a: [0, 1] })).toBe(false);
  });
});

describe('the bounds property', () => {
  it('names what left its range in the reported message', () => {
    const b = model('overflow');
    const x = b.var('x', range(0, 1), 0);
    b.action('up', { body: [set(x, add(x, 2))] });
    b.noDeadlockCheck();
    const r = runCheck(b.build());
    expect(r.property).toMatchObject({ id: 'bounds', message: 'a value left the range of its declared sort: x := 2 is outside 0..1' });
  });
});

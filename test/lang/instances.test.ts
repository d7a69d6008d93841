/**
 * Action instances (checker/interpreter.ts instancesOf): one per parameter tuple, in action
 * order and then row-major over the tuples, the first parameter varying slowest. Both engines
 * and the replay take their instances from here, so a tuple lost here is lost everywhere; the
 * state counts below are the check that no tuple is missing.
 */
import { describe, expect, it } from 'vitest';
import { model, range, bool, guard, set, not, and, eq, requires, type Expr, type Sort } from '../../model/lang/index.ts';
import { instancesOf } from '../../checker/interpreter.ts';
import { runCheck } from '../../checker/check.ts';

const param = (name: string, sort: Sort): Expr => ({ op: 'param', sort, name });

describe('instancesOf', () => {
  it('a two-parameter action over 3 × 2 values: 6 tuples row-major, after a plain action', () => {
    const A = range(0, 2), B = range(5, 6);
    const m = model('tuples');
    const x = m.var('x', bool, false);
    m.action('first', { body: [set(x, true)] });
    m.action('pair', { params: [{ name: 'a', sort: A }, { name: 'b', sort: B }], body: [set(x, false)] });
    m.action('last', { params: [{ name: 'c', sort: A, values: [0, 2] }], body: [set(x, true)] });
    m.noDeadlockCheck();
    const all = instancesOf(m.build());
    expect(all.map((i) => [i.id, i.action.name, i.actionIndex, i.params])).toEqual([
      [0, 'first', 0, []],
      [1, 'pair', 1, [0, 5]], [2, 'pair', 1, [0, 6]],
      [3, 'pair', 1, [1, 5]], [4, 'pair', 1, [1, 6]],
      [5, 'pair', 1, [2, 5]], [6, 'pair', 1, [2, 6]],
      // A parameter restricted to some values has only those.
      [7, 'last', 2, [0]], [8, 'last', 2, [2]],
    ]);
  });

  it('three parameters of 2 values: 8 tuples', () => {
    const B2 = range(0, 1);
    const m = model('triples');
    const x = m.var('x', bool, false);
    m.action('t', { params: [{ name: 'a', sort: B2 }, { name: 'b', sort: B2 }, { name: 'c', sort: B2 }], body: [set(x, true)] });
    m.noDeadlockCheck();
    expect(instancesOf(m.build()).map((i) => i.params.join(''))).toEqual(['000', '001', '010', '011', '100', '101', '110', '111']);
  });
});

describe('every tuple of a two-parameter action is explored', () => {
  const K = range(0, 1);
  it('mark(a, b) sets cell[a][b] once: 16 states, 32 transitions', () => {
    // Each of the 4 cells is set independently: every subset is reachable, 2^4 = 16 states.
    // A state with k cells set enables the 4 - k others: sum over subsets of (4 - k) =
    // 4 * 2^3 = 32 transitions. Depth 4 (all cells set).
    const m = model('cells');
    const cell = m.var('cell', bool, false, [K, K]);
    const a = param('a', K), b = param('b', K);
    m.action('mark', { params: [{ name: 'a', sort: K }, { name: 'b', sort: K }], body: [guard(not(cell.at(a, b))), set(cell.at(a, b), true)] });
    m.noDeadlockCheck();
    const r = runCheck(m.build());
    expect(r.verdict).toBe('pass');
    expect([r.stats.states, r.stats.transitions, r.stats.depth]).toEqual([16, 32, 4]);
  });

  it('a violation only the last tuple (1, 1) reaches is found, in one step', () => {
    const m = model('last-tuple');
    const a = param('a', K), b = param('b', K);
    m.action('touch', {
      params: [{ name: 'a', sort: K }, { name: 'b', sort: K }],
      body: [requires('t.not-11', 'touched (1, 1)', not(and(eq(a, 1), eq(b, 1))))],
    });
    m.noDeadlockCheck();
    const r = runCheck(m.build());
    expect(r.property?.id).toBe('t.not-11');
    expect(r.trace?.steps.map((s) => [s.action, s.params])).toEqual([['touch', { a: 1, b: 1 }]]);
  });
});

/**
 * Statement errors (model/lang/stmt.ts): the exact ModelError texts of a `requires` or `when`
 * whose condition is not a bool, and of a `cyclic(...)` read in the step that writes its graph;
 * and the cases that are NOT errors (cyclic of another graph, a parameter sharing a variable's
 * name read after that variable is written).
 */
import { describe, expect, it } from 'vitest';
import {
  model, range, bool, enumeration, param, set, guard, requires, when, not, eq, add, cyclic, ModelError,
} from '../../model/lang/index.ts';
import { initialState, instancesOf, isEnabled, step } from '../../checker/interpreter.ts';

/** The message of the ModelError `f` throws (fails if it throws anything else, or nothing). */
function modelError(f: () => unknown): string {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ModelError);
  return (err as Error).message;
}

describe('a condition that is not a bool', () => {
  const m = model('stmt-errors');
  const x = m.var('x', range(0, 3), 0);

  it('requires: the message names the property', () => {
    expect(modelError(() => requires('my.rule', 'what broke', add(x, 1)))).toBe('requires my.rule: condition must be a bool');
    expect(modelError(() => requires({ id: 'my.decl', message: 'm' }, x))).toBe('requires my.decl: condition must be a bool');
  });

  it('when: one fixed message', () => {
    expect(modelError(() => when(x, []))).toBe('when: condition must be a bool');
  });

  it('bool conditions are accepted', () => {
    expect(requires('my.rule', 'what broke', eq(x, 1))).toMatchObject({ k: 'requires', id: 'my.rule', message: 'what broke' });
    expect(when(eq(x, 1), [])).toMatchObject({ k: 'when', then: [], else: [] });
  });
});

describe('cyclic() in the step that writes the graph', () => {
  const L = enumeration('L', ['a', 'b']);

  it('reading cyclic(order) after writing order is refused, naming the graph twice', () => {
    const m = model('cyclic-write');
    const order = m.var('order', bool, false, [L, L]);
    expect(modelError(() => m.action('lock', { body: [set(order.at('a', 'b'), true), guard(not(cyclic(order)))] })))
      .toBe('cyclic(order) read in the same step that writes order; split the step');
  });

  it('reading cyclic(order) after writing another variable is fine, and reads the graph', () => {
    const m = model('cyclic-other');
    const order = m.var('order', bool, true, [L, L]);
    const n = m.var('n', range(0, 1), 0);
    m.action('count', { body: [set(n, 1), guard(not(cyclic(order)))] });
    m.noDeadlockCheck();
    const built = m.build();
    // Every edge is set, so the graph has a cycle and the guard is false: no instance is enabled.
    expect(built.actions.map((a) => a.name)).toEqual(['count']);
    const s0 = initialState(built);
    const [inst] = instancesOf(built);
    expect(isEnabled(built, s0, inst)).toBe(false);
    expect(step(built, s0, inst).state).toEqual({ order: [1, 1, 1, 1], n: [1] });
  });

  it('reading cyclic(order) before writing order is fine', () => {
    const m = model('cyclic-before');
    const order = m.var('order', bool, false, [L, L]);
    expect(() => m.action('lock', { body: [guard(not(cyclic(order))), set(order.at('a', 'b'), true)] })).not.toThrow();
  });
});

describe('a parameter named like a variable', () => {
  it('is read as the parameter, even after the variable of that name is written', () => {
    const m = model('param-shadow');
    const N = enumeration('N', ['n1', 'n2']);
    const nVar = m.var('n', range(0, 3), 0);
    const got = m.var('got', N, 'n1');
    const n = param('n', N);
    m.action('take', { params: [n], body: [set(nVar, 3), set(got, n)] });
    m.noDeadlockCheck();
    const built = m.build();
    const s0 = initialState(built);
    const insts = instancesOf(built);
    expect(insts.map((i) => step(built, s0, i).state)).toEqual([{ n: [3], got: [0] }, { n: [3], got: [1] }]);
  });
});

/**
 * checker/first-violation.ts: the first path-ending `requires` violation along a trace, judged on
 * the whole model. Traces are written by hand (action names and parameters as a trace shows
 * them), so each case says which step breaks which requirement.
 */
import { describe, expect, it } from 'vitest';
import { model, enumeration, bool, range, requires, set, not, eq, param, type Expr } from '../../model/lang/index.ts';
import { firstRequiresViolation } from '../../checker/first-violation.ts';
import type { Trace } from '../../checker/result.ts';

const Node = enumeration('Node', ['n1', 'n2']);

/**
 * kfree(node, twice): requires `x.double-free` (unsound) that the node is not freed yet, and
 * `x.leak-ish` (class leak: never ends a path) that `twice` is false; frees the node.
 * touch(node): requires `x.uaf` (liveness) that the node is not freed.
 */
function build() {
  const m = model('fv');
  const freed = m.var('freed', bool, false, [Node]);
  const n = m.var('n', range(0, 3), 0);
  const node = param('node', Node);
  const twice = param('twice', bool);
  m.action('kfree', {
    params: [node, twice],
    body: [
      requires({ id: 'x.leak-ish', message: 'twice', class: 'leak' }, not(twice)),
      requires({ id: 'x.double-free', message: 'double free', class: 'unsound' }, not(freed.at(node))),
      set(freed.at(node), true),
    ],
  });
  m.action('touch', { params: [node], body: [requires({ id: 'x.uaf', message: 'use after free', class: 'liveness' }, not(freed.at(node))), set(n, 1)] });
  m.action('tick', { body: [requires({ id: 'x.tick', message: 'n is 0', class: 'unsound' }, eq(n, 0) as Expr)] });
  m.noDeadlockCheck();
  return m.build();
}

const trace = (...steps: [string, Record<string, string | boolean>][]): Trace => ({
  initial: {},
  steps: steps.map(([action, params], i) => ({ index: i + 1, action, params, state: {} })),
});

describe('firstRequiresViolation', () => {
  const m = build();

  it('a clean trace has none; a double free of the same node is found at the step that does it', () => {
    expect(firstRequiresViolation(m, trace(['kfree', { node: 'n1', twice: false }], ['kfree', { node: 'n2', twice: false }]))).toBeUndefined();
    expect(firstRequiresViolation(m, trace(['kfree', { node: 'n2', twice: false }], ['touch', { node: 'n1' }], ['kfree', { node: 'n2', twice: false }]))).toBe('x.double-free');
  });

  it('parameters select the instance: the second parameter and the node both count', () => {
    // kfree(n1, true) breaks only the leak-class requirement (not path-ending), so it is skipped
    // and the state still advances: n1 is freed, and touching it is the liveness violation.
    expect(firstRequiresViolation(m, trace(['kfree', { node: 'n1', twice: true }], ['touch', { node: 'n2' }]))).toBeUndefined();
    expect(firstRequiresViolation(m, trace(['kfree', { node: 'n1', twice: true }], ['touch', { node: 'n1' }]))).toBe('x.uaf');
  });

  it('the first failing step wins, and within it the requirement a path-ending class names', () => {
    // touch(n1) sets n = 1, so tick breaks x.tick; the later double free comes second.
    expect(firstRequiresViolation(m, trace(['touch', { node: 'n1' }], ['tick', {}], ['kfree', { node: 'n1', twice: false }], ['kfree', { node: 'n1', twice: false }]))).toBe('x.tick');
    // Both requirements of kfree fail at step 2 (twice and already freed): the leak one is not path-ending.
    expect(firstRequiresViolation(m, trace(['kfree', { node: 'n2', twice: false }], ['kfree', { node: 'n2', twice: true }]))).toBe('x.double-free');
  });

  it('upTo stops before the step that breaks it; 0 steps judge nothing', () => {
    const t = trace(['kfree', { node: 'n1', twice: false }], ['touch', { node: 'n2' }], ['touch', { node: 'n1' }]);
    expect(firstRequiresViolation(m, t)).toBe('x.uaf');
    expect(firstRequiresViolation(m, t, { upTo: 3 })).toBe('x.uaf');
    expect(firstRequiresViolation(m, t, { upTo: 2 })).toBeUndefined();
    expect(firstRequiresViolation(m, trace(['kfree', { node: 'n1', twice: false }], ['kfree', { node: 'n1', twice: false }]), { upTo: 0 })).toBeUndefined();
  });

  it('a step the model has no instance of is an error naming the step and the model', () => {
    expect(() => firstRequiresViolation(m, trace(['kfree', { node: 'n1', twice: false }], ['kfree', { node: 'n3', twice: false }])))
      .toThrow('trace step 2: no action kfree in model fv');
    expect(() => firstRequiresViolation(m, trace(['touch', { node: 'n1', extra: 'x' }]))).toThrow('trace step 1: no action touch in model fv');
    // One parameter whose value spells out the next one is not kfree(n1, false): parameters stay apart.
    expect(() => firstRequiresViolation(m, trace(['kfree', { node: 'n1twice=false' }]))).toThrow('trace step 1: no action kfree in model fv');
  });
});

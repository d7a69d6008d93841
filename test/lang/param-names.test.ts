/**
 * `param(name, sort)`: a free-standing action's parameter, declared and read as one expression;
 * step names: a step reached from several positions is one action named by its label; a label
 * used twice names both places.
 */
import { describe, expect, it } from 'vitest';
import {
  model, enumeration, range, bool, step, branch, goto, guard, requires, set, lt, not, forall, param, ModelError,
} from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';

const Node = enumeration('Node', ['n1', 'n2']);

describe('param', () => {
  it('one action per node: 4 states, 4 transitions, the node shown in the trace', () => {
    // freed[n1], freed[n2] go false → true once each: states 00, 10, 01, 11; kfree(n1) and
    // kfree(n2) from 00, the other one from 10 and 01: 4 transitions.
    const m = model('kfree');
    const freed = m.var('freed', bool, false, [Node]);
    const node = param('node', Node);
    m.action('kfree', { params: [node], body: [guard(not(freed.at(node))), set(freed.at(node), true)] });
    m.final(forall(Node, (n) => freed.at(n)));
    const built = m.build();
    expect(built.actions[0].params).toEqual([{ name: 'node', sort: Node }]);
    const r = runCheck(built);
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 4, 4]);
  });

  it('a double kfree is found with the node in the trace: 2 steps; values restrict the parameter', () => {
    const build = (values?: number[]) => {
      const m = model('kfree-twice');
      const freed = m.var('freed', bool, false, [Node]);
      const node = param('node', Node, values);
      m.action('kfree', { params: [node], body: [requires('x.double-free', 'kfree twice', not(freed.at(node))), set(freed.at(node), true)] });
      m.noDeadlockCheck();
      return m.build();
    };
    const r = runCheck(build());
    expect(r.property).toMatchObject({ id: 'x.double-free', action: 'kfree' });
    expect(r.trace!.steps.map((s) => s.params)).toEqual([{ node: 'n1' }, { node: 'n1' }]);
    // Only n2: the same bug, found on n2.
    expect(runCheck(build([1])).trace!.steps.map((s) => s.params)).toEqual([{ node: 'n2' }, { node: 'n2' }]);
  });

  it('a parameter read but not declared, or declared with another sort, is a model error', () => {
    const m = model('undeclared');
    const freed = m.var('freed', bool, false, [Node]);
    const node = param('node', Node);
    expect(() => m.action('kfree', { body: [set(freed.at(node), true)] }))
      .toThrow(new ModelError("action kfree reads parameter 'node' but does not declare it: add it to params (params: [node])"));
    expect(() => m.action('kfree', { params: [param('node', range(0, 1))], body: [set(freed.at(node), true)] }))
      .toThrow(new ModelError("action kfree: parameter 'node' is declared 0..1 but read as Node"));
    expect(() => param('my node', Node)).toThrow(new ModelError("bad parameter name 'my node': use letters, digits and '_', starting with a letter or '_'"));
    expect(() => param('node', Node, [2])).toThrow(new ModelError('param node: 2 is not a value of Node'));
  });
});

describe('step names', () => {
  it('a step reached after a branch and from inside it keeps its label: one action, same states', () => {
    // found? (x < 1) → take → put; else straight to put. `put` is reached from `found?` and from
    // its own position (after take): one action `put`, no `put@found?`. x starts at 0, so only
    // (found?, 0) → take → (put, 1) → put → (done, 0): 3 states, 2 transitions, every action taken.
    const m = model('names');
    m.threads(['T']);
    const x = m.var('x', range(0, 1), 0);
    m.program('p', ['T'], () => [
      branch('found?', lt(x, 1), [step('take', set(x, 1))]),
      step('put', set(x, 0)),
    ]);
    const built = m.build();
    expect(built.actions.map((a) => a.name)).toEqual(['take', 'put']);
    const r = runCheck(built);
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 3, 2]);
    expect(r.unreachedActions ?? []).toEqual([]);
  });

  it('a label used twice names both places, file:line:col', () => {
    const m = model('dup');
    m.threads(['T']);
    const x = m.var('x', range(0, 2), 0);
    m.program('p', ['T'], () => [step('inc', set(x, 1)), goto('inc2'), step('inc2', set(x, 2)), step('inc', set(x, 0))]);
    expect(() => m.build()).toThrow(/^program p: label 'inc' used twice \(test\/lang\/param-names\.test\.ts:\d+:\d+ and test\/lang\/param-names\.test\.ts:\d+:\d+\); labels name program positions and must be unique$/);
  });
});

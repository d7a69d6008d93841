/**
 * Statement builders of model/lang/stmt.ts and what a step records: `requires` with a catalogue
 * entry (the instance message replaces the entry's, or the entry's is kept), a step's tags
 * (each once, in first-use order, none for an untagged step), `indexTuples` (every index
 * tuple of a list of sorts, row-major), and compileStep's output for conditions outside any
 * `when`: the guard and the requirement are the conditions as written, not `true => cond`.
 */
import { describe, expect, it } from 'vitest';
import {
  model, range, bool, enumeration, set, tag, guard, requires, eq, gt, lt, when, indexTuples, compileStep, TRUE,
} from '../../model/lang/index.ts';

describe('requires with a property declaration', () => {
  const m = model('requires-decl');
  const x = m.var('x', range(0, 3), 0);
  const decl = { id: 'my.rule', message: 'the rule broke', class: 'warn' as const };

  it('an instance message replaces the declaration\'s', () => {
    expect(requires(decl, eq(x, 1), 'my.rule at x = 1')).toMatchObject({ id: 'my.rule', message: 'my.rule at x = 1', class: 'warn' });
  });

  it('without one, the declaration\'s message is kept', () => {
    expect(requires(decl, eq(x, 1))).toMatchObject({ id: 'my.rule', message: 'the rule broke', class: 'warn' });
  });
});

describe('tags of a step', () => {
  it('each tag once, in the order first used', () => {
    const m = model('tags');
    const x = m.var('x', range(0, 1), 0);
    m.action('sleepy', { body: [tag('might_sleep'), set(x, 1), tag('irq_off'), tag('might_sleep'), tag('irq_off')] });
    m.action('plain', { body: [set(x, 0)] });
    m.noDeadlockCheck();
    const built = m.build();
    expect(built.actions.map((a) => [a.name, a.tags])).toEqual([['sleepy', ['might_sleep', 'irq_off']], ['plain', []]]);
  });

  it('compileStep: a step of tags only has those tags and nothing else', () => {
    const c = compileStep([tag('a'), tag('b'), tag('a')]);
    expect(c.tags).toEqual(['a', 'b']);
    expect(c.assigns).toEqual([]);
    expect(c.requires).toEqual([]);
    expect(compileStep([]).tags).toEqual([]);
  });
});

describe('indexTuples', () => {
  it('no sorts: the one empty tuple', () => {
    expect(indexTuples([])).toEqual([[]]);
  });

  it('two sorts, row-major, over the sorts\' own values', () => {
    const E = enumeration('E', ['p', 'q', 'r']);
    expect(indexTuples([range(1, 2), bool])).toEqual([[1, 0], [1, 1], [2, 0], [2, 1]]);
    expect(indexTuples([E])).toEqual([[0], [1], [2]]);
  });
});

describe('compileStep: conditions outside any when', () => {
  const m = model('top-level');
  const x = m.var('x', range(0, 3), 0);

  it('the guard and the requirement are the conditions themselves', () => {
    const c = compileStep([guard(gt(x, 0)), requires('my.rule', 'x below 3', lt(x, 3))]);
    expect(c.guard).toEqual(gt(x, 0));
    expect(c.requires.map((r) => [r.id, r.message, r.expr])).toEqual([['my.rule', 'x below 3', lt(x, 3)]]);
  });

  it('a guard under when(false, ...) leaves the step unguarded', () => {
    expect(compileStep([when(false, [guard(gt(x, 0))])]).guard).toEqual(TRUE);
  });
});

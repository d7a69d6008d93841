import { describe, it, expect } from 'vitest';
import { model, bool, step, set, requires, not, ModelError } from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import { describeProperties } from '../../properties/describe.ts';
import { defaultClass, KINDS } from '../../properties/kinds.ts';
import { CLASSES, sarifLevel } from '../../properties/classes.ts';
import { rootCauses } from '../../properties/root-cause.ts';

function tiny(classify?: [string, string]) {
  const m = model('tiny');
  m.threads(['T1']);
  const freed = m.var('freed', bool, false);
  m.program('p', ['T1'], () => [
    step('free', set(freed, true)),
    step('use', requires('tiny.uaf', 'used after free', not(freed))),
  ]);
  m.quiescence('tiny.leak', 'not freed', freed);
  m.cover({ id: 'tiny.can-free', message: 'a client can free', class: 'capability' }, freed);
  m.invariant({ id: 'tiny.warned', message: 'a WARN', class: 'warn' }, true);
  if (classify) m.classify(classify[0], classify[1] as never);
  return m.build();
}

describe('property classes', () => {
  it('each kind has a default class; every class has a SARIF level', () => {
    expect(KINDS.map((k) => [k, defaultClass(k)])).toEqual([
      ['invariant', 'unsound'], ['requires', 'unsound'], ['deadlock', 'liveness'],
      ['quiescence', 'leak'], ['cover', 'capability'], ['bounds', 'warn'],
    ]);
    expect(CLASSES.map(sarifLevel)).toEqual(['error', 'warning', 'error', 'warning', 'note']);
  });

  it('declared, defaulted and generated classes reach the result and the listing', () => {
    const m = tiny();
    expect(describeProperties(m).map((p) => [p.id, p.kind, p.class])).toEqual([
      ['deadlock', 'deadlock', 'liveness'], ['tiny.leak', 'quiescence', 'leak'], ['tiny.can-free', 'cover', 'capability'],
      ['tiny.warned', 'invariant', 'warn'], ['tiny.uaf', 'requires', 'unsound'],
    ]);
    expect(describeProperties(m).find((p) => p.id === 'tiny.uaf')!.locations).toHaveLength(1);
    expect(runCheck(m).property).toMatchObject({ id: 'tiny.uaf', kind: 'requires', class: 'unsound' });
  });

  it('a model may re-class a property; naming no property or no class is a model error', () => {
    expect(runCheck(tiny(['tiny.uaf', 'warn'])).property).toMatchObject({ id: 'tiny.uaf', class: 'warn' });
    expect(() => tiny(['tiny.nope', 'warn'])).toThrow(new ModelError("classify: the model has no property 'tiny.nope'"));
    expect(() => tiny(['tiny.uaf', 'fatal'])).toThrow(/unknown class 'fatal' \(one of unsound, warn, liveness, leak, capability\)/);
  });
});

describe('root causes', () => {
  it('roots with the same situation fold under the worst, shortest one; consequences follow their root', () => {
    const g = rootCauses([
      { id: 'leak', class: 'leak', change: 'fixed', old: { violated: true, after: 'uaf' } },
      { id: 'add0', class: 'unsound', change: 'fixed', old: { violated: true, steps: 5, situation: 'S' } },
      { id: 'uaf', class: 'unsound', change: 'fixed', old: { violated: true, steps: 5, situation: 'S' } },
      { id: 'warn', class: 'warn', change: 'fixed', old: { violated: true, steps: 4, situation: 'S' } },
      { id: 'other', class: 'unsound', change: 'fixed', old: { violated: true, steps: 2, situation: 'T' } },
      { id: 'ok', class: 'liveness', change: 'still holds', old: { violated: false }, new: { violated: false } },
    ]);
    expect(g).toEqual([
      { root: 'add0', class: 'unsound', change: 'fixed', side: 'old', sameViolation: ['uaf', 'warn'], consequences: ['leak'] },
      { root: 'other', class: 'unsound', change: 'fixed', side: 'old', sameViolation: [], consequences: [] },
      { root: 'ok', class: 'liveness', change: 'still holds', sameViolation: [], consequences: [] },
    ]);
  });

  it('rows fold only with the same change, and the new side names the group when it violates', () => {
    const g = rootCauses([
      { id: 'a', class: 'unsound', change: 'fixed', old: { violated: true, steps: 3, situation: 'S' }, new: { violated: false } },
      { id: 'b', class: 'unsound', change: 'still violated', old: { violated: true, steps: 3, situation: 'S' }, new: { violated: true, steps: 7, situation: 'U' } },
    ]);
    expect(g.map((x) => [x.root, x.side, x.change, x.sameViolation])).toEqual([['a', 'old', 'fixed', []], ['b', 'new', 'still violated', []]]);
  });
});

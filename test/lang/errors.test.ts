/**
 * Language errors: building a bad model throws a ModelError with a one-line message that names
 * the problem (sort mismatches, duplicate labels, unknown goto targets, duplicate variables).
 */
import { describe, expect, it } from 'vitest';
import {
  model, range, bool, enumeration, scalarset, step, goto, guard, set, add, eq, lt, and, not, ModelError,
} from '../../model/lang/index.ts';

/** Expect `f` to throw a one-line ModelError matching `re`. */
function rejects(f: () => unknown, re: RegExp): void {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ModelError);
  const msg = (err as Error).message;
  expect(msg).toMatch(re);
  expect(msg).not.toContain('\n');
}

describe('sort mismatches', () => {
  const m = model('sorts');
  const b = m.var('b', bool, false);
  const x = m.var('x', range(0, 3), 0);
  const State = enumeration('State', ['idle', 'busy']);
  const Other = enumeration('Other', ['on', 'off']);
  const s = m.var('s', State, 'idle');
  const o = m.var('o', Other, 'on');
  const Page = scalarset('Page', 2, 'P');
  const perPage = m.var('perPage', range(0, 1), 0, [Page]);
  const perState = m.var('perState', bool, false, [State]);

  it('comparing a bool with a number', () => rejects(() => eq(b, 1), /==: cannot compare bool with int/));
  it('comparing two different enumerations', () => rejects(() => eq(s, o), /cannot compare State with Other/));
  it('an enumeration value the sort does not have', () => rejects(() => eq(s, 'sleeping'), /'sleeping' is not a value of State/));
  it('arithmetic on a bool', () => rejects(() => add(b, 1), /\+ needs a number, got bool/));
  it('and() of a number', () => rejects(() => and(x, true), /and needs a bool, got 0\.\.3/));
  it('assigning a number to a bool', () => rejects(() => set(b, 3), /cannot assign int to b of sort bool/));
  it('assigning an enumeration to a range variable', () => rejects(() => set(x, s), /cannot assign State to x of sort 0\.\.3/));
  it('an invariant that is not a bool', () => rejects(() => m.invariant('i', 'int', add(x, 1)), /i: expected a bool expression, got int/));
  it('a guard that is not a bool', () => rejects(() => guard(x), /guard needs a bool, got 0\.\.3/));
  it('an initial value outside the sort', () => rejects(() => m.var('y', range(0, 2), 5), /variable y: initial value 5 is not in 0\.\.2/));
  it('indexing an array with a value of another sort', () => {
    rejects(() => perPage.at(s), /perPage: index 1 must be Page, got State/);
    rejects(() => perState.at(b), /perState: index 1 must be State, got bool/);
    rejects(() => perPage.at(0, 1), /perPage takes 1 indices, got 2/);
  });
  it('a well-sorted index is accepted (the checks above are not blanket refusals)', () => {
    expect(perState.at('busy').index[0]).toMatchObject({ op: 'lit', value: 1 });
    expect(perPage.at(1).index[0]).toMatchObject({ op: 'lit', value: 1 });
    expect(() => eq(s, 'busy')).not.toThrow();
    expect(() => set(x, add(x, 1))).not.toThrow();
  });
});

describe('programs and declarations', () => {
  it('a label used twice in one program', () => {
    const m = model('dup-label');
    m.threads(['T']);
    const x = m.var('x', range(0, 2), 0);
    m.program('p', ['T'], () => [step('inc', set(x, add(x, 1))), step('inc', set(x, add(x, 1)))]);
    rejects(() => m.build(), /program p: label 'inc' used twice/);
  });

  it('a goto to an unknown label', () => {
    const m = model('bad-goto');
    m.threads(['T']);
    const x = m.var('x', range(0, 2), 0);
    m.program('p', ['T'], () => [step('inc', guard(lt(x, 2)), set(x, add(x, 1))), goto('again')]);
    rejects(() => m.build(), /program p: goto to unknown label 'again'/);
  });

  it('a goto to a known label builds (a loop)', () => {
    const m = model('good-goto');
    m.threads(['T']);
    const x = m.var('x', range(0, 2), 0);
    m.program('p', ['T'], () => [step('inc', guard(lt(x, 2)), set(x, add(x, 1))), goto('inc')]);
    expect(m.build().actions.map((a) => a.name)).toEqual(['inc']);
  });

  it('a variable declared twice', () => {
    const m = model('dup-var');
    m.var('x', range(0, 2), 0);
    rejects(() => m.var('x', bool, false), /variable x declared twice/);
  });

  it('the reserved name pc', () => {
    const m = model('pc');
    m.threads(['T']);
    m.var('pc', bool, false);
    m.program('p', ['T'], () => [step('s')]);
    rejects(() => m.build(), /the name pc is reserved/);
  });

  it('two actions with one name', () => {
    const m = model('dup-action');
    const x = m.var('x', range(0, 2), 0);
    m.action('inc', { body: [set(x, 1)] });
    m.action('inc', { body: [set(x, 2)] });
    rejects(() => m.build(), /two actions are named inc/);
  });

  it('a thread running two programs', () => {
    const m = model('two-programs');
    m.threads(['T']);
    m.program('p', ['T'], () => [step('a')]);
    rejects(() => m.program('q', ['T'], () => [step('b')]), /thread T already runs program p/);
  });

  it('a model without actions', () => {
    const m = model('empty');
    m.var('x', bool, false);
    rejects(() => m.build(), /model empty has no actions/);
  });

  it('an unknown thread name', () => {
    const m = model('threads');
    m.threads(['A']);
    rejects(() => m.program('p', ['B'], () => [step('a', guard(not(false)))]), /no thread named B/);
  });
});

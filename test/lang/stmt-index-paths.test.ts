/**
 * compileStep's substitution (model/lang/stmt.ts), checked on the interpreter and the compiled
 * engine: a read through an index of another sort (an option pointer into a Task-indexed array)
 * sees the step's earlier write; under an untaken `when`, an index of a different sort (another
 * range, a same-named enumeration with more values) is not used, so it is no bounds error; a
 * `when` whose condition is the literal false (or the else of literal true) writes and requires
 * nothing; a guard under a `when` still blocks; a pointer read twice is checked once; a bare
 * `Ref` (no index sorts recorded) is written at its index as given.
 */
import { describe, expect, it } from 'vitest';
import {
  model, range, bool, enumeration, option, deref, Ref, set, guard, requires, when, not, eq, ne, lt,
} from '../../model/lang/index.ts';
import { KERNEL } from '../../properties/catalogue/index.ts';
import type { Model } from '../../model/lang/ir.ts';
import { enabled, initialState, instancesOf, step, type State } from '../../checker/interpreter.ts';
import { compileModel, compiledSuccessors, interpSuccessors, showSuccs } from '../engine/helpers.ts';

/** The one action's step from the initial state on the interpreter; the compiled engine agrees. */
function oneStep(built: Model): { state: State; bounds?: string; violated?: string } {
  const s0 = initialState(built);
  const [inst] = instancesOf(built);
  const r = step(built, s0, inst);
  expect(showSuccs(compiledSuccessors(built, compileModel(built), s0))).toEqual(showSuccs(interpSuccessors(built, s0)));
  return { state: r.state, ...(r.bounds ? { bounds: r.bounds } : {}), ...(r.violated ? { violated: r.violated.id } : {}) };
}

const Task = enumeration('Task', ['A', 'B']);

describe('a read after a write, through an index of another sort', () => {
  it('an option(Task) pointer indexing a Task array sees the write just made through it', () => {
    const m = model('option-index');
    const ptr = m.var('ptr', option(Task), 'B');
    const held = m.var('held', bool, false, [Task]);
    const seen = m.var('seen', bool, false);
    m.action('lock', { body: [set(held.at(ptr), true), set(seen, held.at(ptr))] });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { ptr: [1], held: [0, 1], seen: [1] } });
  });

  it('a deref of the pointer does too', () => {
    const m = model('deref-index');
    const ptr = m.var('ptr', option(Task), 'A');
    const held = m.var('held', bool, false, [Task]);
    const seen = m.var('seen', bool, false);
    m.action('lock', { body: [set(held.at(deref(ptr)), true), set(seen, held.at(deref(ptr)))] });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { ptr: [0], held: [1, 0], seen: [1] } });
  });
});

describe('an untaken when does not use an index of another sort', () => {
  it('j of 1..4 indexing an array over 0..3: at j = 4 nothing is written and nothing is out of range', () => {
    const m = model('other-range');
    const j = m.var('j', range(1, 4), 4);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 3)]);
    m.action('mark', { body: [when(lt(j, 4), [set(arr.at(j), 1)])] });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { j: [4], arr: [0, 0, 0, 0] } });
  });

  it('...and at j = 3 the branch writes arr[3]', () => {
    const m = model('other-range-taken');
    const j = m.var('j', range(1, 4), 3);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 3)]);
    m.action('mark', { body: [when(lt(j, 4), [set(arr.at(j), 1)])] });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { j: [3], arr: [0, 0, 0, 1] } });
  });

  it('an enumeration E of three values indexing an array over an E of two: the third is not used', () => {
    const E2 = enumeration('E', ['a', 'b']);
    const E3 = enumeration('E', ['a', 'b', 'c']);
    const m = model('same-name-enum');
    const k = m.var('k', E3, 'c');
    const arr = m.var('arr', bool, false, [E2]);
    m.action('mark', { body: [when(ne(k, 'c'), [set(arr.at(k), true)])] });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { k: [2], arr: [0, 0] } });
  });
});

describe('a when on a literal', () => {
  it('when(false, ...) writes nothing and its requirement is not checked', () => {
    const m = model('when-false');
    const x = m.var('x', range(0, 1), 0);
    m.action('noop', { body: [when(false, [set(x, 1), requires('t.never', 'never taken', false)])] });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { x: [0] } });
  });

  it('the else of when(true, ...) neither; its then branch does both', () => {
    const m = model('when-true-else');
    const x = m.var('x', range(0, 2), 0);
    m.action('go', {
      body: [when(true, [set(x, 2), requires('t.then', 'then taken', eq(x, 0))], [set(x, 1), requires('t.else', 'else taken', false)])],
    });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { x: [2] }, violated: 't.then' });
  });
});

describe('a guard under a when', () => {
  it('blocks the step when the branch is taken, not otherwise', () => {
    const build = (x0: number) => {
      const m = model('guard-under-when');
      const x = m.var('x', range(0, 1), x0);
      const y = m.var('y', range(0, 1), 0);
      m.action('go', { body: [when(eq(x, 1), [guard(false)]), set(y, 1)] });
      m.noDeadlockCheck();
      return m.build();
    };
    for (const [x0, n] of [[0, 1], [1, 0]]) {
      const built = build(x0);
      const s0 = initialState(built);
      expect(enabled(built, s0, instancesOf(built)).length).toBe(n);
      expect(compiledSuccessors(built, compileModel(built), s0).length).toBe(n);
    }
  });
});

describe('pointer checks', () => {
  it('a pointer dereferenced by two statements under one condition gets one null-deref requirement', () => {
    const m = model('deref-twice');
    const ptr = m.var('ptr', option(Task), 'none');
    const held = m.var('held', bool, false, [Task]);
    const cnt = m.var('cnt', range(0, 1), 0);
    m.action('lock', { body: [set(held.at(deref(ptr, 'p')), true), when(not(held.at(deref(ptr, 'p'))), [set(cnt, 1)])] });
    m.noDeadlockCheck();
    const built = m.build();
    expect(built.actions[0].requires.map((r) => [r.id, r.message])).toEqual([[KERNEL.pointer.nullDeref.id, 'NULL dereference of p']]);
    const r = oneStep(built);
    expect(r.violated).toBe(KERNEL.pointer.nullDeref.id);
  });
});

describe('a bare Ref, without the index sorts Var.at records', () => {
  it('is written at its index as given, at the top level and under a when', () => {
    const m = model('bare-ref');
    const x = m.var('x', range(0, 1), 0);
    m.var('arr', range(0, 2), 0, [range(0, 1)]);
    const cell = (i: number) => new Ref('arr', range(0, 2), [{ op: 'lit', sort: range(0, 1), value: i }]);
    m.action('go', { body: [set(cell(0), 1), when(eq(x, 0), [set(cell(1), 2)])] });
    m.noDeadlockCheck();
    expect(oneStep(m.build())).toEqual({ state: { x: [0], arr: [1, 2] } });
  });
});

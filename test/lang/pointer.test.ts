/**
 * `deref(ptr)` (model/lang/pointer.ts): reading through an `option(...)` pointer as an index.
 * A NULL pointer is a `pointer.null-deref` violation naming the pointer, raised by the step that
 * reads through it, also when that step would otherwise wait; outside steps it is a model error.
 */
import { describe, expect, it } from 'vitest';
import {
  model, enumeration, option, bool, step, branch, set, ne, eq, when, deref, implies, ModelError, type Expr,
} from '../../model/lang/index.ts';
import { spinlockArray, spin_lock, spin_unlock } from '../../model/primitives/index.ts';
import { runCheck } from '../../checker/check.ts';
import { catalogueEntry } from '../../properties/catalogue/index.ts';

const Task = enumeration('Task', ['a', 'b']);

/** T1 locks and unlocks the alloc_lock of the task `leader` points to; T2 clears `leader`. */
function build(copyFirst: boolean) {
  const m = model('leader-lock');
  const T = m.threads(['T1', 'T2']);
  const leader = m.var('leader', option(Task), 'a');
  const mine = m.local('mine', option(Task), 'none');
  const alloc_lock = spinlockArray(m, 'alloc_lock', Task);
  m.program('reader', ['T1'], (self) => {
    const ptr = copyFirst ? mine.at(self) : leader;
    const lock = () => alloc_lock.at(deref(ptr, copyFirst ? 'mine' : 'leader'));
    return [branch('has_leader', ne(leader, 'none'), [
      ...(copyFirst ? [step('get', set(mine.at(self), leader))] : []),
      step('lock', spin_lock(lock(), self)),
      step('unlock', spin_unlock(lock(), self)),
    ])];
  });
  m.program('exit', ['T2'], () => [step('clear', set(leader, 'none'))]);
  return { m, T };
}

describe('deref', () => {
  it('reading twice through a pointer another thread clears: NULL dereference at the unlock, 3 steps', () => {
    const r = runCheck(build(false).m.build());
    expect(r.property).toMatchObject({ id: 'pointer.null-deref', kind: 'requires', class: 'unsound', message: 'NULL dereference of leader', action: 'unlock' });
    expect(r.trace!.steps.map((s) => `${s.thread} ${s.action}`)).toEqual(['T1 lock', 'T2 clear', 'T1 unlock']);
    expect(r.property?.loc?.file).toBe('test/lang/pointer.test.ts');
    expect(catalogueEntry('pointer.null-deref')?.class).toBe('unsound');
  });

  it('a copy taken while the pointer is set passes: 9 states, 10 transitions', () => {
    // T1: has_leader → lock (mine = a) → unlock → done, or has_leader → done once leader is none.
    // With T2 still at clear (leader = a): T1 at has_leader, lock, unlock, done: 4 states.
    // With T2 done (leader = none): T1 at has_leader, lock, unlock, done (mine = a), done (mine = none): 5.
    // Transitions: T2's clear from T1's 4 positions (4); T1's 3 steps with leader = a (3);
    // with leader none: has_leader → done (1), lock → unlock and unlock → done (2): 10.
    const r = runCheck(build(true).m.build());
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 9, 10]);
  });

  it('a step that would wait faults instead: NULL dereference, not a wait and not a bounds error', () => {
    const m = model('wait-then-null');
    m.threads(['T1', 'T2']);
    const leader = m.var('leader', option(Task), 'a');
    const alloc_lock = spinlockArray(m, 'alloc_lock', Task);
    m.program('reader', ['T1'], (self) => [
      step('lock', spin_lock(alloc_lock.at(deref(leader, 'tsk->group_leader')), self)),
      step('unlock', spin_unlock(alloc_lock.at('a'), self)),
    ]);
    // T2 holds a's lock while it clears the pointer: T1's spin_lock, were leader still a, would spin.
    m.program('exit', ['T2'], (self) => [
      step('hold', spin_lock(alloc_lock.at('a'), self)),
      step('clear', set(leader, 'none')),
      step('release', spin_unlock(alloc_lock.at('a'), self)),
    ]);
    const r = runCheck(m.build());
    expect(r.property).toMatchObject({ id: 'pointer.null-deref', message: 'NULL dereference of tsk->group_leader', action: 'lock' });
    expect(r.trace!.steps.map((s) => `${s.thread} ${s.action}`)).toEqual(['T2 hold', 'T2 clear', 'T1 lock']);
  });

  it('a deref under a when that tests the pointer is never NULL: pass, 5 states', () => {
    // T1 marks x[*leader] if leader is set; T2 clears leader. (mark, clear) → T1: (done, clear,
    // x[a]) → T2: (done, done, x[a]); or T2 first: (mark, done) → T1 skips: (done, done): 5 states.
    const m = model('when-guarded');
    m.threads(['T1', 'T2']);
    const leader = m.var('leader', option(Task), 'a');
    const x = m.var('x', bool, false, [Task]);
    m.program('mark', ['T1'], () => [step('mark', when(ne(leader, 'none'), [set(x.at(deref(leader)), true)]))]);
    m.program('exit', ['T2'], () => [step('clear', set(leader, 'none'))]);
    const r = runCheck(m.build());
    expect([r.verdict, r.stats.states, r.stats.transitions]).toEqual(['pass', 5, 4]);
  });

  it('head->next: the inner pointer is checked first, so a NULL head is reported as head, not as a bounds error', () => {
    const Node = enumeration('Node', ['n1', 'n2']);
    const build = (head: string) => {
      const m = model('list');
      m.threads(['T1']);
      const headPtr = m.var('head', option(Node), head);
      const next = m.var('next', option(Node), 'none', [Node]);
      const seen = m.var('seen', bool, false, [Node]);
      m.program('walk', ['T1'], () => [step('visit', set(seen.at(deref(next.at(deref(headPtr, 'head')), 'head->next')), true))]);
      return runCheck(m.build());
    };
    expect(build('none').property).toMatchObject({ id: 'pointer.null-deref', message: 'NULL dereference of head' });
    expect(build('n1').property).toMatchObject({ id: 'pointer.null-deref', message: 'NULL dereference of head->next' });
  });

  it('names the location by default, and is refused where nothing can fault', () => {
    const m = model('refused');
    m.threads(['T1']);
    const leader = m.local('leader', option(Task), 'none');
    const held = m.var('held', bool, false, [Task]);
    const self: Expr = { op: 'param', sort: m.threadSort, name: 'self' };
    m.program('p', ['T1'], () => [step('s', when(ne(leader.at(self), 'none'), [set(held.at(deref(leader.at(self))), true)]))]);
    expect(m.build().actions[0].requires[0].message).toBe('NULL dereference of leader[self]');
    expect(() => m.invariant('x.held', 'held', implies(ne(leader.at('T1'), 'none'), held.at(deref(leader.at('T1'))))))
      .toThrow(new ModelError("invariant x.held: deref(leader[T1]) outside a step cannot fault; compare the pointer with 'none' and index with the pointer itself"));
    expect(() => deref(held.at('a'))).toThrow(new ModelError('deref(held[a]): a pointer is a location of an option(...) sort, got bool'));
    const m2 = model('refused-branch');
    m2.threads(['T1']);
    const p = m2.var('p', option(Task), 'a');
    const h = m2.var('h', bool, false, [Task]);
    m2.program('q', ['T1'], () => [branch('held?', eq(h.at(deref(p, 'p')), true), [step('x', set(p, 'none'))])]);
    expect(() => m2.build()).toThrow(new ModelError("program q: the condition leading to 'x': deref(p) outside a step cannot fault; compare the pointer with 'none' and index with the pointer itself"));
  });
});

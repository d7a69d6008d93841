import { describe, it, expect } from 'vitest';
import { model, step, ModelError, type ModelBuilder, type Expr } from '../../model/lang/index.ts';
import { guard } from '../../model/lang/index.ts';
import {
  refObject, arefs, aref_from, aref_clone, aref_drop, aref_into_raw, aref_from_raw, aref_borrow, aref_send,
  aref_held, refcount_dec_and_test, obj_free, obj_use, type ARefs,
} from '../../model/primitives/index.ts';
import { check, actions, threads, lastState } from './helpers.ts';

/**
 * One object whose initial reference is held by an outside owner for the whole run (owners = 1);
 * thread T1 runs `prog`.
 */
function single(prog: (a: ARefs, self: Expr) => ReturnType<typeof step>[]) {
  const m = model('aref');
  m.threads(['T1']);
  const obj = refObject(m, 'obj', { max: 3, init: 1 });
  const a = arefs(m, 'obj', obj.refs, { owners: 1, release: obj_free(obj) });
  m.program('p', ['T1'], (self) => prog(a, self));
  return m;
}

describe('ARef ownership', () => {
  it('into_raw without from_raw leaks an increment at quiescence', () => {
    const r = check(single((a, self) => [step('from', aref_from(a, self)), step('into_raw', aref_into_raw(a, self))]));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('aref.leak');
    expect(r.property?.kind).toBe('quiescence');
    expect(actions(r)).toEqual(['from', 'into_raw']);
    expect(lastState(r)).toMatchObject({ 'obj.refs': 2, 'obj.raw': 1, 'obj.aref': { T1: 0 } });
  });

  it('into_raw then from_raw then drop passes', () => {
    const r = check(single((a, self) => [
      step('from', aref_from(a, self)), step('into_raw', aref_into_raw(a, self)),
      step('from_raw', aref_from_raw(a, self)), step('drop', aref_drop(a, self)),
    ]));
    expect(r.verdict).toBe('pass');
    // One thread, four steps in a row: the initial state and one after each step, 5 states.
    expect(r.stats.states).toBe(5);
  });

  it('a token never dropped is a leak too', () => {
    const r = check(single((a, self) => [step('from', aref_from(a, self)), step('clone', aref_clone(a, self)), step('drop', aref_drop(a, self))]));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('aref.leak');
    expect(actions(r)).toEqual(['from', 'clone', 'drop']);
  });

  it('from_raw without an increment handed out is reported at once', () => {
    const r = check(single((a, self) => [step('from_raw', aref_from_raw(a, self)), step('drop', aref_drop(a, self))]));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('aref.from-raw-without-increment');
    expect(actions(r)).toEqual(['from_raw']);
  });

  it('a put of an increment nobody owned breaks count >= tokens + raw + owners', () => {
    const r = check(single((a, self) => [
      step('from', aref_from(a, self)),
      step('raw_put', refcount_dec_and_test(a.refs)),
      step('drop', aref_drop(a, self)),
    ]));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('aref.count-below-owners');
    expect(r.property?.kind).toBe('invariant');
    expect(actions(r)).toEqual(['from', 'raw_put']);
  });

  it('&T used after the token was dropped', () => {
    const r = check(single((a, self) => [step('from', aref_from(a, self)), step('drop', aref_drop(a, self)), step('borrow', aref_borrow(a, self))]));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('aref.borrow-without-token');
    expect(actions(r)).toEqual(['from', 'drop', 'borrow']);
  });

  it('clone without a token and drop without a token are reported', () => {
    const c = check(single((a, self) => [step('clone', aref_clone(a, self))]));
    expect(c.property?.id).toBe('aref.borrow-without-token');
    expect(actions(c)).toEqual(['clone']);
    const d = check(single((a, self) => [step('drop', aref_drop(a, self))]));
    expect(d.property?.id).toBe('aref.drop-without-token');
    expect(actions(d)).toEqual(['drop']);
  });
});

/**
 * T1 starts with the only reference (an initial token), clones it and sends the clone to T2,
 * then drops its own; T2 waits for the token, uses the object and drops it. Whoever drops last
 * frees. `useAfterDrop` makes T1 touch the object after its drop, which T2's drop can free.
 */
function sendModel(useAfterDrop: boolean): ModelBuilder {
  const m = model('aref-send');
  const t = m.threads(['T1', 'T2']);
  const obj = refObject(m, 'obj', { max: 2, init: 1 });
  const a = arefs(m, 'obj', obj.refs, { initial: { T1: 1 }, release: obj_free(obj) });
  m.program('sender', ['T1'], (self) => [
    step('clone', aref_clone(a, self)),
    step('send', aref_send(a, self, t.lit('T2'))),
    step('drop', aref_drop(a, self)),
    ...(useAfterDrop ? [step('late_use', obj_use(obj))] : []),
  ]);
  m.program('receiver', ['T2'], (self) => [
    step('use', guard(aref_held(a, self)), aref_borrow(a, self), obj_use(obj)),
    step('drop_recv', aref_drop(a, self)),
  ]);
  return m;
}

describe('ARef across threads', () => {
  it('send, use, drop on both sides passes; the last drop frees', () => {
    const r = check(sendModel(false));
    expect(r.verdict).toBe('pass');
    // T1: clone, send, then (drop | T2's use, drop_recv) interleave: T1 at drop/done x T2 at use/drop_recv/done
    // = 6, plus the two states before send: 8.
    expect(r.stats.states).toBe(8);
  });

  it('using the object after dropping the token is a use-after-free once the other side drops', () => {
    const r = check(sendModel(true));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('refcount.use-after-free');
    expect(actions(r)).toEqual(['clone', 'send', 'drop', 'use', 'drop_recv', 'late_use']);
    expect(threads(r)).toEqual(['T1', 'T1', 'T1', 'T2', 'T2', 'T1']);
  });

  it('rejects an unknown thread in initial tokens', () => {
    const m = model('x');
    m.threads(['T1']);
    const obj = refObject(m, 'obj', { max: 2 });
    expect(() => arefs(m, 'obj', obj.refs, { initial: { T9: 1 } })).toThrow(ModelError);
  });
});

import { describe, it, expect } from 'vitest';
import { model, bool, step, branch, set, not, eq, requires, ModelError } from '../../model/lang/index.ts';
import {
  refObject, refcount, refcountArray, refcount_inc, refcount_inc_not_zero, refcount_dec, refcount_dec_and_test,
  refcount_read, kref_get, kref_put, kref_get_unless_zero, obj_free, obj_use, kref_init, kref,
} from '../../model/primitives/index.ts';
import { scalarset } from '../../model/lang/index.ts';
import { check, actions, threads, lastState } from './helpers.ts';

/**
 * docs/kernel-protocols.md §1.2 lookup race. T2 owns the initial reference and puts it; the
 * release removes the object from the table and frees it. T1 looks the object up, then takes a
 * reference: with `kref_get` that can be an addition on 0, with `kref_get_unless_zero` it fails
 * cleanly.
 */
function lookupRace(fixed: boolean) {
  const m = model(fixed ? 'kref-lookup-fixed' : 'kref-lookup-race');
  m.threads(['T1', 'T2']);
  const obj = refObject(m, 'obj', { max: 2, init: 1 });
  const inTable = m.var('in_table', bool, true);
  const p = m.local('p', bool, false);
  const got = m.local('got', bool, false);
  const release = [set(inTable, false), ...obj_free(obj)];
  const useAndPut = [step('use', obj_use(obj)), step('put', kref_put(obj.refs, release))];
  m.program('lookup', ['T1'], (self) => [
    step('lookup', set(p.at(self), inTable)),
    branch('found', p.at(self), fixed
      ? [step('get', kref_get_unless_zero(obj.refs, { ok: got.at(self) })), branch('got', got.at(self), useAndPut)]
      : [step('get', kref_get(obj.refs)), ...useAndPut]),
  ]);
  m.program('owner', ['T2'], () => [step('final_put', kref_put(obj.refs, release))]);
  return m;
}

describe('kref lookup race', () => {
  it('kref_get after the final put is an addition on 0', () => {
    const r = check(lookupRace(false));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('refcount.add-on-zero');
    expect(r.property?.message).toBe('refcount_t: addition on 0; use-after-free.');
    expect(r.property?.action).toBe('get');
    expect(actions(r)).toEqual(['lookup', 'final_put', 'get']);
    expect(threads(r)).toEqual(['T1', 'T2', 'T1']);
    // The kernel leaves the counter saturated (max 2: SATURATED is 3).
    expect(lastState(r)['obj.refs']).toBe(3);
  });

  it('kref_get_unless_zero with its result checked passes', () => {
    const r = check(lookupRace(true));
    expect(r.verdict).toBe('pass');
    // By hand (a branch is taken with its first step, so 'got' and 'use' are one position):
    // initial; T2's put first, then T1 finds nothing: 3; T1's lookup first: 1; get fails after
    // T2's put: 3 (found, got, done); get succeeds: T1 at got/put/done x T2 before/after
    // its put: 6. Total 14.
    expect(r.stats.states).toBe(14);
  });
});

/** Two threads each put once; the object starts with `init` references. */
function putters(init: number) {
  const m = model('putters');
  m.threads(['T1', 'T2']);
  const obj = refObject(m, 'obj', { max: 2, init });
  m.program('putter', ['T1', 'T2'], () => [step('put', kref_put(obj.refs, obj_free(obj)))]);
  return m;
}

describe('underflow and release', () => {
  it('a double put underflows', () => {
    const r = check(putters(1));
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('refcount.underflow');
    expect(r.property?.message).toBe('refcount_t: underflow; use-after-free.');
    expect(actions(r)).toEqual(['put', 'put']);
    expect(threads(r)).toEqual(['T1', 'T2']);
  });

  it('one put per reference passes and the last put frees', () => {
    const r = check(putters(2));
    expect(r.verdict).toBe('pass');
    // (put,put) refs 2; (done,put) and (put,done) refs 1; (done,done) refs 0 freed.
    expect(r.stats.states).toBe(4);
  });

  it('the release runs in the step of the last put, only there', () => {
    const m = model('release-once');
    m.threads(['T1']);
    const obj = refObject(m, 'obj', { max: 2, init: 2 });
    const last = m.local('last', bool, false);
    m.program('p', ['T1'], (self) => [
      step('put1', refcount_dec_and_test(obj.refs, { ok: last.at(self), release: obj_free(obj) })),
      step('check1', requires('t.early-free', 'freed before the last put', not(obj.freed)), requires('t.ok', 'first put reported last', not(last.at(self)))),
      step('put2', refcount_dec_and_test(obj.refs, { ok: last.at(self), release: obj_free(obj) })),
      step('check2', requires('t.not-freed', 'last put did not free', obj.freed), requires('t.ok2', 'last put not reported', last.at(self))),
    ]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(5);
  });
});

describe('refcount_dec, saturation, inc_not_zero', () => {
  it('refcount_dec dropping the last reference is dec-leak', () => {
    const m = model('dec-leak');
    m.threads(['T1']);
    const r0 = refcount(m, 'r', { max: 2, init: 1 });
    m.program('p', ['T1'], () => [step('dec', refcount_dec(r0))]);
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('refcount.dec-leak');
    expect(r.property?.message).toBe('refcount_t: decrement hit 0; leaking memory.');
    expect(actions(r)).toEqual(['dec']);
    expect(lastState(r).r).toBe(3);
  });

  it('refcount_dec of a non-last reference, then dec_and_test, passes', () => {
    const m = model('dec-ok');
    m.threads(['T1']);
    const r0 = refcount(m, 'r', { max: 2, init: 2 });
    m.program('p', ['T1'], () => [step('dec', refcount_dec(r0)), step('put', refcount_dec_and_test(r0))]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
  });

  it('refcount_inc at max saturates', () => {
    const m = model('saturate');
    m.threads(['T1']);
    const r0 = refcount(m, 'r', { max: 2, init: 1 });
    m.program('p', ['T1'], () => [step('inc1', refcount_inc(r0)), step('inc2', refcount_inc(r0))]);
    const r = check(m);
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('refcount.saturated');
    expect(actions(r)).toEqual(['inc1', 'inc2']);
    expect(lastState(r).r).toBe(3);
  });

  it('refcount_inc_not_zero at max saturates too', () => {
    const m = model('inz-sat');
    m.threads(['T1']);
    const r0 = refcount(m, 'r', { max: 2, init: 2 });
    m.program('p', ['T1'], () => [step('get', refcount_inc_not_zero(r0))]);
    const r = check(m);
    expect(r.property?.id).toBe('refcount.saturated');
    expect(r.property?.message).toBe('refcount_t: saturated; leaking memory.');
    expect(actions(r)).toEqual(['get']);
    expect(lastState(r).r).toBe(3);
  });

  it('refcount_inc_not_zero fails at 0 without touching the count, succeeds above it', () => {
    const m = model('inz');
    m.threads(['T1']);
    const zero = refcount(m, 'zero', { max: 2, init: 0 });
    const one = refcount(m, 'one', { max: 2, init: 1 });
    const got = m.local('got', bool, false);
    const seen = m.var('seen', bool, false);
    m.program('p', ['T1'], (self) => [
      step('try0', refcount_inc_not_zero(zero, { ok: got.at(self), else: [set(seen, true)] })),
      branch('res0', got.at(self), [step('bad0', requires('t.inz0', 'inc_not_zero(0) succeeded', false))]),
      step('check0', requires('t.zero', 'count changed', eq(refcount_read(zero), 0)), requires('t.else', 'else hook not run', seen)),
      step('try1', refcount_inc_not_zero(one, { ok: got.at(self) })),
      branch('res1', got.at(self), [step('put1', refcount_dec_and_test(one)), step('put1b', refcount_dec_and_test(one))],
        [step('bad1', requires('t.inz1', 'inc_not_zero(1) failed', false))]),
    ]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    // Steps try0, check0 (taken together with branch res0), try1, put1 (with res1), put1b: 6 states.
    expect(r.stats.states).toBe(6);
  });

  it('kref_init, arrays of counters, and bad declarations', () => {
    const m = model('arr');
    m.threads(['T1']);
    const Page = scalarset('Page', 2, 'P');
    const refs = refcountArray(m, 'page.refs', [Page], { max: 2, init: 1 });
    const k = kref(m, 'k', { max: 1 });
    m.program('p', ['T1'], () => [
      step('init', kref_init(k)), step('get', kref_get(refs.at(1))),
      step('put', kref_put(refs.at(0), [], {})), step('put_k', kref_put(k)),
    ]);
    const r = check(m);
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(5);
    expect(() => refcount(model('x'), 'r', { max: 0 })).toThrow(ModelError);
    expect(() => refcount(model('x'), 'r', { max: 2, init: 4 })).toThrow(/outside 0\.\.3/);
    expect(() => branch('b', refcount_read(k), [])).toThrow(/b: the condition must be a bool/);
  });
});

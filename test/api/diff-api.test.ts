import { describe, it, expect } from 'vitest';
import { model, enumeration, ge, eq, type Model } from '../../model/lang/index.ts';
import { refcount, refcount_dec_and_test, refcount_inc } from '../../model/primitives/refcount.ts';
import { api } from '../../model/api/index.ts';
import { diffModels } from '../../checker/diff.ts';
import { summaryLine, diffText } from '../../counterexamples/diff-text.ts';

/** One refcounted object; C1 starts with an ARef to it; `send` says whether ARef<Obj> is Send. */
function tiny(send: boolean): Model {
  const m = model('tiny-api');
  m.bounds = { clients: 2, budget: 2 };
  m.threads(['C1', 'C2']);
  const Obj = enumeration('Obj', ['o']);
  const refs = refcount(m, 'o.refs', { max: 6, init: 1 });
  const a = api(m, { clients: ['C1', 'C2'], budget: 2 });
  const h = a.owned('ARef<Obj>', { object: Obj, send, cap: 2, clone: () => refcount_inc(refs), drop: () => refcount_dec_and_test(refs), init: { C1: { o: 1 } } });
  a.generate();
  m.quiescence({ id: 'tiny.leak', message: 'the object outlives every client', class: 'leak' }, eq(refs.ref, 0));
  m.cover({ id: 'tiny.shared', message: 'a client other than its creator holds the object', class: 'capability' }, ge(h.own.at('o', 'C2'), 1));
  return m.build();
}

describe('diff of API models: forget and capabilities', () => {
  const d = diffModels(tiny(true), tiny(false));

  it('a leak reachable only through mem::forget is marked so, on both sides', () => {
    const leak = d.rows.find((r) => r.property === 'tiny.leak')!;
    expect(leak.old).toMatchObject({ verdict: 'violation', onlyThroughForget: true });
    expect(leak.new).toMatchObject({ verdict: 'violation', onlyThroughForget: true });
    expect(leak.old!.trace).toEqual(['C1 mem::forget(ARef<Obj>(o))', 'C1 scope_end', 'C2 scope_end']);
  });

  it('a capability a !Send handle takes away is "lost"', () => {
    const cap = d.rows.find((r) => r.property === 'tiny.shared')!;
    expect(cap).toMatchObject({ class: 'capability', change: 'broke', old: { verdict: 'pass' }, new: { verdict: 'violation' } });
    const text = diffText('diff', d);
    expect(text).toMatch(/^capability +tiny\.shared +reachable +unreachable +lost$/m);
    expect(text).toMatch(/^leak +tiny\.leak \(only through mem::forget\) +violation \(3 steps\) +violation \(3 steps\) +still violated$/m);
  });

  it('the summary line says it in one line', () => {
    expect(summaryLine(d)).toBe('new API: sound for clients=2, budget=2; leaks only through mem::forget; capability lost: a client other than its creator holds the object; nothing broke');
  });
});

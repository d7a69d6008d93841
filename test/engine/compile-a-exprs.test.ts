/**
 * checker/compile.ts's expression code generator (lines of ExprCompiler, chunks, Functions,
 * dynamicOffset, sameExpr): the compiled engine equals the interpreter on every reachable state
 * of small hand-built models whose expressions take each folding / indexing / splitting path
 * (constant indices out of range, negative ordinals, ranges not starting at 0, all-constant
 * junctions, bool comparisons and ites, unbound parameters), under default, tiny and medium size
 * budgets; and the generated code respects the size budgets.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Expr, Model } from '../../model/lang/ir.ts';
import {
  model, range, bool, set, guard, eq, ne, lt, add, sub, and, or, not, ite, implies, forall, exists, count, when, TRUE,
} from '../../model/lang/index.ts';
import { compileModel, type CompileOptions } from '../../checker/compile.ts';
import { initialState } from '../../checker/interpreter.ts';
import { compiledProps, interpProps, walkAgreement } from './helpers.ts';
import { randomModels } from './random-models.ts';

const BUDGETS: CompileOptions[] = [
  {},
  { limits: { groupChars: 120, exprChars: 40 } },
  { limits: { groupChars: 60, exprChars: 12 } },
  { limits: { groupChars: 400, exprChars: 150 } },
];

/** Every reachable state (from the interpreter), both engines compared at each; returns the count. */
function compareAll(m: Model, opts: CompileOptions, max = 2000): number {
  return walkAgreement(m, compileModel(m, opts), { max, props: true })[0];
}

const P = (name: string, sort: Expr['sort']): Expr => ({ op: 'param', sort, name }) as Expr;

/** Reads with parameter (constant) indices in and out of the index sort, incl. negative ordinals. */
function constIndices(): Model {
  const m = model('const-idx');
  const I = range(0, 1);
  const J = range(-1, 2);
  const a = m.var('a', range(0, 3), 0, [I]);
  const b = m.var('b', bool, false, [I]);
  const x = m.var('x', range(0, 3), 1);
  const j = P('j', J);
  m.action('rd', { params: [{ name: 'j', sort: J }], body: [guard(lt(a.at(j), 2)), set(x, a.at(j))] });
  m.action('rb', { params: [{ name: 'j', sort: J }], body: [guard(not(b.at(j))), set(b.at(0), true)] });
  m.action('wr', { params: [{ name: 'j', sort: J }], body: [guard(lt(x, 3)), set(a.at(j), add(x, 1))] });
  m.action('reset', { body: [guard(eq(x, 3)), set(x, 0), set(b.at(0), false)] });
  return m.build();
}

/** Dynamic indices into arrays over ranges not starting at 0. */
function offsetRanges(): Model {
  const m = model('offset-ranges');
  const I = range(1, 2);
  const K = range(-1, 0);
  const a = m.var('a', range(0, 3), 0, [I, K]);
  const p = m.var('p', range(0, 3), 1);
  const q = m.var('q', range(-2, 1), -1);
  m.action('inc', { body: [guard(lt(a.at(p, q), 3)), set(a.at(p, q), add(a.at(p, q), 1))] });
  m.action('mp', { body: [guard(lt(p, 3)), set(p, add(p, 1))] });
  m.action('mq', { body: [guard(lt(q, 1)), set(q, add(q, 1))] });
  m.invariant('small', 'a[1][-1] below 3', lt(a.at(1, -1), 3));
  return m.build();
}

/** Parameter-only comparisons and junctions (folded to constants), bool comparisons, bool ites, final. */
function folding(): Model {
  const m = model('folding');
  const I = range(0, 2);
  const i = P('i', I);
  const x = m.var('x', range(0, 4), 0);
  const f = m.var('f', bool, false);
  const g = m.var('g', bool, true);
  m.action('lt', { params: [{ name: 'i', sort: I }], body: [guard(and(lt(i, 1), lt(x, 4))), set(x, add(x, 1))] });
  m.action('or', { params: [{ name: 'i', sort: I }], body: [guard(or(eq(i, 0), eq(i, 1))), set(f, not(f))] });
  m.action('orx', { params: [{ name: 'i', sort: I }], body: [guard(or(eq(i, 5), and(eq(x, 1), eq(i, 2)))), set(g, not(g))] });
  m.action('neg', { body: [guard(eq(sub(x, 1), -1)), set(x, sub(2, ite(f, 1, x)))] });
  m.action('bq', { body: [guard(and(eq(f, true), ne(g, f))), set(x, 0)] });
  m.action('bc', { body: [guard(eq(g, false)), set(g, ite(f, TRUE, g))] });
  m.invariant('bi', 'a bool ite', ite(eq(x, 4), f, TRUE));
  m.cover('c', 'x is 2 and f', and(eq(x, 2), f));
  m.cover('d', 'some count', eq(count(I, (v) => eq(v, x)), 1));
  m.cover('e', 'exists / forall', or(exists(I, (v) => and(eq(v, x), g)), forall(I, (v) => ne(v, x))));
  m.final(ite(f, TRUE, eq(x, 3)));
  m.noDeadlockCheck();
  return m.build();
}

/** Conditional writes to one cell, whose index is an ite on the same / another condition. */
function conditional(): Model {
  const m = model('cond-writes');
  const I = range(0, 2);
  const a = m.var('a', range(0, 3), 0, [I]);
  const f = m.var('f', bool, false, [I]);
  const p = m.var('p', I, 0);
  const idx = m.var('idx', I, 1, [range(0, 1)]);
  const q = m.var('q', range(0, 2), 1);
  m.action('mq', { body: [guard(lt(q, 2)), set(q, add(q, 1))] });
  // The index idx[q] has the index sort (so it is not guarded by the path) but reads out of
  // range at q = 2: a bounds error even while the path is false.
  m.action('w2', { body: [when(eq(f.at(1), true), [set(a.at(idx.at(q)), 2)])] });
  m.action('t', { params: [{ name: 'i', sort: I }], body: [set(f.at(P('i', I)), not(f.at(P('i', I))))] });
  m.action('mv', { body: [guard(lt(p, 2)), set(p, add(p, 1))] });
  m.action('w', {
    body: [
      when(eq(f.at(0), true), [set(a.at(p), 1)]),
      when(eq(f.at(1), true), [set(a.at(p), 2)]),
      when(eq(f.at(2), true), [set(a.at(add(p, 1)), 3)]),
    ],
  });
  m.noDeadlockCheck();
  return m.build();
}

describe('compiled expressions equal the interpreter on every reachable state', () => {
  const models: [string, () => Model, number][] = [
    ['constant indices in and out of range', constIndices, 2000],
    ['ranges not starting at 0', offsetRanges, 2000],
    ['folding', folding, 2000],
    ['conditional writes', conditional, 300],
  ];
  for (const [name, build, max] of models) {
    it(name, () => {
      const m = build();
      const counts = BUDGETS.map((b) => compareAll(m, b, max));
      expect(new Set(counts).size).toBe(1);
      expect(counts[0]).toBeGreaterThan(3);
    });
  }

  it('random models, several budgets', () => {
    fc.assert(fc.property(randomModels(), ({ model: m }) => {
      for (const b of BUDGETS.slice(1)) compareAll(m, b, 60);
    }), { numRuns: 40, seed: 7 });
  });
});

describe('compile errors and budgets', () => {
  it('an unbound parameter is an error naming it', () => {
    const m = model('unbound');
    const x = m.var('x', range(0, 1), 0);
    m.action('a', { body: [set(x, 1)] });
    const built = m.build();
    const bad = { ...built, properties: [...built.properties, { kind: 'invariant', id: 'u', text: 'u', expr: eq(P('zz', range(0, 1)), 0) }] } as Model;
    expect(() => compileModel(bad)).toThrow('unbound zz');
  });

  it('with default budgets no generated function is over budget, and long expressions are outlined', () => {
    const m = model('long');
    const I = range(0, 199);
    const a = m.var('a', range(0, 3), 0, [I]);
    m.action('inc', { params: [{ name: 'i', sort: I }], body: [guard(lt(a.at(P('i', I)), 3)), set(a.at(P('i', I)), add(a.at(P('i', I)), 1))] });
    m.invariant('n', 'not all 3', not(forall(I, (v) => eq(a.at(v), 3))));
    m.cover('c', 'count', eq(count(I, (v) => eq(a.at(v), 2)), 7));
    const built = m.build();
    const c = compileModel(built);
    const fns = c.source.split(/\n(?=function )/);
    for (const f of fns) expect(f.length).toBeLessThan(2 * 3000 + 2000);
    expect(Object.keys(c.functions).filter((n) => /^ex_\d+$/.test(n)).length).toBeGreaterThan(0);
    const s = initialState(built);
    expect(compiledProps(built, c, s)).toEqual(interpProps(built, s));
    for (const b of BUDGETS) compareAll(built, b, 4);
  });
});

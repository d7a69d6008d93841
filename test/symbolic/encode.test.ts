/**
 * The Z3 encoding agrees with the interpreter: random typed expressions (ints, bools, an
 * enumeration; array reads with any index, so out-of-range reads; quantifiers; `cyclic`) at
 * random states, value by value and bounds error by bounds error; and for random small models,
 * every action instance at random in-sort states: enabled, status (requires index or bounds)
 * and successor state.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  model, range, bool, enumeration, scalarset, guard, set, add, sub, eq, ne, lt, le, gt, ge, and, or, not, implies, ite,
  forall, exists, count, lit, TRUE, FALSE, type Expr, type Model,
} from '../../model/lang/index.ts';
import { BoundsError, canFire, evaluate, instancesOf, step, type State } from '../../checker/interpreter.ts';
import { cellCount } from '../../model/lang/ir.ts';
import { StateProbe, randomState } from './helpers.ts';
import { randomModels } from '../engine/random-models.ts';

const Color = enumeration('Color', ['red', 'green', 'blue']);
const Idx = range(0, 1);
const Node = scalarset('Node', 3, 'N');

/** The schema every random expression reads. */
function schema(): Model {
  const m = model('exprs');
  const x = m.var('x', range(-1, 2), 0);
  m.var('y', range(0, 3), 0);
  m.var('b', bool, false);
  m.var('c', Color, 'red');
  m.var('arr', range(0, 2), 0, [Idx]);
  m.var('flags', bool, false, [Idx, Color]);
  m.var('g', bool, false, [Node, Node]);
  m.action('tick', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
  m.noDeadlockCheck();
  return m.build();
}
const M = schema();
const v = (name: string) => M.vars.find((d) => d.name === name)!;
const read = (name: string, index: Expr[] = []): Expr => ({ op: 'var', sort: v(name).sort, name, index });

type IntS =
  | { t: 'lit'; v: number } | { t: 'x' | 'y' | 'q' } | { t: 'cell'; i: IntS }
  | { t: 'add' | 'sub'; a: IntS; b: IntS } | { t: 'ite'; c: BoolS; a: IntS; b: IntS } | { t: 'count'; body: BoolS };
type ColS = { t: 'c' } | { t: 'clit'; v: number } | { t: 'cite'; c: BoolS; a: ColS; b: ColS };
type BoolS =
  | { t: 'true' | 'false' | 'b' | 'cyclic' } | { t: 'cmp'; op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; a: IntS; b: IntS }
  | { t: 'ceq'; a: ColS; b: ColS } | { t: 'flag'; i: IntS; col: ColS } | { t: 'not'; a: BoolS }
  | { t: 'and' | 'or'; args: BoolS[] } | { t: 'implies'; a: BoolS; b: BoolS } | { t: 'forall' | 'exists'; body: BoolS };

const { int: intS, bool: boolS } = fc.letrec<{ int: IntS; col: ColS; bool: BoolS; qbool: BoolS; qint: IntS }>((tie) => ({
  int: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -2, max: 3 }).map((n): IntS => ({ t: 'lit', v: n })),
    fc.constantFrom<IntS>({ t: 'x' }, { t: 'y' }),
    fc.record({ t: fc.constant('cell' as const), i: tie('int') }) as fc.Arbitrary<IntS>,
    fc.record({ t: fc.constantFrom('add' as const, 'sub' as const), a: tie('int'), b: tie('int') }) as fc.Arbitrary<IntS>,
    fc.record({ t: fc.constant('ite' as const), c: tie('bool'), a: tie('int'), b: tie('int') }) as fc.Arbitrary<IntS>,
    fc.record({ t: fc.constant('count' as const), body: tie('qbool') }) as fc.Arbitrary<IntS>),
  // Inside a quantifier body `q` (the bound index, 0..1) may appear.
  qint: fc.oneof({ depthSize: 'small' }, fc.constant<IntS>({ t: 'q' }), tie('int') as fc.Arbitrary<IntS>,
    fc.record({ t: fc.constant('cell' as const), i: fc.constant<IntS>({ t: 'q' }) }) as fc.Arbitrary<IntS>,
    fc.record({ t: fc.constantFrom('add' as const, 'sub' as const), a: fc.constant<IntS>({ t: 'q' }), b: tie('int') }) as fc.Arbitrary<IntS>),
  col: fc.oneof({ depthSize: 'small' }, fc.constant<ColS>({ t: 'c' }), fc.integer({ min: 0, max: 2 }).map((n): ColS => ({ t: 'clit', v: n })),
    fc.record({ t: fc.constant('cite' as const), c: tie('bool'), a: tie('col'), b: tie('col') }) as fc.Arbitrary<ColS>),
  bool: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<BoolS>({ t: 'true' }, { t: 'false' }, { t: 'b' }, { t: 'cyclic' }),
    fc.record({ t: fc.constant('cmp' as const), op: fc.constantFrom('eq' as const, 'ne' as const, 'lt' as const, 'le' as const, 'gt' as const, 'ge' as const), a: tie('int'), b: tie('int') }) as fc.Arbitrary<BoolS>,
    fc.record({ t: fc.constant('ceq' as const), a: tie('col'), b: tie('col') }) as fc.Arbitrary<BoolS>,
    fc.record({ t: fc.constant('flag' as const), i: tie('int'), col: tie('col') }) as fc.Arbitrary<BoolS>,
    fc.record({ t: fc.constant('not' as const), a: tie('bool') }) as fc.Arbitrary<BoolS>,
    fc.record({ t: fc.constantFrom('and' as const, 'or' as const), args: fc.array(tie('bool'), { minLength: 2, maxLength: 3 }) }) as fc.Arbitrary<BoolS>,
    fc.record({ t: fc.constant('implies' as const), a: tie('bool'), b: tie('bool') }) as fc.Arbitrary<BoolS>,
    fc.record({ t: fc.constantFrom('forall' as const, 'exists' as const), body: tie('qbool') }) as fc.Arbitrary<BoolS>),
  qbool: fc.oneof({ depthSize: 'small' },
    fc.record({ t: fc.constant('cmp' as const), op: fc.constantFrom('eq' as const, 'lt' as const, 'ge' as const), a: tie('qint'), b: tie('int') }) as fc.Arbitrary<BoolS>,
    fc.record({ t: fc.constant('flag' as const), i: tie('qint'), col: tie('col') }) as fc.Arbitrary<BoolS>,
    tie('bool') as fc.Arbitrary<BoolS>),
}));

/** Build IR from a spec; `q` is the innermost quantified index. */
function intE(s: IntS, q?: Expr): Expr {
  switch (s.t) {
    case 'lit': return lit({ kind: 'int' }, s.v);
    case 'x': case 'y': return read(s.t);
    case 'q': return q ?? lit({ kind: 'int' }, 0);
    case 'cell': return read('arr', [intE(s.i, q)]);
    case 'add': return add(intE(s.a, q), intE(s.b, q));
    case 'sub': return sub(intE(s.a, q), intE(s.b, q));
    case 'ite': return ite(boolE(s.c, q), intE(s.a, q), intE(s.b, q));
    case 'count': return count(Idx, (i) => boolE(s.body, i));
  }
}
function colE(s: ColS, q?: Expr): Expr {
  switch (s.t) {
    case 'c': return read('c');
    case 'clit': return lit(Color, s.v);
    case 'cite': return ite(boolE(s.c, q), colE(s.a, q), colE(s.b, q));
  }
}
function boolE(s: BoolS, q?: Expr): Expr {
  const cmps = { eq, ne, lt, le, gt, ge };
  switch (s.t) {
    case 'true': return TRUE;
    case 'false': return FALSE;
    case 'b': return read('b');
    case 'cyclic': return { op: 'cyclic', sort: { kind: 'bool' }, name: 'g' };
    case 'cmp': return cmps[s.op](intE(s.a, q), intE(s.b, q));
    case 'ceq': return eq(colE(s.a, q), colE(s.b, q));
    case 'flag': return read('flags', [intE(s.i, q), colE(s.col, q)]);
    case 'not': return not(boolE(s.a, q));
    // Raw n-ary nodes, so constant operands stay in (the builders would fold them away).
    case 'and': case 'or': return { op: s.t, sort: { kind: 'bool' }, args: s.args.map((a) => boolE(a, q)) };
    case 'implies': return implies(boolE(s.a, q), boolE(s.b, q));
    case 'forall': return forall(Idx, (i) => boolE(s.body, i));
    case 'exists': return exists(Idx, (i) => boolE(s.body, i));
  }
}

/** The interpreter's verdict on an expression: its value, or 'bounds'. */
function interp(m: Model, e: Expr, s: State): number | 'bounds' {
  try {
    return evaluate(m, e, s, {});
  } catch (err) {
    if (err instanceof BoundsError) return 'bounds';
    throw err;
  }
}

const stateArb = (m: Model) => fc.array(fc.nat({ max: 1000 }), { minLength: 64, maxLength: 64 }).map((picks) => {
  let i = 0;
  return randomState(m, (n) => picks[i++ % picks.length] % n);
});

describe('Z3 encoding vs interpreter: expressions', () => {
  it('random typed expressions at random states (150 states x 6 int + 6 bool expressions)', async () => {
    let errors = 0, values = 0;
    await fc.assert(fc.asyncProperty(stateArb(M), fc.array(intS, { minLength: 6, maxLength: 6 }), fc.array(boolS, { minLength: 6, maxLength: 6 }), async (s, ints, bools) => {
      // A fresh solver per run (old queries would pile up); 12 bits: no random expression here
      // computes a value beyond ±2047.
      const probe = await StateProbe.open(M, 12);
      const exprs = [...ints.map((x) => intE(x)), ...bools.map((x) => boolE(x))];
      const encs = exprs.map((e) => probe.enc.expr(e, probe.st));
      const got = await probe.values(s, encs.flatMap((x) => [x.v, x.err]));
      exprs.forEach((e, i) => {
        const want = interp(M, e, s);
        const [val, err] = [got[2 * i], got[2 * i + 1]];
        if (want === 'bounds') { errors++; expect(err).toBe(1); } else {
          values++;
          expect({ err, val }).toEqual({ err: 0, val: want });
        }
      });
      await probe.close();
    }), { numRuns: 150 });
    // Both outcomes were exercised (out-of-range reads come from random index terms).
    expect(errors).toBeGreaterThan(20);
    expect(values).toBeGreaterThan(500);
  });
});

describe('Z3 encoding vs interpreter: action instances of random models', () => {
  it('enabled, status and successor of every instance at random states (100 models)', async () => {
    let good = 0, bad = 0;
    await fc.assert(fc.asyncProperty(randomModels(), fc.array(fc.nat({ max: 1000 }), { minLength: 32, maxLength: 32 }), async ({ model }, picks) => {
      const probe = await StateProbe.open(model);
      try {
        let i = 0;
        const s = randomState(model, (n) => picks[i++ % picks.length] % n);
        const all = instancesOf(model);
        const encs = all.map((inst) => probe.enc.instance(inst, probe.st));
        const cells = model.vars.flatMap((d) => Array.from({ length: cellCount(d) }, (_, c) => ({ name: d.name, c })));
        const terms = encs.flatMap((e) => [e.enabled, e.good, e.status, ...cells.map((c) => probe.enc.successorCell(e, probe.st, c.name, c.c))]);
        const got = await probe.values(s, terms);
        const per = 3 + cells.length;
        all.forEach((inst, j) => {
          const [en, ok, status] = got.slice(j * per, j * per + 3);
          const fire = canFire(model, s, inst);
          expect(en).toBe(fire.enabled ? 1 : 0);
          if (!fire.enabled) return;
          const r = fire.bounds ? { bounds: fire.bounds, violated: undefined, state: s } : step(model, s, inst);
          const want = r.violated ? inst.action.requires.indexOf(r.violated) + 1 : r.bounds ? -1 : 0;
          expect(status).toBe(want);
          expect(ok).toBe(want === 0 ? 1 : 0);
          if (want !== 0) { bad++; return; }
          good++;
          const next = got.slice(j * per + 3, (j + 1) * per);
          expect(next).toEqual(cells.map((c) => r.state[c.name][c.c]));
        });
      } finally {
        await probe.close();
      }
    }), { numRuns: 100 });
    expect(good).toBeGreaterThan(50);
    expect(bad).toBeGreaterThan(10);
  });
});

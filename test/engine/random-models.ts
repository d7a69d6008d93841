/**
 * Random small models for differential tests (interpreter vs compiled engine, explicit engine vs
 * an interpreter-only BFS, and later BMC vs explicit). A model is generated as a plain, printable
 * `RandomModelSpec` (so fast-check shows and shrinks it) and built with the model/lang builder.
 *
 * What a spec can hold: 1..3 range variables (`x0..`, ranges like -1..1, 0..2 or 1..4), 0..2 bool
 * variables (`b0..`), optionally one array `arr` of two cells over the index sort 0..1 with values
 * 0..2, 1..4 actions (`a0..`; with an array, an action may take a parameter `p` over 0..1), each
 * with a guard and 1..3 statements (`set`, `when`, `requires`), an optional invariant, final
 * condition and quiescence condition, and the deadlock check on or off.
 *
 * Generated models exercise: out-of-range assignments and array indices (property `bounds`,
 * also inside guards), failing `requires`, deadlocks, sequential statements and `when`
 * (substitution into parallel assignments), `implies`/`ite` with literal operands, and
 * `count`/`exists`/`forall` over the cells of `arr`. Invariants, finals and quiescence read
 * scalar variables and quantify over `arr` only, so evaluating a property never hits an index
 * error. Most models have under 100 reachable states (at most ~2,500).
 *
 * @example
 * import fc from 'fast-check';
 * import { randomModelSpec, buildRandomModel } from './random-models.ts';
 * fc.assert(fc.property(randomModelSpec(), (spec) => {
 *   const model = buildRandomModel(spec);
 *   // ... compare two engines on `model`
 * }), { numRuns: 200 });
 */
import fc from 'fast-check';
import {
  model, range, bool, guard, set, when, requires, lit, eq, ne, lt, le, gt, ge, and, or, not, implies,
  add, sub, ite, count, exists, forall, TRUE, FALSE, type Expr, type Model, type Sort, type Stmt, type Var,
} from '../../model/lang/index.ts';

export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** An integer-valued term. `cell` reads `arr[idx]`; `param` is the action's parameter `p`. */
export type IntTerm =
  | { t: 'lit'; v: number }
  | { t: 'var'; name: string }
  | { t: 'cell'; idx: IntTerm }
  | { t: 'param' }
  | { t: 'add' | 'sub'; a: IntTerm; b: IntTerm }
  | { t: 'ite'; c: BoolTerm; a: IntTerm; b: IntTerm }
  /** How many cells of `arr` compare `op` with `v` (a `count` quantifier). */
  | { t: 'countCells'; op: CmpOp; v: number };

export type BoolTerm =
  | { t: 'true' | 'false' }
  | { t: 'bvar'; name: string }
  | { t: 'cmp'; op: CmpOp; a: IntTerm; b: IntTerm }
  /** Some / every cell of `arr` compares `op` with `v` (`exists` / `forall`). */
  | { t: 'someCell' | 'allCells'; op: CmpOp; v: number }
  | { t: 'not'; a: BoolTerm }
  | { t: 'and' | 'or' | 'implies'; a: BoolTerm; b: BoolTerm };

/** A statement of an action body; `set` targets a range var, a bool var, or `arr[idx]`. */
export type StmtSpec =
  | { s: 'setInt'; target: string; value: IntTerm }
  | { s: 'setBool'; target: string; value: BoolTerm }
  | { s: 'setCell'; idx: IntTerm; value: IntTerm }
  | { s: 'requires'; cond: BoolTerm }
  | { s: 'when'; cond: BoolTerm; then: StmtSpec[]; else: StmtSpec[] };

export interface RangeVarSpec { name: string; lo: number; hi: number; init: number }
export interface BoolVarSpec { name: string; init: boolean }
export interface ActionSpecR { name: string; param: boolean; guard: BoolTerm; body: StmtSpec[] }

export interface RandomModelSpec {
  ints: RangeVarSpec[];
  bools: BoolVarSpec[];
  /** Initial cells of `arr` (values 0..2, index sort 0..1), or undefined for no array. */
  arr?: [number, number];
  actions: ActionSpecR[];
  invariant?: BoolTerm;
  final?: BoolTerm;
  quiescence?: BoolTerm;
  deadlock: boolean;
}

export interface RandomModelOptions {
  /** Allow the array `arr` and parameterised actions (default true). */
  arrays?: boolean;
  /** Allow `requires` statements (default true). */
  requires?: boolean;
  /** Largest number of actions (default 4). */
  maxActions?: number;
}

/** Index sort and value sort of `arr`. */
export const ARR_INDEX: Sort = { kind: 'range', lo: 0, hi: 1 };
export const ARR_VALUES: Sort = { kind: 'range', lo: 0, hi: 2 };

/** What terms may use: `arr` allows cell reads by any index, `quant` quantifiers over arr's cells. */
interface Ctx { ints: string[]; bools: string[]; arr: boolean; quant: boolean; param: boolean; ranges: RangeVarSpec[] }

const cmpOp = fc.constantFrom<CmpOp>('eq', 'ne', 'lt', 'le', 'gt', 'ge');
const cellQuant = <T extends string>(...ts: T[]) => fc.record({ t: fc.constantFrom(...ts), op: cmpOp, v: fc.integer({ min: 0, max: 2 }) });

function intTerm(ctx: Ctx, depth: number): fc.Arbitrary<IntTerm> {
  const leaves: fc.Arbitrary<IntTerm>[] = [
    fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 4) })
      .map((v) => ({ t: 'lit' as const, v })),
    fc.constantFrom(...ctx.ints).map((name) => ({ t: 'var' as const, name })),
  ];
  if (ctx.param) leaves.push(fc.constant({ t: 'param' as const }));
  if (ctx.quant) leaves.push(cellQuant('countCells' as const));
  if (depth <= 0) return fc.oneof(...leaves);
  const sub1 = intTerm(ctx, depth - 1);
  const nodes: fc.Arbitrary<IntTerm>[] = [
    fc.record({ t: fc.constantFrom('add' as const, 'sub' as const), a: sub1, b: sub1 }),
    fc.record({ t: fc.constant('ite' as const), c: boolTerm(ctx, depth - 1), a: sub1, b: sub1 }),
  ];
  if (ctx.arr) {
    // Mostly an index in 0..1; sometimes any term, which may be out of range (a bounds error).
    const inRange = fc.constantFrom<IntTerm>({ t: 'lit', v: 0 }, { t: 'lit', v: 1 }, ...(ctx.param ? [{ t: 'param' as const }] : []));
    nodes.push(fc.record({ t: fc.constant('cell' as const), idx: fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 1, arbitrary: sub1 }) }));
  }
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...leaves) }, { weight: 2, arbitrary: fc.oneof(...nodes) });
}

function boolTerm(ctx: Ctx, depth: number): fc.Arbitrary<BoolTerm> {
  const leaves: fc.Arbitrary<BoolTerm>[] = [fc.constantFrom({ t: 'true' as const }, { t: 'false' as const })];
  if (ctx.bools.length) leaves.push(fc.constantFrom(...ctx.bools).map((name) => ({ t: 'bvar' as const, name })));
  if (ctx.quant) leaves.push(cellQuant('someCell' as const, 'allCells' as const));
  const cmp = fc.record({ t: fc.constant('cmp' as const), op: cmpOp, a: intTerm(ctx, Math.min(depth, 1)), b: intTerm(ctx, 0) });
  if (depth <= 0) return fc.oneof(...leaves, cmp);
  const sub1 = boolTerm(ctx, depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: fc.oneof(...leaves) },
    { weight: 3, arbitrary: cmp },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('not' as const), a: sub1 }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('and' as const, 'or' as const, 'implies' as const), a: sub1, b: sub1 }) },
  );
}

/**
 * `x < c`, `x <= c` or `x != c`, alone or combined, with `c` chosen so that it holds in the
 * initial state: invariants that fail (if at all) after some steps rather than at once.
 */
function threshold(ctx: Ctx): fc.Arbitrary<BoolTerm> {
  const one = fc.record({ v: fc.constantFrom(...ctx.ranges), op: fc.constantFrom('lt' as const, 'le' as const, 'ne' as const), k: fc.nat({ max: 2 }) })
    .map(({ v, op, k }): BoolTerm => {
      const c = op === 'lt' ? v.init + 1 + k : op === 'le' ? v.init + k : v.init + 1 + k;
      return { t: 'cmp', op, a: { t: 'var', name: v.name }, b: { t: 'lit', v: c } };
    });
  return fc.oneof(one, fc.record({ t: fc.constantFrom('and' as const, 'or' as const), a: one, b: one }));
}

/** `x == c` for a value `c` of x's range other than its initial value (a final condition). */
function target(ctx: Ctx): fc.Arbitrary<BoolTerm> {
  return fc.record({ v: fc.constantFrom(...ctx.ranges), k: fc.nat({ max: 3 }) }).map(({ v, k }): BoolTerm => {
    const others = Array.from({ length: v.hi - v.lo + 1 }, (_, i) => v.lo + i).filter((x) => x !== v.init);
    return { t: 'cmp', op: 'eq', a: { t: 'var', name: v.name }, b: { t: 'lit', v: others[k % others.length] } };
  });
}

function stmtSpec(ctx: Ctx, depth: number, allowRequires: boolean): fc.Arbitrary<StmtSpec> {
  // Mostly counter-like bumps `x := x ± 1`, so that state spaces have some depth; most of them
  // saturate at the ends of the range (`ite(x < hi, x + 1, x)`), the rest may leave it.
  const bump = fc.record({ v: fc.constantFrom(...ctx.ranges), up: fc.boolean(), sat: fc.nat({ max: 7 }).map((n) => n > 0) })
    .map(({ v, up, sat }): StmtSpec => {
      const x: IntTerm = { t: 'var', name: v.name };
      const moved: IntTerm = { t: up ? 'add' : 'sub', a: x, b: { t: 'lit', v: 1 } };
      const inside: BoolTerm = { t: 'cmp', op: up ? 'lt' : 'gt', a: x, b: { t: 'lit', v: up ? v.hi : v.lo } };
      return { s: 'setInt', target: v.name, value: sat ? { t: 'ite', c: inside, a: moved, b: x } : moved };
    });
  const options: { weight: number; arbitrary: fc.Arbitrary<StmtSpec> }[] = [
    { weight: 8, arbitrary: bump },
    { weight: 1, arbitrary: fc.record({ s: fc.constant('setInt' as const), target: fc.constantFrom(...ctx.ints), value: intTerm(ctx, 1) }) },
  ];
  if (ctx.bools.length) {
    const arbitrary = fc.record({ s: fc.constant('setBool' as const), target: fc.constantFrom(...ctx.bools), value: boolTerm(ctx, 1) });
    options.push({ weight: 2, arbitrary });
  }
  if (ctx.arr) {
    // Mostly an index in 0..1 (a literal or the parameter) and a value in 0..2; sometimes any term.
    const inRange: fc.Arbitrary<IntTerm> = ctx.param ? fc.constant({ t: 'param' }) : fc.constantFrom<IntTerm>({ t: 'lit', v: 0 }, { t: 'lit', v: 1 });
    const idx = fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 1, arbitrary: intTerm(ctx, 0) });
    const value = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }).map((v): IntTerm => ({ t: 'lit', v })) }, { weight: 1, arbitrary: intTerm(ctx, 1) });
    options.push({ weight: 2, arbitrary: fc.record({ s: fc.constant('setCell' as const), idx, value }) });
  }
  if (allowRequires) {
    const cond = fc.oneof({ weight: 2, arbitrary: threshold(ctx) }, { weight: 1, arbitrary: boolTerm(ctx, 1) });
    options.push({ weight: 1, arbitrary: fc.record({ s: fc.constant('requires' as const), cond }) });
  }
  if (depth > 0) {
    const inner = fc.array(stmtSpec(ctx, depth - 1, allowRequires), { minLength: 0, maxLength: 2 });
    options.push({ weight: 2, arbitrary: fc.record({ s: fc.constant('when' as const), cond: boolTerm(ctx, 1), then: inner, else: inner }) });
  }
  return fc.oneof(...options);
}

/** Arbitrary of printable random model specs; build one with `buildRandomModel`. */
export function randomModelSpec(opts: RandomModelOptions = {}): fc.Arbitrary<RandomModelSpec> {
  const arrays = opts.arrays ?? true;
  const allowRequires = opts.requires ?? true;
  const intVar = (i: number) =>
    fc.record({ lo: fc.integer({ min: -1, max: 1 }), width: fc.integer({ min: 1, max: 3 }), initOff: fc.nat({ max: 3 }) })
      .map(({ lo, width, initOff }) => ({ name: `x${i}`, lo, hi: lo + width, init: lo + (initOff % (width + 1)) }));
  const header = fc.record({
    nInts: fc.integer({ min: 1, max: 3 }),
    nBools: fc.integer({ min: 0, max: 2 }),
    arr: arrays ? fc.option(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 })), { nil: undefined }) : fc.constant(undefined),
  });
  return header.chain(({ nInts, nBools, arr }) => fc.tuple(...Array.from({ length: nInts }, (_, i) => intVar(i))).chain((ranges) => {
    const ints = ranges.map((r) => r.name);
    const bools = Array.from({ length: nBools }, (_, i) => `b${i}`);
    const base: Ctx = { ints, bools, arr: arr !== undefined, quant: arr !== undefined, param: false, ranges };
    const scalarOnly: Ctx = { ...base, arr: false };
    const action = (i: number) => (arr !== undefined ? fc.boolean() : fc.constant(false)).chain((param) => {
      const ctx = { ...base, param };
      return fc.record({
        name: fc.constant(`a${i}`),
        param: fc.constant(param),
        guard: boolTerm(ctx, 2),
        body: fc.array(stmtSpec(ctx, 1, allowRequires), { minLength: 1, maxLength: 3 }),
      });
    });
    return fc.record({
      ints: fc.constant(ranges),
      bools: fc.tuple(...bools.map((name) => fc.boolean().map((init) => ({ name, init })))) as fc.Arbitrary<BoolVarSpec[]>,
      arr: fc.constant(arr as [number, number] | undefined),
      actions: fc.integer({ min: 1, max: opts.maxActions ?? 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => action(i)))),
      invariant: fc.option(fc.oneof({ weight: 3, arbitrary: threshold(scalarOnly) }, { weight: 1, arbitrary: boolTerm(scalarOnly, 2) }), { nil: undefined }),
      final: fc.option(fc.oneof({ weight: 2, arbitrary: target(scalarOnly) }, { weight: 1, arbitrary: boolTerm(scalarOnly, 1) }), { nil: undefined, freq: 2 }),
      quiescence: fc.option(fc.oneof(threshold(scalarOnly), boolTerm(scalarOnly, 1)), { nil: undefined, freq: 2 }),
      deadlock: fc.boolean(),
    });
  }));
}

/** Build the model a spec describes (name `random`). */
export function buildRandomModel(spec: RandomModelSpec): Model {
  const m = model('random');
  const ints = new Map<string, Var>();
  const bools = new Map<string, Var>();
  for (const v of spec.ints) ints.set(v.name, m.var(v.name, range(v.lo, v.hi), v.init));
  for (const v of spec.bools) bools.set(v.name, m.var(v.name, bool, v.init));
  const arr = spec.arr ? m.var('arr', ARR_VALUES, spec.arr, [ARR_INDEX]) : undefined;
  const P: Expr = { op: 'param', sort: ARR_INDEX, name: 'p' };

  const int = (x: IntTerm): Expr => {
    switch (x.t) {
      case 'lit': return lit({ kind: 'int' }, x.v);
      case 'var': return ints.get(x.name)!.e;
      case 'param': return P;
      case 'cell': return arr!.at(int(x.idx)).e;
      case 'add': return add(int(x.a), int(x.b));
      case 'sub': return sub(int(x.a), int(x.b));
      case 'ite': return ite(boo(x.c), int(x.a), int(x.b));
      case 'countCells': return count(ARR_INDEX, (i) => cmps[x.op](arr!.at(i), x.v));
    }
  };
  const cmps = { eq, ne, lt, le, gt, ge };
  const boo = (x: BoolTerm): Expr => {
    switch (x.t) {
      case 'true': return TRUE;
      case 'false': return FALSE;
      case 'bvar': return bools.get(x.name)!.e;
      case 'cmp': return cmps[x.op](int(x.a), int(x.b));
      case 'not': return not(boo(x.a));
      case 'and': return and(boo(x.a), boo(x.b));
      case 'or': return or(boo(x.a), boo(x.b));
      // Built as a raw node so a literal operand is kept (the engines must agree on it too).
      case 'implies': return implies(boo(x.a), boo(x.b));
      case 'someCell': return exists(ARR_INDEX, (i) => cmps[x.op](arr!.at(i), x.v));
      case 'allCells': return forall(ARR_INDEX, (i) => cmps[x.op](arr!.at(i), x.v));
    }
  };
  let reqs = 0;
  const stmt = (action: string, s: StmtSpec): Stmt => {
    switch (s.s) {
      case 'setInt': return set(ints.get(s.target)!, int(s.value));
      case 'setBool': return set(bools.get(s.target)!, boo(s.value));
      case 'setCell': return set(arr!.at(int(s.idx)), int(s.value));
      case 'requires': return requires(`${action}.req${reqs++}`, `requirement ${reqs} of ${action}`, boo(s.cond));
      case 'when': return when(boo(s.cond), s.then.map((t) => stmt(action, t)), s.else.map((t) => stmt(action, t)));
    }
  };
  for (const a of spec.actions) {
    reqs = 0;
    m.action(a.name, {
      params: a.param ? [{ name: 'p', sort: ARR_INDEX }] : [],
      body: [guard(boo(a.guard)), ...a.body.map((s) => stmt(a.name, s))],
    });
  }
  if (spec.invariant) m.invariant('random.inv', 'the random invariant', boo(spec.invariant));
  if (spec.final) m.final(boo(spec.final));
  if (spec.quiescence) m.quiescence('random.quiet', 'the random quiescence condition', boo(spec.quiescence));
  if (!spec.deadlock) m.noDeadlockCheck();
  return m.build();
}

/** Random models with their specs; fast-check prints the spec (not the IR) on failure. */
export function randomModels(opts: RandomModelOptions = {}): fc.Arbitrary<{ spec: RandomModelSpec; model: Model }> {
  return randomModelSpec(opts).map((spec) => {
    const value = { spec, model: buildRandomModel(spec) };
    Object.defineProperty(value, fc.toStringMethod, { value: () => `RandomModel(${JSON.stringify(spec)})` });
    return value;
  });
}

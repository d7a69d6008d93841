/**
 * Random source-level programs for the semantic differential suites: a `ProgramSpec`
 * (test/helpers/reference-semantics.ts, plain JSON that fast-check prints and shrinks) and its
 * translation into a protocheck model through the model/lang builder.
 *
 * Two profiles:
 * - `statementPrograms()`: one or two threads looping over an `either` of 2–3 random steps whose
 *   bodies are random statement sequences: `guard`s anywhere, nested `when`s, `requires`, writes
 *   to scalars, to `arr[i]` and to the local `l[self]`, out-of-range values and indices (literal
 *   ones too), `and`/`or` with literal operands, empty `when`s. Small state spaces (≤ ~10^4).
 * - `threadedPrograms({ spin })`: 2–3 threads running 1–2 programs built from `step`, `branch`,
 *   `either`, `loop` and `goto`, with counters, flags, `arr` and `l[self]`, guards leading each
 *   step, an invariant over a sum of counters; 10^3–10^5 states, traces of 10+ steps. Every
 *   read is in range (SPIN aborts on an array index out of range), so these are also the
 *   models test/helpers/promela.ts translates.
 *
 * @example
 * fc.assert(fc.property(threadedPrograms(), (spec) => compare(referenceBfs(spec, 2e5), runCheck(buildProgram(spec)))));
 */
import fc from 'fast-check';
import {
  model, range, bool, step, either, branch, loop, goto, guard, set, when, requires, lit,
  eq, ne, lt, le, gt, ge, and, or, not, implies, add, sub, ite, TRUE, FALSE,
  type Expr, type Model, type ProgStmt, type Stmt, type Var,
} from '../../model/lang/index.ts';
import {
  ARR_INDEX, ARR_VALUES, LOCAL_VALUES,
  type BoolE, type CmpOp, type IntE, type ProgS, type ProgramSpec, type StmtS, type Target,
} from '../helpers/reference-semantics.ts';

interface Ctx {
  ints: ProgramSpec['ints'];
  bools: string[];
  arr: boolean;
  local: boolean;
  /** Allow reads and writes that may be out of range (indices from arithmetic, literal 3). */
  wild: boolean;
}

const cmpOp = fc.constantFrom<CmpOp>('eq', 'ne', 'lt', 'le', 'gt', 'ge');
const litArb = (wild: boolean) => (wild
  ? fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 4) })
  : fc.integer({ min: 0, max: 3 })).map((v): IntE => ({ t: 'lit', v }));

function index(ctx: Ctx, depth: number): fc.Arbitrary<IntE> {
  const inRange = fc.integer({ min: ARR_INDEX.lo, max: ARR_INDEX.hi }).map((v): IntE => ({ t: 'lit', v }));
  if (!ctx.wild) return inRange;
  return fc.oneof(
    { weight: 3, arbitrary: inRange },
    { weight: 1, arbitrary: fc.constantFrom<IntE>({ t: 'lit', v: 3 }, { t: 'lit', v: -1 }) },
    { weight: 2, arbitrary: intE(ctx, depth) },
  );
}

function intE(ctx: Ctx, depth: number): fc.Arbitrary<IntE> {
  const leaves: fc.Arbitrary<IntE>[] = [litArb(ctx.wild), fc.constantFrom(...ctx.ints.map((v): IntE => ({ t: 'var', name: v.name })))];
  if (ctx.local) leaves.push(fc.constant<IntE>({ t: 'local' }));
  if (ctx.arr) {
    // A cell read as a leaf: its index a literal (out of range too, if wild) or a variable.
    const idx = ctx.wild
      ? fc.oneof({ weight: 3, arbitrary: index({ ...ctx, wild: false }, 0) }, { weight: 1, arbitrary: fc.constantFrom<IntE>({ t: 'lit', v: 3 }, { t: 'lit', v: -1 }, ...ctx.ints.map((v): IntE => ({ t: 'var', name: v.name }))) })
      : index(ctx, 0);
    leaves.push(idx.map((i): IntE => ({ t: 'cell', idx: i })));
  }
  if (depth <= 0) return fc.oneof(...leaves);
  const nodes: fc.Arbitrary<IntE>[] = [
    fc.record({ t: fc.constantFrom('add' as const, 'sub' as const), a: intE(ctx, depth - 1), b: intE(ctx, depth - 1) }),
    fc.record({ t: fc.constant('ite' as const), c: boolE(ctx, depth - 1), a: intE(ctx, depth - 1), b: intE(ctx, depth - 1) }),
  ];
  if (ctx.arr) nodes.push(fc.record({ t: fc.constant('cell' as const), idx: index(ctx, depth - 1) }));
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...leaves) }, { weight: 2, arbitrary: fc.oneof(...nodes) });
}

function boolE(ctx: Ctx, depth: number): fc.Arbitrary<BoolE> {
  const cmp = fc.record({ t: fc.constant('cmp' as const), op: cmpOp, a: intE(ctx, Math.min(depth, 1)), b: intE(ctx, 0) });
  const leaves: fc.Arbitrary<BoolE>[] = [fc.constantFrom<BoolE>({ t: 'true' }, { t: 'false' })];
  if (ctx.bools.length) leaves.push(fc.constantFrom(...ctx.bools.map((name): BoolE => ({ t: 'bvar', name }))));
  if (depth <= 0) return fc.oneof({ weight: 1, arbitrary: fc.oneof(...leaves) }, { weight: 2, arbitrary: cmp });
  const sub1 = boolE(ctx, depth - 1);
  return fc.oneof(
    { weight: 1, arbitrary: fc.oneof(...leaves) },
    { weight: 3, arbitrary: cmp },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('not' as const), a: sub1 }) },
    // Literal operands on either side exercise and/or folding.
    { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('and' as const, 'or' as const), args: fc.array(fc.oneof({ weight: 3, arbitrary: sub1 }, { weight: 1, arbitrary: fc.oneof(...leaves) }), { minLength: 2, maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('implies' as const), a: sub1, b: sub1 }) },
  );
}

/** `x := x ± 1`, mostly saturating at the ends of x's range (`ite(x < hi, x + 1, x)`). */
function bump(ctx: Ctx): fc.Arbitrary<StmtS> {
  return fc.record({ v: fc.constantFrom(...ctx.ints), up: fc.nat({ max: 3 }).map((n) => n > 0), sat: ctx.wild ? fc.nat({ max: 11 }).map((n) => n > 0) : fc.constant(true) })
    .map(({ v, up, sat }): StmtS => {
      const x: IntE = { t: 'var', name: v.name };
      const moved: IntE = { t: up ? 'add' : 'sub', a: x, b: { t: 'lit', v: 1 } };
      const inside: BoolE = { t: 'cmp', op: up ? 'lt' : 'gt', a: x, b: { t: 'lit', v: up ? v.hi : v.lo } };
      return { s: 'set', target: { k: 'var', name: v.name }, value: sat ? { t: 'ite', c: inside, a: moved, b: x } : moved };
    });
}

/** `x < c`, `x <= c` or `x != c` with c above x's initial value: false, if ever, after some steps. */
function threshold(ctx: Ctx): fc.Arbitrary<BoolE> {
  return fc.record({ v: fc.constantFrom(...ctx.ints), op: fc.constantFrom('lt' as const, 'le' as const, 'ne' as const), k: fc.nat({ max: 1 }) })
    .map(({ v, op, k }): BoolE => {
      const c = op === 'le' ? Math.max(v.init, v.hi - 1 - k) : Math.max(v.init + 1, v.hi - k);
      return { t: 'cmp', op, a: { t: 'var', name: v.name }, b: { t: 'lit', v: c } };
    });
}

/** A condition for guards, loops and branches: a threshold, a flag, or any condition. */
function condition(ctx: Ctx): fc.Arbitrary<BoolE> {
  const flags = ctx.bools.flatMap((name): BoolE[] => [{ t: 'bvar', name }, { t: 'not', a: { t: 'bvar', name } }]);
  return fc.oneof(
    { weight: 3, arbitrary: threshold(ctx) },
    ...(flags.length ? [{ weight: 1, arbitrary: fc.constantFrom(...flags) }] : []),
    { weight: 2, arbitrary: boolE(ctx, 1) },
  );
}

let reqCounter = 0;
/**
 * A statement; `guards`: whether `guard` may appear (statement profile), `depth`: `when`
 * nesting. Writes are mostly counter bumps and in-range literals; out-of-range values come from
 * the rarer writes of arbitrary expressions.
 */
function stmt(ctx: Ctx, depth: number, guards: boolean): fc.Arbitrary<StmtS> {
  const opts: { weight: number; arbitrary: fc.Arbitrary<StmtS> }[] = [
    { weight: ctx.wild ? 16 : 32, arbitrary: bump(ctx) },
    { weight: 1, arbitrary: fc.record({ s: fc.constant('set' as const), target: fc.constantFrom(...ctx.ints.map((v): Target => ({ k: 'var', name: v.name }))), value: intE(ctx, ctx.wild ? 1 : 0) }) },
    { weight: ctx.wild ? 2 : 1, arbitrary: fc.record({ s: fc.constant('requires' as const), id: fc.constant(''), cond: ctx.wild ? fc.oneof({ weight: 3, arbitrary: threshold(ctx) }, { weight: 1, arbitrary: boolE(ctx, 1) }) : threshold(ctx) }) },
  ];
  if (ctx.bools.length) {
    opts.push({ weight: 4, arbitrary: fc.record({ s: fc.constant('set' as const), target: fc.constantFrom(...ctx.bools.map((name): Target => ({ k: 'bvar', name }))), value: boolE(ctx, 1) }) });
  }
  if (ctx.arr) {
    const inRange = fc.integer({ min: ARR_VALUES.lo, max: ARR_VALUES.hi }).map((v): IntE => ({ t: 'lit', v }));
    const value = ctx.wild ? fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: intE(ctx, 1) }) : inRange;
    opts.push({ weight: 4, arbitrary: fc.record({ s: fc.constant('set' as const), target: index(ctx, 0).map((idx): Target => ({ k: 'cell', idx })), value }) });
  }
  if (ctx.local) {
    const l: IntE = { t: 'local' };
    const value = fc.oneof(
      { weight: 4, arbitrary: fc.constant<IntE>({ t: 'ite', c: { t: 'cmp', op: 'lt', a: l, b: { t: 'lit', v: LOCAL_VALUES.hi } }, a: { t: 'add', a: l, b: { t: 'lit', v: 1 } }, b: l }) },
      { weight: ctx.wild ? 1 : 0, arbitrary: intE(ctx, 1) },
    );
    opts.push({ weight: 4, arbitrary: fc.record({ s: fc.constant('set' as const), target: fc.constant<Target>({ k: 'local' }), value }) });
  }
  if (guards) opts.push({ weight: 3, arbitrary: fc.record({ s: fc.constant('guard' as const), cond: condition(ctx) }) });
  if (depth > 0) {
    const inner = fc.array(stmt(ctx, depth - 1, guards), { minLength: 0, maxLength: 2 });
    opts.push({ weight: 4, arbitrary: fc.record({ s: fc.constant('when' as const), cond: boolE(ctx, 1), then: inner, else: inner }) });
  }
  return fc.oneof(...opts);
}

/** Give every `requires` a unique id `r0`, `r1`, … (in program order). */
function nameRequires(spec: ProgramSpec): ProgramSpec {
  reqCounter = 0;
  const st = (s: StmtS): StmtS => {
    if (s.s === 'requires') return { ...s, id: `r${reqCounter++}` };
    if (s.s === 'when') return { ...s, then: s.then.map(st), else: s.else.map(st) };
    return s;
  };
  const pr = (p: ProgS): ProgS => {
    switch (p.k) {
      case 'step': return { ...p, body: p.body.map(st) };
      case 'either': return { ...p, branches: p.branches.map((b) => b.map(pr)) };
      case 'branch': return { ...p, then: p.then.map(pr), else: p.else.map(pr) };
      case 'loop': return { ...p, body: p.body.map(pr) };
      case 'goto': return p;
    }
  };
  return { ...spec, programs: spec.programs.map((p) => ({ ...p, body: p.body.map(pr) })) };
}

/** Range variables: lo -1..1, width 3, 4 or 5 (never exactly arr's index sort 0..2). */
function intVars(n: number): fc.Arbitrary<ProgramSpec['ints']> {
  return fc.tuple(...Array.from({ length: n }, (_, i) => fc.record({ lo: fc.integer({ min: -1, max: 1 }), width: fc.constantFrom(3, 4, 5), off: fc.nat({ max: 4 }) })
    .map(({ lo, width, off }) => ({ name: `x${i}`, lo, hi: lo + width, init: lo + (off % 2) }))));
}

/** `x0 + x1 (+ x2) < K`, true initially, violated (if at all) after several steps. */
function sumInvariant(ints: ProgramSpec['ints']): fc.Arbitrary<BoolE> {
  return fc.nat({ max: 3 }).map((k) => {
    const sum = ints.slice(1).reduce<IntE>((acc, v) => ({ t: 'add', a: acc, b: { t: 'var', name: v.name } }), { t: 'var', name: ints[0].name });
    const max = ints.reduce((n, v) => n + v.hi, 0);
    const init = ints.reduce((n, v) => n + v.init, 0);
    return { t: 'cmp', op: 'lt', a: sum, b: { t: 'lit', v: Math.max(init + 3, max - k) } };
  });
}

/** The statement profile: random statement sequences in 2–3 steps that one or two threads repeat forever. */
export function statementPrograms(): fc.Arbitrary<ProgramSpec> {
  return fc.record({ nInts: fc.integer({ min: 1, max: 3 }), nBools: fc.integer({ min: 0, max: 2 }), arr: fc.constantFrom(false, true, true), local: fc.boolean(), nThreads: fc.integer({ min: 1, max: 2 }) })
    .chain(({ nInts, nBools, arr, local, nThreads }) => intVars(nInts).chain((ints) => {
      const bools = Array.from({ length: nBools }, (_, i) => `b${i}`);
      const ctx: Ctx = { ints, bools, arr, local, wild: true };
      const threads = ['T1', 'T2'].slice(0, nThreads);
      const body = fc.array(fc.array(stmt(ctx, 2, true), { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 4 })
        .map((bodies): ProgS[] => [
          { k: 'either', label: 'pick', branches: bodies.map((b, i) => [{ k: 'step', label: `s${i}`, body: b }]) },
          { k: 'goto', target: 'pick' },
        ]);
      return fc.record({
        ints: fc.constant(ints),
        bools: fc.tuple(...bools.map((name) => fc.boolean().map((init) => ({ name, init })))) as fc.Arbitrary<ProgramSpec['bools']>,
        arr: arr ? fc.array(fc.integer({ min: ARR_VALUES.lo, max: 1 }), { minLength: 3, maxLength: 3 }) : fc.constant(undefined),
        local: fc.constant(local),
        threads: fc.constant(threads),
        programs: body.map((b) => [{ name: 'p', threads, body: b }]),
        invariant: fc.option(sumInvariant(ints), { nil: undefined }),
        deadlock: fc.boolean(),
      }).map(nameRequires);
    }));
}

/**
 * The threaded profile: 2–3 threads, control flow, 10^3–10^5 states. Every read is in range
 * (array indices are literals 0..2), so SPIN can run the same programs; a written value may
 * still leave its sort.
 */
export function threadedPrograms(): fc.Arbitrary<ProgramSpec> {
  return fc.record({ nInts: fc.integer({ min: 2, max: 3 }), nBools: fc.integer({ min: 1, max: 2 }), arr: fc.boolean(), nThreads: fc.constantFrom(2, 3, 3, 3), shared: fc.boolean() })
    .chain(({ nInts, nBools, arr, nThreads, shared }) => intVars(nInts).chain((ints) => {
      const bools = Array.from({ length: nBools }, (_, i) => `b${i}`);
      const ctx: Ctx = { ints, bools, arr, local: true, wild: false };
      const threads = ['T1', 'T2', 'T3'].slice(0, nThreads);
      // Guards lead a step; then 1–3 statements (whens without guards).
      const stepBody = fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.record({ s: fc.constant('guard' as const), cond: condition(ctx) }) }), fc.array(stmt(ctx, 1, false), { minLength: 1, maxLength: 2 }))
        .map(([g, b]): StmtS[] => (g ? [g, ...b] : b));
      const steps = (n: number) => fc.array(stepBody, { minLength: 1, maxLength: n }).map((bs) => bs.map((body): ProgS => ({ k: 'step', label: '', body })));
      const item = fc.oneof(
        { weight: 4, arbitrary: steps(1) },
        { weight: 2, arbitrary: fc.record({ c: condition(ctx), t: steps(2), e: fc.oneof(steps(1), fc.constant([] as ProgS[])) }).map(({ c, t, e }): ProgS[] => [{ k: 'branch', label: '', cond: c, then: t, else: e }]) },
        { weight: 2, arbitrary: fc.tuple(steps(2), steps(2)).map(([a, b]): ProgS[] => [{ k: 'either', label: '', branches: [a, b] }]) },
        // A loop on `x < c` (or `<=`, `!=`) whose body starts by bumping x up: it runs a few times.
        { weight: 2, arbitrary: fc.record({ c: threshold(ctx), b: steps(2) }).map(({ c, b }): ProgS[] => {
          const x = ((c as { a: IntE }).a as { name: string }).name;
          const hi = ints.find((v) => v.name === x)!.hi;
          const up: StmtS = { s: 'set', target: { k: 'var', name: x }, value: { t: 'ite', c: { t: 'cmp', op: 'lt', a: { t: 'var', name: x }, b: { t: 'lit', v: hi } }, a: { t: 'add', a: { t: 'var', name: x }, b: { t: 'lit', v: 1 } }, b: { t: 'var', name: x } } };
          const [first, ...rest] = b as { k: 'step'; label: string; body: StmtS[] }[];
          return [{ k: 'loop', label: '', cond: c, body: [{ ...first, body: [...first.body, up] }, ...rest] }];
        }) },
      );
      const program = fc.record({ items: fc.array(item, { minLength: 4, maxLength: 7 }), back: fc.option(fc.nat({ max: 5 }), { nil: undefined, freq: 3 }) })
        .map(({ items, back }) => finishProgram(items.flat(), back));
      const programs = shared
        ? program.map((b, ) => [{ name: 'p0', threads, body: prefix(b, 'p0') }])
        : fc.tuple(program, program).map(([a, b]) => [
          { name: 'p0', threads: threads.slice(0, 1), body: prefix(a, 'p0') },
          { name: 'p1', threads: threads.slice(1), body: prefix(b, 'p1') },
        ]);
      return fc.record({
        ints: fc.constant(ints),
        bools: fc.tuple(...bools.map((name) => fc.boolean().map((init) => ({ name, init })))) as fc.Arbitrary<ProgramSpec['bools']>,
        arr: arr ? fc.array(fc.integer({ min: ARR_VALUES.lo, max: 1 }), { minLength: 3, maxLength: 3 }) : fc.constant(undefined),
        local: fc.constant(true),
        threads: fc.constant(threads),
        programs,
        invariant: fc.option(sumInvariant(ints), { nil: undefined, freq: 2 }),
        deadlock: fc.boolean(),
      }).map(nameRequires);
    }));
}

/** Number the labels (`s0`, `c1`, …) and resolve a final `goto` back to the `back`-th step. */
function finishProgram(items: ProgS[], back: number | undefined): ProgS[] {
  let n = 0;
  const steps: string[] = [];
  const label = (p: ProgS): ProgS => {
    switch (p.k) {
      case 'step': { const l = `s${n++}`; steps.push(l); return { ...p, label: l }; }
      case 'either': return { ...p, label: `c${n++}`, branches: p.branches.map((b) => b.map(label)) };
      case 'branch': return { ...p, label: `c${n++}`, then: p.then.map(label), else: p.else.map(label) };
      case 'loop': return { ...p, label: `c${n++}`, body: p.body.map(label) };
      case 'goto': return p;
    }
  };
  const body = items.map(label);
  if (back !== undefined) body.push({ k: 'goto', target: steps[back % steps.length] });
  return body;
}

/** Prefix every label of a program (labels of different programs stay distinct). */
function prefix(body: ProgS[], pre: string): ProgS[] {
  const p = (s: ProgS): ProgS => {
    switch (s.k) {
      case 'step': return { ...s, label: `${pre}${s.label}` };
      case 'either': return { ...s, label: `${pre}${s.label}`, branches: s.branches.map((b) => b.map(p)) };
      case 'branch': return { ...s, label: `${pre}${s.label}`, then: s.then.map(p), else: s.else.map(p) };
      case 'loop': return { ...s, label: `${pre}${s.label}`, body: s.body.map(p) };
      case 'goto': return { k: 'goto', target: `${pre}${s.target}` };
    }
  };
  return body.map(p);
}

/** Build the protocheck model a spec describes (name `program`), through the model/lang builder. */
export function buildProgram(spec: ProgramSpec): Model {
  const m = model('program');
  const T = m.threads(spec.threads);
  const ints = new Map<string, Var>();
  const bools = new Map<string, Var>();
  for (const v of spec.ints) ints.set(v.name, m.var(v.name, range(v.lo, v.hi), v.init));
  for (const v of spec.bools) bools.set(v.name, m.var(v.name, bool, v.init));
  const arr = spec.arr ? m.var('arr', range(ARR_VALUES.lo, ARR_VALUES.hi), spec.arr, [range(ARR_INDEX.lo, ARR_INDEX.hi)]) : undefined;
  const l = spec.local ? m.local('l', range(LOCAL_VALUES.lo, LOCAL_VALUES.hi), 0) : undefined;
  const self: Expr = { op: 'param', sort: T.sort, name: 'self' };
  const cmps = { eq, ne, lt, le, gt, ge };
  const int = (x: IntE): Expr => {
    switch (x.t) {
      case 'lit': return lit({ kind: 'int' }, x.v);
      case 'var': return ints.get(x.name)!.e;
      case 'local': return l!.at(self).e;
      case 'cell': return arr!.at(int(x.idx)).e;
      case 'add': return add(int(x.a), int(x.b));
      case 'sub': return sub(int(x.a), int(x.b));
      case 'ite': return ite(boo(x.c), int(x.a), int(x.b));
    }
  };
  const boo = (x: BoolE): Expr => {
    switch (x.t) {
      case 'true': return TRUE;
      case 'false': return FALSE;
      case 'bvar': return bools.get(x.name)!.e;
      case 'cmp': return cmps[x.op](int(x.a), int(x.b));
      case 'not': return not(boo(x.a));
      case 'and': return and(...x.args.map(boo));
      case 'or': return or(...x.args.map(boo));
      case 'implies': return implies(boo(x.a), boo(x.b));
    }
  };
  const st = (s: StmtS): Stmt => {
    switch (s.s) {
      case 'guard': return guard(boo(s.cond));
      case 'requires': return requires(s.id, `requirement ${s.id}`, boo(s.cond));
      case 'when': return when(boo(s.cond), s.then.map(st), s.else.map(st));
      case 'set': {
        const t = s.target;
        if (t.k === 'bvar') return set(bools.get(t.name)!, boo(s.value as BoolE));
        const v = int(s.value as IntE);
        if (t.k === 'var') return set(ints.get(t.name)!, v);
        if (t.k === 'local') return set(l!.at(self), v);
        return set(arr!.at(int(t.idx)), v);
      }
    }
  };
  const prog = (p: ProgS): ProgStmt => {
    switch (p.k) {
      case 'step': return step(p.label, ...p.body.map(st));
      case 'either': return either(p.label, ...p.branches.map((b) => b.map(prog)));
      case 'branch': return branch(p.label, boo(p.cond), p.then.map(prog), p.else.map(prog));
      case 'loop': return loop(p.label, boo(p.cond), p.body.map(prog));
      case 'goto': return goto(p.target);
    }
  };
  for (const p of spec.programs) m.program(p.name, p.threads, () => p.body.map(prog));
  if (spec.invariant) m.invariant('inv', 'the random invariant', boo(spec.invariant));
  if (!spec.deadlock) m.noDeadlockCheck();
  return m.build();
}

/**
 * The IR encoded for Z3 (SMT-LIB text). One copy of the state per step: every array cell is
 * its own constant `<var>.<cell>@<step>` (Bool for bool variables, Int otherwise), so arrays
 * over finite sorts are expanded and a read with a symbolic index is an `ite` over the cells.
 *
 * Every expression encodes to a value and an error flag: the flag is true exactly when the
 * interpreter would throw BoundsError evaluating it (an index outside its sort), following the
 * interpreter's evaluation order (and/or/implies/ite/forall/exists stop early, like `&&`).
 * That is how a `bounds` violation is found at the same step as in the explicit engine.
 */
import type { Expr, Model, Sort, VarDecl } from '../../model/lang/ir.ts';
import { cardinality, cellCount, ordinal, sortValues } from '../../model/lang/ir.ts';
import { instancesOf, type Instance } from '../interpreter.ts';
import * as S from './smt.ts';
import type { Term } from './smt.ts';

/** A value and whether evaluating it raises a bounds error. */
export interface Enc {
  v: Term;
  err: Term;
}

/** A shared subterm: the constant `name` of SMT-LIB sort `sort` stands for `body`. */
export interface Definition {
  name: string;
  sort: string;
  body: string;
}

/** A step's state: the term of each cell. */
export type StateTerms = (name: string, cell: number) => Term;

/** One action instance from one pre-state. */
export interface InstEnc {
  /** Counts as enabled (a guard that fails a bounds check counts, as in the interpreter). */
  enabled: Term;
  /** Enabled, no requirement fails and no value leaves its sort: the successor is a state. */
  good: Term;
  /** Enabled but a violation: 0 never, r+1 requirement r fails, -1 bounds (Int). */
  status: Term;
  /** Cell writes in assignment order (a later write to the same cell wins). */
  writes: { name: string; cell: number; when: Term; value: Term }[];
}

function sortRange(s: Sort): [number, number] {
  if (s.kind === 'range') return [s.lo, s.hi];
  return [0, cardinality(s) - 1];
}

/** Encoder for one model. Auxiliary definitions it needs are collected until `take()`. */
export class Encoder {
  readonly instances: Instance[];
  private decls = new Map<string, VarDecl>();
  private pending: Definition[] = [];
  private counter = 0;

  /** Bit width of every integer term: no value the model computes overflows it. */
  readonly w: number;
  readonly intSort: string;

  /**
   * `minWidth`: for encoding expressions that are not part of the model (tests). `arith`:
   * `'int'` encodes integers as SMT-LIB `Int` (the Horn clauses for Spacer) instead of bit-vectors.
   */
  constructor(readonly model: Model, readonly prefix = '', minWidth = 0, arith: 'bv' | 'int' = 'bv') {
    this.instances = instancesOf(model);
    for (const v of model.vars) this.decls.set(v.name, v);
    this.w = arith === 'int' ? S.INT_W : Math.max(minWidth, intWidth(model, this.instances.length));
    this.intSort = S.intSort(this.w);
  }

  num(n: number): Term {
    return S.num(n, this.w);
  }

  /** An integer constant (selector, status) declared by a caller. */
  intConst(name: string): Term {
    return S.sym(name, false, this.w);
  }

  decl(name: string): VarDecl {
    const d = this.decls.get(name);
    if (!d) throw new Error(`unknown variable ${name}`);
    return d;
  }

  /** The constant name of a cell at a step tag (`3`, `i2`). */
  cellName(name: string, cell: number, tag: string): string {
    return `${name}.${cell}@${tag}`;
  }

  /** The state at a step tag, as cell constants. */
  state(tag: string): StateTerms {
    return (name, cell) => S.sym(this.cellName(name, cell, tag), this.decl(name).sort.kind === 'bool', this.w);
  }

  /** Declarations of every cell at a step tag. */
  declareState(tag: string): string {
    const out: string[] = [];
    for (const v of this.model.vars) {
      const sort = v.sort.kind === 'bool' ? 'Bool' : this.intSort;
      for (let c = 0; c < cellCount(v); c++) out.push(`(declare-const ${this.cellName(v.name, c, tag)} ${sort})`);
    }
    return out.join('\n');
  }

  /** Every cell of `st` holds a value of its sort (for states not reached from the initial one). */
  sortConstraints(st: StateTerms): Term {
    const parts: Term[] = [];
    for (const v of this.model.vars) {
      if (v.sort.kind === 'bool') continue;
      const [lo, hi] = sortRange(v.sort);
      for (let c = 0; c < cellCount(v); c++) parts.push(S.within(st(v.name, c), lo, hi));
    }
    return S.and(...parts);
  }

  /** The initial state. */
  initial(st: StateTerms): Term {
    const parts: Term[] = [];
    for (const v of this.model.vars) {
      for (let c = 0; c < cellCount(v); c++) {
        const x = Array.isArray(v.init) ? v.init[c] : v.init;
        parts.push(S.eq(st(v.name, c), v.sort.kind === 'bool' ? S.bool(x !== 0) : this.num(x)));
      }
    }
    return S.and(...parts);
  }

  /** Two states differ in some cell. */
  distinct(a: StateTerms, b: StateTerms): Term {
    const parts: Term[] = [];
    for (const v of this.model.vars) {
      for (let c = 0; c < cellCount(v); c++) parts.push(S.not(S.eq(a(v.name, c), b(v.name, c))));
    }
    return S.or(...parts);
  }

  /** Auxiliary declarations and definitions produced since the last call. */
  take(): string {
    return this.takeDefinitions().map((d) => `(declare-const ${d.name} ${d.sort})\n(assert (= ${d.name} ${d.body}))`).join('\n');
  }

  /** The same, as definitions (for Horn clauses, where they become bound variables). */
  takeDefinitions(): Definition[] {
    const d = this.pending;
    this.pending = [];
    return d;
  }

  /** Name a compound term with a fresh constant, so that repeating it costs nothing. */
  share(t: Term): Term {
    if (S.isK(t) || !t.s!.startsWith('(')) return t;
    const name = `$a${this.prefix}${++this.counter}`;
    this.pending.push({ name, sort: t.b ? 'Bool' : this.intSort, body: t.s! });
    return S.sym(name, t.b, this.w);
  }

  /** Encode an expression over a state, with parameters and bound variables in `env`. */
  expr(e: Expr, st: StateTerms, env: Map<string, number> = new Map()): Enc {
    const go = (x: Expr, en = env) => this.expr(x, st, en);
    const pure = (v: Term): Enc => ({ v, err: S.F });
    switch (e.op) {
      case 'lit': return pure(e.sort.kind === 'bool' ? S.bool(e.value !== 0) : this.num(e.value));
      case 'param': {
        const v = env.get(e.name);
        if (v === undefined) throw new Error(`unbound ${e.name}`);
        return pure(e.sort.kind === 'bool' ? S.bool(v !== 0) : this.num(v));
      }
      case 'var': return this.read(e.name, e.index.map((x) => go(x)), st);
      case 'add': case 'sub': {
        const a = go(e.a), b = go(e.b);
        return { v: e.op === 'add' ? S.add(a.v, b.v) : S.sub(a.v, b.v), err: S.or(a.err, b.err) };
      }
      case 'eq': case 'ne': {
        const a = go(e.a), b = go(e.b);
        const same = a.v.b === b.v.b ? S.eq(a.v, b.v) : S.eq(S.toInt(a.v, this.w), S.toInt(b.v, this.w));
        return { v: e.op === 'eq' ? same : S.not(same), err: S.or(a.err, b.err) };
      }
      case 'lt': case 'le': case 'gt': case 'ge': {
        const a = go(e.a), b = go(e.b);
        return { v: S.cmp(e.op, a.v, b.v), err: S.or(a.err, b.err) };
      }
      case 'implies': {
        const a = go(e.a), b = go(e.b);
        return { v: S.implies(a.v, b.v), err: S.or(a.err, S.and(a.v, b.err)) };
      }
      case 'and': case 'or': return this.junction(e.args.map((x) => () => go(x)), e.op);
      case 'not': {
        const a = go(e.a);
        return { v: S.not(a.v), err: a.err };
      }
      case 'ite': {
        const c = go(e.c), t = go(e.t), f = go(e.e);
        const [tv, fv] = t.v.b === f.v.b ? [t.v, f.v] : [S.toInt(t.v, this.w), S.toInt(f.v, this.w)];
        return { v: S.ite(c.v, tv, fv), err: S.or(c.err, S.and(c.v, t.err), S.and(S.not(c.v), f.err)) };
      }
      case 'forall': case 'exists': case 'count': {
        const bodies = sortValues(e.over).map((val) => () => go(e.body, new Map(env).set(e.v, val)));
        if (e.op === 'count') {
          const bs = bodies.map((b) => b());
          return { v: S.sum(bs.map((b) => b.v), this.w), err: S.or(...bs.map((b) => b.err)) };
        }
        return this.junction(bodies, e.op === 'forall' ? 'and' : 'or');
      }
      case 'cyclic': return pure(this.cyclic(e.name, st));
    }
  }

  /** Short-circuit conjunction/disjunction: term i is evaluated only if the ones before did not decide. */
  private junction(terms: (() => Enc)[], op: 'and' | 'or'): Enc {
    const vals: Term[] = [];
    const errs: Term[] = [];
    const going = (v: Term) => (op === 'and' ? v : S.not(v));
    for (const t of terms) {
      const x = t();
      errs.push(S.and(...vals.map(going), x.err));
      vals.push(x.v);
      // A constant deciding value: later terms are never evaluated.
      if (S.isK(x.v) && S.isK(x.err) && !x.err.k && (op === 'and' ? !x.v.k : x.v.k)) break;
    }
    return { v: op === 'and' ? S.and(...vals) : S.or(...vals), err: S.or(...errs) };
  }

  /** Read `name[idx…]`: an ite over the cells a symbolic index may select. */
  private read(name: string, idx: Enc[], st: StateTerms): Enc {
    const d = this.decl(name);
    let err = S.or(...idx.map((i) => i.err));
    const cells = this.cellsFor(d, idx.map((i) => i.v));
    err = S.or(err, S.not(S.or(...cells.map((c) => c.when))));
    if (cells.length === 0) return { v: d.sort.kind === 'bool' ? S.F : this.num(0), err: S.T };
    let v = st(name, cells[cells.length - 1].cell);
    for (let i = cells.length - 2; i >= 0; i--) v = S.ite(cells[i].when, st(name, cells[i].cell), v);
    return { v, err };
  }

  /** The cells an index tuple may address, each with the condition that it does (none if out of range). */
  cellsFor(d: VarDecl, idx: Term[]): { cell: number; when: Term }[] {
    let acc: { cell: number; when: Term }[] = [{ cell: 0, when: S.T }];
    d.index.forEach((s, i) => {
      const card = cardinality(s);
      const x = idx[i].b ? S.toInt(idx[i], this.w) : idx[i];
      const next: { cell: number; when: Term }[] = [];
      if (S.isK(x)) {
        const o = ordinal(s, x.k);
        if (o >= 0 && o < card) for (const a of acc) next.push({ cell: a.cell * card + o, when: a.when });
      } else {
        const xs = this.share(x);
        for (const a of acc) {
          sortValues(s).forEach((val, o) => next.push({ cell: a.cell * card + o, when: S.and(a.when, S.eq(xs, this.num(val))) }));
        }
      }
      acc = next;
    });
    return acc;
  }

  /** `cyclic(name)`: some node reaches itself; transitive closure by Floyd–Warshall over shared terms. */
  private cyclic(name: string, st: StateTerms): Term {
    const d = this.decl(name);
    const k = cardinality(d.index[0]);
    let r: Term[][] = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => st(name, a * k + b)));
    for (let m = 0; m < k; m++) {
      r = r.map((row, a) => row.map((x, b) => this.share(S.or(x, S.and(r[a][m], r[m][b])))));
    }
    return S.or(...r.map((row, a) => row[a]));
  }

  /** Encode one action instance from a pre-state. */
  instance(inst: Instance, st: StateTerms): InstEnc {
    const env = new Map(inst.action.params.map((p, i) => [p.name, inst.params[i]] as [string, number]));
    const g = this.expr(inst.action.guard, st, env);
    const guardOk = S.and(S.not(g.err), g.v);
    const reqs = inst.action.requires.map((r) => this.expr(r.expr, st, env));
    const writes: InstEnc['writes'] = [];
    const assignErr: Term[] = [];
    for (const a of inst.action.assigns) {
      const d = this.decl(a.name);
      const idx = a.index.map((x) => this.expr(x, st, env));
      const val = this.expr(a.value, st, env);
      const cells = this.cellsFor(d, idx.map((i) => i.v));
      let value = d.sort.kind === 'bool' ? val.v : S.toInt(val.v, this.w);
      const outOfSort = d.sort.kind === 'bool' ? S.F : S.not(S.within(value, ...sortRange(d.sort)));
      assignErr.push(...idx.map((i) => i.err), S.not(S.or(...cells.map((c) => c.when))), val.err, outOfSort);
      if (cells.length > 1) value = this.share(value);
      for (const c of cells) writes.push({ name: a.name, cell: c.cell, when: c.when, value });
    }
    const errA = S.or(...assignErr);
    // Status as the interpreter computes it: requirements in order (the first false one wins,
    // an error before it is a bounds violation), then the assignments.
    let status: Term = S.ite(errA, this.num(-1), this.num(0));
    for (let i = reqs.length - 1; i >= 0; i--) {
      status = S.ite(reqs[i].err, this.num(-1), S.ite(S.not(reqs[i].v), this.num(i + 1), status));
    }
    status = S.ite(g.err, this.num(-1), status);
    const reqsOk = S.and(...reqs.map((r) => S.and(S.not(r.err), r.v)));
    return {
      enabled: S.or(g.err, g.v),
      good: S.and(guardOk, reqsOk, S.not(errA)),
      status,
      writes,
    };
  }

  /** The value of one cell after taking the instance (later writes win; unwritten cells keep). */
  successorCell(e: InstEnc, pre: StateTerms, name: string, cell: number): Term {
    let t = pre(name, cell);
    for (const w of e.writes) if (w.name === name && w.cell === cell) t = S.ite(w.when, w.value, t);
    return t;
  }

  /** All instances from a pre-state. */
  allInstances(st: StateTerms): InstEnc[] {
    return this.instances.map((i) => this.instance(i, st));
  }

  /**
   * The good-transition relation from `pre` to `post`, choosing the instance with the Int
   * constant `sel`: the instance is good and every cell is updated by it or kept (frame).
   */
  transition(pre: StateTerms, post: StateTerms, sel: Term, encs: InstEnc[] = this.allInstances(pre)): Term[] {
    const out: Term[] = [S.within(sel, 0, encs.length - 1)];
    const byCell = new Map<string, { inst: number; when: Term; value: Term }[]>();
    encs.forEach((e, j) => {
      if (S.isK(e.good) && !e.good.k) { out.push(S.not(S.eq(sel, this.num(j)))); return; }
      if (!(S.isK(e.good) && e.good.k)) out.push(S.implies(S.eq(sel, this.num(j)), e.good));
      for (const w of e.writes) {
        const key = `${w.name}.${w.cell}`;
        if (!byCell.has(key)) byCell.set(key, []);
        byCell.get(key)!.push({ inst: j, when: w.when, value: w.value });
      }
    });
    for (const v of this.model.vars) {
      for (let c = 0; c < cellCount(v); c++) {
        const ws = byCell.get(`${v.name}.${c}`) ?? [];
        const keep = pre(v.name, c);
        let rhs = keep;
        // Instances in reverse so that the chain reads in instance order; within one instance a
        // later write wins, so it wraps the earlier ones.
        const perInst = new Map<number, { when: Term; value: Term }[]>();
        for (const w of ws) {
          if (!perInst.has(w.inst)) perInst.set(w.inst, []);
          perInst.get(w.inst)!.push(w);
        }
        for (const j of [...perInst.keys()].reverse()) {
          let t = keep;
          for (const w of perInst.get(j)!) t = S.ite(w.when, w.value, t);
          rhs = S.ite(S.eq(sel, this.num(j)), t, rhs);
        }
        out.push(S.eq(post(v.name, c), rhs));
      }
    }
    return out;
  }

  /** `final` holds (without a bounds error). */
  isFinal(st: StateTerms): Term {
    const f = this.expr(this.model.final, st);
    return S.and(S.not(f.err), f.v);
  }

  /**
   * The state-property violations of a state, by property: invariants (false or out of range),
   * quiescence (final and false), deadlock (not final and nothing enabled).
   */
  stateViolations(st: StateTerms, encs?: InstEnc[]): { kind: 'invariant' | 'quiescence' | 'deadlock'; index: number; term: Term }[] {
    const out: { kind: 'invariant' | 'quiescence' | 'deadlock'; index: number; term: Term }[] = [];
    const props = this.model.properties;
    props.filter((p) => p.kind === 'invariant').forEach((p, i) => {
      const x = this.expr((p as { expr: Expr }).expr, st);
      out.push({ kind: 'invariant', index: i, term: S.or(x.err, S.not(x.v)) });
    });
    const quis = props.filter((p) => p.kind === 'quiescence');
    const hasDeadlock = props.some((p) => p.kind === 'deadlock');
    if (quis.length || hasDeadlock) {
      const fin = this.share(this.isFinal(st));
      quis.forEach((p, i) => {
        const x = this.expr((p as { expr: Expr }).expr, st);
        out.push({ kind: 'quiescence', index: i, term: S.and(fin, S.or(x.err, S.not(x.v))) });
      });
      if (hasDeadlock) {
        const es = encs ?? this.allInstances(st);
        out.push({ kind: 'deadlock', index: 0, term: S.and(S.not(fin), ...es.map((e) => S.not(e.enabled))) });
      }
    }
    return out;
  }

  /** Cover expressions (true when the cover is witnessed). */
  covers(st: StateTerms): Term[] {
    return this.model.properties.filter((p) => p.kind === 'cover').map((p) => {
      const x = this.expr((p as { expr: Expr }).expr, st);
      return S.and(S.not(x.err), x.v);
    });
  }
}

/**
 * The signed width in which every integer the model computes fits: interval arithmetic over
 * all expressions (a sum of two ranges is the range of sums), also covering action selectors.
 */
export function intWidth(model: Model, instances: number): number {
  let maxAbs = Math.max(instances, 2);
  const note = (lo: number, hi: number) => { maxAbs = Math.max(maxAbs, Math.abs(lo), Math.abs(hi)); };
  const sortIv = (s: Sort): [number, number] => (s.kind === 'int' ? [0, 0] : sortRange(s));
  for (const v of model.vars) note(...sortIv(v.sort));
  const iv = (e: Expr, env: Map<string, [number, number]>): [number, number] => {
    let r: [number, number];
    switch (e.op) {
      case 'lit': r = [e.value, e.value]; break;
      case 'param': r = env.get(e.name) ?? sortIv(e.sort); break;
      case 'var': e.index.forEach((x) => iv(x, env)); r = e.sort.kind === 'bool' ? [0, 1] : sortRange(e.sort); break;
      case 'add': { const a = iv(e.a, env), b = iv(e.b, env); r = [a[0] + b[0], a[1] + b[1]]; break; }
      case 'sub': { const a = iv(e.a, env), b = iv(e.b, env); r = [a[0] - b[1], a[1] - b[0]]; break; }
      case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge': case 'implies': iv(e.a, env); iv(e.b, env); r = [0, 1]; break;
      case 'and': case 'or': e.args.forEach((x) => iv(x, env)); r = [0, 1]; break;
      case 'not': iv(e.a, env); r = [0, 1]; break;
      case 'ite': { iv(e.c, env); const a = iv(e.t, env), b = iv(e.e, env); r = [Math.min(a[0], b[0]), Math.max(a[1], b[1])]; break; }
      case 'forall': case 'exists': case 'count': {
        iv(e.body, new Map(env).set(e.v, sortRange(e.over)));
        r = e.op === 'count' ? [0, cardinality(e.over)] : [0, 1];
        break;
      }
      case 'cyclic': r = [0, 1]; break;
    }
    note(...r);
    return r;
  };
  const none = new Map<string, [number, number]>();
  for (const a of model.actions) {
    const env = new Map(a.params.map((p) => [p.name, sortIv(p.sort)] as [string, [number, number]]));
    iv(a.guard, env);
    a.requires.forEach((r) => iv(r.expr, env));
    note(-1, a.requires.length + 1);
    for (const x of a.assigns) { x.index.forEach((i) => iv(i, env)); iv(x.value, env); }
  }
  for (const p of model.properties) if ('expr' in p) iv(p.expr, none);
  iv(model.final, none);
  // Sign bit plus magnitude; the comparison `v <= hi` of a value one past its sort must not wrap.
  let w = 2;
  while (2 ** (w - 1) <= maxAbs + 1) w++;
  return w;
}

/** `(assert …)` lines for terms (constant true ones dropped). */
export function asserts(ts: Term[]): string {
  return ts.filter((t) => !(S.isK(t) && t.k)).map((t) => `(assert ${S.txt(t)})`).join('\n');
}

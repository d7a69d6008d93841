/**
 * Conjunctions of candidate lemmas against the transition system, in one bit-vector solver
 * (the BMC encoding): a bad state they allow, a step from a state satisfying them that breaks
 * some of them, whether they exclude every bad state and bad step, and an inductive core (a
 * subset that is still inductive and still excludes them, from Z3's unsat cores).
 *
 * Each candidate i has an activation literal `$c<i>` and the assertion `$c<i> → c_i(s)`; the
 * step s → s' is asserted under `$step`, so a query assumes exactly the candidates it uses.
 *
 * @example
 * const h = await CandidateSolver.open(model, candidates);
 * const all = candidates.map((_, i) => i);
 * if ((await h.breakingStep(all)) === 'preserved' && (await h.excludesBad(all)).ok) core = await h.inductiveCore(all);
 */
import type { Expr, Model } from '../../model/lang/ir.ts';
import { cellCount } from '../../model/lang/ir.ts';
import { instancesOf, type State } from '../interpreter.ts';
import { Encoder, asserts, intWidth, type StateTerms } from './encode.ts';
import * as S from './smt.ts';
import { openSolver, type Solver } from './z3.ts';

/** The model with the expressions added as invariants (so integer widths cover them). */
export function withInvariants(model: Model, exprs: Expr[], prefix = 'pdr.lemma'): Model {
  return {
    ...model,
    properties: [...model.properties, ...exprs.map((expr, i) => ({ kind: 'invariant' as const, id: `${prefix}${i + 1}`, message: 'invariant lemma', expr }))],
  };
}

/** Bit-vector encoder for `model` wide enough for `exprs` too. */
export function encoderFor(model: Model, exprs: Expr[], prefix: string): Encoder {
  const w = intWidth(withInvariants(model, exprs), instancesOf(model).length);
  return new Encoder(model, prefix, w);
}

/** An expression as a Bool term that is false when it raises a bounds error. */
export function holds(enc: Encoder, e: Expr, st: StateTerms): S.Term {
  const x = enc.expr(e, st);
  return S.and(S.not(x.err), x.v);
}

/** "s is bad": it breaks a state property, or an enabled step from it is a violation. */
export function badState(enc: Encoder, st: StateTerms): S.Term {
  const encs = enc.allInstances(st);
  return S.or(...enc.stateViolations(st, encs).map((v) => v.term), ...encs.map((e) => S.and(e.enabled, S.not(e.good))));
}

export class CandidateSolver {
  readonly candidates: Expr[] = [];
  private post: S.Term[] = [];
  private cells: { tag0: string; tag1: string; v: string; c: number; isBool: boolean }[] = [];

  private constructor(readonly model: Model, private solver: Solver, private enc: Encoder, private timeoutMs: number) {
    for (const v of model.vars) {
      for (let c = 0; c < cellCount(v); c++) {
        this.cells.push({ tag0: enc.cellName(v.name, c, 'c0'), tag1: enc.cellName(v.name, c, 'c1'), v: v.name, c, isBool: v.sort.kind === 'bool' });
      }
    }
  }

  /** `widthHint`: expressions (candidates to come) the integer width must cover. */
  static async open(model: Model, candidates: Expr[], timeoutMs = 0, widthHint: Expr[] = []): Promise<CandidateSolver> {
    const enc = encoderFor(model, [...candidates, ...widthHint], 'c');
    const s = enc.state('c0'), t = enc.state('c1');
    const sel = enc.intConst('$csel');
    const step = S.and(...enc.transition(s, t, sel));
    const bad = badState(enc, s);
    const solver = await openSolver('QF_BV');
    await solver.add([
      enc.declareState('c0'), enc.declareState('c1'), `(declare-const $csel ${enc.intSort})`, '(declare-const $step Bool)',
      '(declare-const $bad Bool)', enc.take(),
      asserts([enc.sortConstraints(s), S.implies(S.sym('$step', true), step), S.eq(S.sym('$bad', true), bad)]),
    ].join('\n'));
    const cs = new CandidateSolver(model, solver, enc, timeoutMs);
    await cs.add(candidates);
    return cs;
  }

  /** Add candidates; returns their indices. */
  async add(exprs: Expr[]): Promise<number[]> {
    const s = this.enc.state('c0'), t = this.enc.state('c1');
    const ids: number[] = [];
    const lines: string[] = [];
    const pre: S.Term[] = [];
    for (const e of exprs) {
      const i = this.candidates.length;
      this.candidates.push(e);
      ids.push(i);
      lines.push(`(declare-const $c${i} Bool)`);
      pre.push(S.implies(S.sym(`$c${i}`, true), holds(this.enc, e, s)));
      this.post.push(this.enc.share(holds(this.enc, e, t)));
    }
    await this.solver.add([...lines, this.enc.take(), asserts(pre)].join('\n'));
    return ids;
  }

  private read(values: string[], offset = 0): State {
    const st: State = {};
    const w = this.enc.w;
    for (const v of this.model.vars) st[v.name] = new Array(cellCount(v)).fill(0);
    this.cells.forEach((c, i) => {
      const x = values[offset + i];
      st[c.v][c.c] = c.isBool ? (x === 'true' ? 1 : 0) : S.signed(BigInt(x), w);
    });
    return st;
  }

  private readList(which: 'tag0' | 'tag1') {
    return this.cells.map((c) => ({ name: c[which], sort: c.isBool ? ('Bool' as const) : this.enc.w }));
  }

  /** A bad state satisfying the candidates `ids`, `'none'` when they exclude every bad state and step, or `'unknown'`. */
  async badState(ids: number[]): Promise<State | 'none' | 'unknown'> {
    const b = await this.solver.query('(assert $bad)', this.timeoutMs, this.readList('tag0'), this.lits(ids));
    return b.result === 'unknown' ? 'unknown' : b.result === 'sat' ? this.read(b.values!) : 'none';
  }

  /**
   * A step from a state satisfying the candidates `ids` to one breaking a candidate of `check`
   * (default: all of `ids`), or `'preserved'`: every step keeps each of `check`. A candidate
   * preserved under `ids` stays preserved under any superset of them (the hypothesis only grows),
   * so a learner can check each candidate until it is preserved once, not on every round.
   */
  async breakingStep(ids: number[], check: number[] = ids): Promise<{ pre: State; post: State } | 'preserved' | 'unknown'> {
    if (check.length === 0) return 'preserved';
    const text = asserts([S.or(...check.map((i) => S.not(this.post[i])))]);
    const r = await this.solver.query(text, this.timeoutMs, [...this.readList('tag0'), ...this.readList('tag1')], ['$step', ...this.lits(ids)]);
    if (r.result === 'unknown') return 'unknown';
    if (r.result === 'unsat') return 'preserved';
    return { pre: this.read(r.values!), post: this.read(r.values!, this.cells.length) };
  }

  private lits(ids: number[]): string[] {
    return ids.map((i) => `$c${i}`);
  }

  /** Whether the candidates `ids` exclude every bad state and bad step; the core when they do. */
  async excludesBad(ids: number[]): Promise<{ ok: boolean; core?: number[]; unknown?: boolean }> {
    const r = await this.solver.query('(assert $bad)', this.timeoutMs, [], this.lits(ids), true);
    if (r.result === 'unknown') return { ok: false, unknown: true };
    return r.result === 'unsat' ? { ok: true, core: this.coreIds() } : { ok: false };
  }

  private coreIds(): number[] {
    return (this.solver.lastCore ?? []).filter((n) => /^\$c\d+$/.test(n)).map((n) => Number(n.slice(2))).sort((a, b) => a - b);
  }

  /**
   * A subset of `ids` (an inductive set that excludes the bad states) that is still inductive
   * and still excludes them: start from the core of the bad-state query; then, round by round,
   * add the core of "a step breaks one of the candidates added last round" (one query per
   * round, not per candidate), until a round adds nothing.
   */
  async inductiveCore(ids: number[]): Promise<number[] | undefined> {
    const bad = await this.excludesBad(ids);
    if (!bad.ok) return undefined;
    const need = new Set(bad.core);
    let frontier = [...need];
    while (frontier.length) {
      const r = await this.solver.query(asserts([S.or(...frontier.map((j) => S.not(this.post[j])))]), this.timeoutMs, [], ['$step', ...this.lits(ids)], true);
      if (r.result !== 'unsat') return undefined;
      frontier = this.coreIds().filter((i) => !need.has(i));
      for (const i of frontier) need.add(i);
    }
    return [...need].sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    await this.solver.free();
  }
}

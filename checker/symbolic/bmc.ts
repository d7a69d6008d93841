/**
 * Incremental bounded model checking. The solver holds the initial state and the good
 * transitions s0→s1→…; for each length k it asks two temporary questions:
 * (1) from s(k-1), is a step enabled that violates a `requires` or leaves a sort (the trace's
 * last step is the bad one, as in the explicit engine), and (2) after one more good step, does
 * s(k) break an invariant, quiescence, or deadlock. Lengths are tried in order, so the first
 * length that is satisfiable is the minimal counterexample length, the BFS trace length.
 */
import type { Model } from '../../model/lang/ir.ts';
import type { RawViolation } from '../explicit.ts';
import { Encoder, asserts, type InstEnc, type StateTerms } from './encode.ts';
import * as S from './smt.ts';
import { openSolver, type Solver } from './z3.ts';

export interface BmcOptions {
  /** Longest trace length to check. */
  depth: number;
  /** Per-query Z3 timeout in milliseconds (0 = none). */
  smtTimeoutMs?: number;
  /** Called when all traces of one length have been checked. */
  onDepth?: (depth: number, seconds: number) => void;
}

export interface BmcRaw {
  verdict: 'pass' | 'violation' | 'unknown';
  reason?: string;
  violation?: RawViolation;
  /** Instance ids from the initial state (as the explicit engine's paths). */
  path?: number[];
  /** The longest length fully checked (for a violation: its length). */
  depth: number;
  /** Seconds spent on each length (cumulative time at the end of that length is their sum). */
  perDepth: { depth: number; seconds: number }[];
  queries: number;
  seconds: number;
  /** Per cover property: the shortest length at which it was witnessed, or undefined. */
  coverDepth: (number | undefined)[];
}

/** What checking one length found. */
export type LengthOutcome =
  | { kind: 'none' }
  | { kind: 'violation'; violation: RawViolation; path: number[] }
  | { kind: 'unknown'; reason: string };

/** A BMC unrolling kept in one solver, extended one length at a time. */
export class BmcSession {
  readonly enc: Encoder;
  /** The next length to check. */
  next = 0;
  queries = 0;
  coverDepth: (number | undefined)[];
  private encs: InstEnc[][] = [];
  private fresh = 0;

  private constructor(readonly model: Model, private solver: Solver, private timeoutMs: number) {
    this.enc = new Encoder(model, 'b');
    this.coverDepth = model.properties.filter((p) => p.kind === 'cover').map(() => undefined);
  }

  static async open(model: Model, timeoutMs = 0): Promise<BmcSession> {
    const s = new BmcSession(model, await openSolver('QF_BV'), timeoutMs);
    const st = s.st(0);
    await s.solver.add(`${s.enc.declareState('0')}\n${asserts([s.enc.initial(st)])}`);
    return s;
  }

  st(k: number): StateTerms {
    return this.enc.state(String(k));
  }
  private sel(k: number): string {
    return `$sel@${k}`;
  }
  private instEncs(k: number): InstEnc[] {
    if (!this.encs[k]) this.encs[k] = this.enc.allInstances(this.st(k));
    return this.encs[k];
  }

  /** Check every trace of length `this.next`, then advance. */
  async checkNext(): Promise<LengthOutcome> {
    const k = this.next;
    if (k > 0) {
      const bad = await this.badStep(k);
      if (bad.kind !== 'none') return bad;
      // The good step s(k-1) → s(k) becomes part of the unrolling.
      const t = this.enc.transition(this.st(k - 1), this.st(k), this.enc.intConst(this.sel(k - 1)), this.instEncs(k - 1));
      const aux = this.enc.take();
      await this.solver.add(`${this.enc.declareState(String(k))}\n(declare-const ${this.sel(k - 1)} ${this.enc.intSort})\n${aux}\n${asserts(t)}`);
    }
    const st = await this.badState(k);
    if (st.kind !== 'none') return st;
    await this.coverQueries(k);
    this.next = k + 1;
    return { kind: 'none' };
  }

  /** Run one temporary query: sat → the values read (integers signed, Bool 'true'/'false'). */
  private async query(text: string, read: { name: string; sort: 'Int' | 'Bool' }[]): Promise<string[] | undefined | { unknown: string }> {
    const w = this.enc.w;
    this.queries++;
    // Definitions of shared subterms stay: later queries and the unrolling reuse them.
    await this.solver.add(this.enc.take());
    const r = await this.solver.query(text, this.timeoutMs, read.map((x) => ({ name: x.name, sort: x.sort === 'Int' ? w : 'Bool' })));
    if (r.result === 'unknown') return { unknown: r.reason ?? 'unknown' };
    if (r.result === 'unsat') return undefined;
    return r.values!.map((v, i) => (read[i].sort === 'Int' ? String(S.signed(BigInt(v), w)) : v));
  }

  private pathNames(k: number) {
    return Array.from({ length: k }, (_, i) => ({ name: this.sel(i), sort: 'Int' as const }));
  }

  /** A step from s(k-1) that is enabled and violates a requirement or leaves a sort. */
  private async badStep(k: number): Promise<LengthOutcome> {
    const encs = this.instEncs(k - 1);
    const bsel = `$bsel@${k}`, bst = `$bst@${k}`;
    const b = this.enc.intConst(bsel);
    const parts: S.Term[] = [S.within(b, 0, encs.length - 1)];
    let status: S.Term = this.enc.num(0);
    encs.forEach((e, j) => {
      const isJ = S.eq(b, this.enc.num(j));
      parts.push(S.implies(isJ, S.and(e.enabled, S.not(e.good))));
      status = S.ite(isJ, e.status, status);
    });
    parts.push(S.eq(this.enc.intConst(bst), status));
    const text = `(declare-const ${bsel} ${this.enc.intSort})\n(declare-const ${bst} ${this.enc.intSort})\n${asserts(parts)}`;
    const r = await this.query(text, [...this.pathNames(k - 1), { name: bsel, sort: 'Int' }, { name: bst, sort: 'Int' }]);
    if (r === undefined) return { kind: 'none' };
    if ('unknown' in r) return { kind: 'unknown', reason: r.unknown };
    const vals = r.map(Number);
    const code = vals[vals.length - 1];
    const path = vals.slice(0, k);
    const violation: RawViolation = code > 0 ? { kind: 'requires', requirement: code - 1 } : { kind: 'bounds' };
    return { kind: 'violation', violation, path };
  }

  /** s(k) breaks an invariant, quiescence or deadlock. */
  private async badState(k: number): Promise<LengthOutcome> {
    const vs = this.enc.stateViolations(this.st(k), this.instEncs(k));
    if (vs.length === 0) return { kind: 'none' };
    const names = vs.map(() => `$v${++this.fresh}@${k}`);
    const text = [
      ...names.map((n) => `(declare-const ${n} Bool)`),
      asserts(vs.map((v, i) => S.eq(S.sym(names[i], true), v.term))),
      asserts([S.or(...names.map((n) => S.sym(n, true)))]),
    ].join('\n');
    const r = await this.query(text, [...this.pathNames(k), ...names.map((name) => ({ name, sort: 'Bool' as const }))]);
    if (r === undefined) return { kind: 'none' };
    if ('unknown' in r) return { kind: 'unknown', reason: r.unknown };
    const path = r.slice(0, k).map(Number);
    const hit = vs[r.slice(k).indexOf('true')];
    const violation: RawViolation = hit.kind === 'deadlock' ? { kind: 'deadlock' } : { kind: hit.kind, index: hit.index };
    return { kind: 'violation', violation, path };
  }

  /** Record covers first witnessed at length k (a timeout here only leaves the cover open). */
  private async coverQueries(k: number): Promise<void> {
    const cs = this.enc.covers(this.st(k));
    for (let i = 0; i < cs.length; i++) {
      if (this.coverDepth[i] !== undefined) continue;
      const r = await this.query(asserts([cs[i]]), []);
      if (Array.isArray(r)) this.coverDepth[i] = k;
    }
  }

  async close(): Promise<void> {
    await this.solver.free();
  }
}

/** Bounded model checking of all traces up to `opts.depth` steps. */
export async function bmc(model: Model, opts: BmcOptions): Promise<BmcRaw> {
  const t0 = performance.now();
  const perDepth: BmcRaw['perDepth'] = [];
  const session = await BmcSession.open(model, opts.smtTimeoutMs ?? 0);
  const finish = (r: Partial<BmcRaw> & Pick<BmcRaw, 'verdict' | 'depth'>): BmcRaw => ({
    perDepth, queries: session.queries, seconds: (performance.now() - t0) / 1000, coverDepth: session.coverDepth, ...r,
  });
  try {
    let last = performance.now();
    for (let k = 0; k <= opts.depth; k++) {
      const out = await session.checkNext();
      const now = performance.now();
      perDepth.push({ depth: k, seconds: (now - last) / 1000 });
      last = now;
      opts.onDepth?.(k, (now - t0) / 1000);
      if (out.kind === 'violation') return finish({ verdict: 'violation', violation: out.violation, path: out.path, depth: k });
      if (out.kind === 'unknown') return finish({ verdict: 'unknown', reason: `Z3 returned unknown at length ${k} (${out.reason})`, depth: k - 1 });
    }
    return finish({ verdict: 'pass', depth: opts.depth });
  } finally {
    await session.close();
  }
}

/**
 * k-induction with simple-path constraints. P(s) = "s breaks no invariant, quiescence or
 * deadlock, and no step enabled in s violates a requirement or a sort". For k = 0, 1, …:
 * base: BMC finds no violation of length ≤ k (so P holds up to depth k-1); step: every
 * path of k good steps through distinct states satisfying P, from any state whose cells are
 * in their sorts, ends in a state satisfying P. Both together prove P for every reachable
 * state, at any depth. A satisfiable step is a counterexample to induction (CTI).
 */
import type { Model } from '../../model/lang/ir.ts';
import type { RawViolation } from '../explicit.ts';
import type { State } from '../interpreter.ts';
import { cellCount } from '../../model/lang/ir.ts';
import { Encoder, asserts, type InstEnc, type StateTerms } from './encode.ts';
import { BmcSession } from './bmc.ts';
import * as S from './smt.ts';
import { openSolver, type Solver } from './z3.ts';

export interface InductionOptions {
  maxK: number;
  smtTimeoutMs?: number;
  /** The explicit engine already searched every reachable state: skip the BMC base case. */
  baseKnown?: boolean;
  /** Give up (unknown) once this many seconds have passed, checked between queries. */
  maxSeconds?: number;
}

/** A counterexample to induction: from `start`, the good steps `path` reach a violation. */
export interface RawCti {
  k: number;
  start: State;
  /** For a requires/bounds violation the last instance is the bad step (k+1 instances). */
  path: number[];
  violation: RawViolation;
}

export interface InductionRaw {
  verdict: 'proved' | 'violation' | 'unknown';
  reason?: string;
  k?: number;
  violation?: RawViolation;
  path?: number[];
  cti?: RawCti;
  queries: number;
  seconds: number;
  /** Base case: the longest BMC length checked (-1 when the base was known). */
  baseDepth: number;
  coverDepth: (number | undefined)[];
}

/** The induction step's unrolling: s0 arbitrary (in sort), P on every state but the last, all distinct. */
class StepSession {
  readonly enc: Encoder;
  /** States s0..s(next) exist; the next query is about s(next). */
  next = 0;
  queries = 0;
  private fresh = 0;
  private encs: InstEnc[][] = [];

  private constructor(readonly model: Model, private solver: Solver, private timeoutMs: number) {
    this.enc = new Encoder(model, 'i');
  }

  static async open(model: Model, timeoutMs: number): Promise<StepSession> {
    const s = new StepSession(model, await openSolver('QF_BV'), timeoutMs);
    const st = s.st(0);
    await s.solver.add(`${s.enc.declareState('i0')}\n${asserts([s.enc.sortConstraints(st)])}`);
    return s;
  }

  st(k: number): StateTerms {
    return this.enc.state(`i${k}`);
  }
  private sel(k: number): string {
    return `$isel@${k}`;
  }
  private instEncs(k: number): InstEnc[] {
    if (!this.encs[k]) this.encs[k] = this.enc.allInstances(this.st(k));
    return this.encs[k];
  }

  /** The violations of P at s(k): state violations, then "a bad step is enabled". */
  private notP(k: number) {
    const encs = this.instEncs(k);
    const vs = this.enc.stateViolations(this.st(k), encs);
    const bad = S.or(...encs.map((e) => S.and(e.enabled, S.not(e.good))));
    return { vs, bad, encs };
  }

  /** Is there a path to s(next) violating P? undefined = no (proved), else the CTI or unknown. */
  async check(): Promise<RawCti | undefined | { unknown: string }> {
    const k = this.next;
    const { vs, bad, encs } = this.notP(k);
    const names = vs.map(() => `$w${++this.fresh}@${k}`);
    const wbad = `$wbad@${k}`, bsel = `$ibsel@${k}`, bst = `$ibst@${k}`;
    const b = this.enc.intConst(bsel);
    let status: S.Term = this.enc.num(0);
    const pick: S.Term[] = [S.within(b, 0, encs.length - 1)];
    encs.forEach((e, j) => {
      const isJ = S.eq(b, this.enc.num(j));
      pick.push(S.implies(isJ, S.and(e.enabled, S.not(e.good))));
      status = S.ite(isJ, e.status, status);
    });
    const text = [
      ...[...names, wbad].map((n) => `(declare-const ${n} Bool)`),
      `(declare-const ${bsel} ${this.enc.intSort})`, `(declare-const ${bst} ${this.enc.intSort})`,
      asserts(vs.map((v, i) => S.eq(S.sym(names[i], true), v.term))),
      asserts([S.eq(S.sym(wbad, true), bad), S.implies(S.sym(wbad, true), S.and(...pick)), S.eq(this.enc.intConst(bst), status)]),
      asserts([S.or(...[...names, wbad].map((n) => S.sym(n, true)))]),
    ].join('\n');
    const w = this.enc.w;
    const cells: { name: string; sort: 'Bool' | number; v: string; c: number; isBool: boolean }[] = [];
    for (const v of this.model.vars) {
      for (let c = 0; c < cellCount(v); c++) {
        const isBool = v.sort.kind === 'bool';
        cells.push({ name: this.enc.cellName(v.name, c, 'i0'), sort: isBool ? 'Bool' : w, v: v.name, c, isBool });
      }
    }
    const read = [
      ...cells.map((c) => ({ name: c.name, sort: c.sort })),
      ...Array.from({ length: k }, (_, i) => ({ name: this.sel(i), sort: w })),
      ...names.map((name) => ({ name, sort: 'Bool' as const })),
      { name: wbad, sort: 'Bool' as const }, { name: bsel, sort: w }, { name: bst, sort: w },
    ];
    this.queries++;
    // Definitions of shared subterms stay: later queries and the unrolling reuse them.
    await this.solver.add(this.enc.take());
    const r = await this.solver.query(text, this.timeoutMs, read);
    if (r.result === 'unknown') return { unknown: r.reason ?? 'unknown' };
    if (r.result === 'unsat') return undefined;
    const vals = r.values!;
    const int = (x: string) => S.signed(BigInt(x), w);
    const start: State = {};
    for (const v of this.model.vars) start[v.name] = new Array(cellCount(v)).fill(0);
    cells.forEach((c, i) => (start[c.v][c.c] = c.isBool ? (vals[i] === 'true' ? 1 : 0) : int(vals[i])));
    let o = cells.length;
    const path = vals.slice(o, o + k).map(int);
    o += k;
    const flags = vals.slice(o, o + names.length);
    o += names.length;
    const hit = flags.indexOf('true');
    if (hit >= 0) {
      const h = vs[hit];
      return { k, start, path, violation: h.kind === 'deadlock' ? { kind: 'deadlock' } : { kind: h.kind, index: h.index } };
    }
    const code = int(vals[o + 2]);
    return { k, start, path: [...path, int(vals[o + 1])], violation: code > 0 ? { kind: 'requires', requirement: code - 1 } : { kind: 'bounds' } };
  }

  /** P holds at s(next); add the good step to s(next+1), distinct from every earlier state. */
  async extend(): Promise<void> {
    const k = this.next;
    const { vs, encs } = this.notP(k);
    const keepP = [...vs.map((v) => S.not(v.term)), ...encs.map((e) => S.not(S.and(e.enabled, S.not(e.good))))];
    const t = this.enc.transition(this.st(k), this.st(k + 1), this.enc.intConst(this.sel(k)), encs);
    const distinct = Array.from({ length: k + 1 }, (_, i) => this.enc.distinct(this.st(i), this.st(k + 1)));
    const aux = this.enc.take();
    await this.solver.add([
      this.enc.declareState(`i${k + 1}`), `(declare-const ${this.sel(k)} ${this.enc.intSort})`, aux,
      asserts([...keepP, ...t, ...distinct]),
    ].join('\n'));
    this.next = k + 1;
  }

  async close(): Promise<void> {
    await this.solver.free();
  }
}

/** Try to prove every safety property for all depths by k-induction, k = 0..maxK. */
export async function induction(model: Model, opts: InductionOptions): Promise<InductionRaw> {
  const t0 = performance.now();
  const timeout = opts.smtTimeoutMs ?? 0;
  const base = opts.baseKnown ? undefined : await BmcSession.open(model, timeout);
  const step = await StepSession.open(model, timeout);
  let cti: RawCti | undefined;
  const finish = (r: Partial<InductionRaw> & Pick<InductionRaw, 'verdict'>): InductionRaw => ({
    queries: (base?.queries ?? 0) + step.queries, seconds: (performance.now() - t0) / 1000,
    baseDepth: base ? base.next - 1 : -1,
    coverDepth: base?.coverDepth ?? model.properties.filter((p) => p.kind === 'cover').map(() => undefined),
    ...(cti ? { cti } : {}), ...r,
  });
  try {
    for (let k = 0; k <= opts.maxK; k++) {
      if (opts.maxSeconds !== undefined && performance.now() - t0 > opts.maxSeconds * 1000) {
        return finish({ verdict: 'unknown', reason: `stopped the induction after ${opts.maxSeconds} s, at k=${k}` });
      }
      if (base) {
        const out = await base.checkNext();
        if (out.kind === 'violation') return finish({ verdict: 'violation', violation: out.violation, path: out.path });
        if (out.kind === 'unknown') return finish({ verdict: 'unknown', reason: `Z3 returned unknown in the base case at length ${k} (${out.reason})` });
      }
      const r = await step.check();
      if (r === undefined) {
        // Covers: keep unrolling the base until each is witnessed, or up to maxK.
        while (base && base.coverDepth.some((d) => d === undefined) && base.next <= opts.maxK) {
          const out = await base.checkNext();
          if (out.kind !== 'none') break;
        }
        return finish({ verdict: 'proved', k });
      }
      if ('unknown' in r) return finish({ verdict: 'unknown', reason: `Z3 returned unknown in the induction step at k=${k} (${r.unknown})` });
      cti = r;
      if (k < opts.maxK) await step.extend();
    }
    return finish({ verdict: 'unknown', reason: `the properties are not ${opts.maxK}-inductive (simple paths up to ${opts.maxK} steps)` });
  } finally {
    await base?.close();
    await step.close();
  }
}

/**
 * Running the symbolic engines to a Result: BMC and k-induction (`auto` is explicit search
 * then PDR: runAutoPdr in pdr.ts).
 */
import type { Model } from '../../model/lang/ir.ts';
import { instancesOf } from '../interpreter.ts';
import { RESULT_VERSION, type Result } from '../result.ts';
import { runCheck, type CheckOptions } from '../check.ts';
import { bmc, type BmcRaw } from './bmc.ts';
import { induction, type InductionRaw } from './induction.ts';
import { shutdownZ3, Z3Lost } from './z3.ts';
import { renderCti } from './cti.ts';
import { compileModel } from '../compile.ts';
import { minimiseViolation } from '../minimise.ts';
import { propertyRef, replayedTrace, round3 } from './result.ts';
import { withBoundsDetail } from '../replay.ts';


export interface BmcRunOptions {
  /** Longest trace length checked (K). */
  depth: number;
  /** Per-query Z3 timeout in milliseconds; a timeout gives `unknown`. */
  smtTimeoutMs?: number;
  variant?: string;
  file?: string;
  /** Called after each length with the cumulative seconds. */
  onDepth?: (depth: number, seconds: number) => void;
  /** Most states the completeness check may search (default BMC_COMPLETE_STATES). */
  completeStates?: number;
}

/** States the explicit search behind a BMC completeness check may store before giving up. */
export const BMC_COMPLETE_STATES = 250_000;

/**
 * Whether BMC to `depth` steps covered every reachable state and step: an exhaustive explicit
 * search (of at most `maxStates` states) that passes and reaches every state within fewer than
 * `depth` steps (so every step out of a reachable state is within `depth` too). The note says
 * why, or why not.
 */
export function bmcComplete(model: Model, depth: number, maxStates = BMC_COMPLETE_STATES): { complete: boolean; note: string } {
  const ex = runCheck(model, { maxStates, minimise: false });
  const d = ex.stats.depth;
  if (ex.verdict === 'pass' && d < depth) {
    return { complete: true, note: `complete: every reachable state is within ${d} steps (an exhaustive search of ${ex.stats.states} states), fewer than ${depth}` };
  }
  if (ex.verdict === 'pass') return { complete: false, note: `not a pass: reachable states lie up to ${d} steps deep; give --depth ${d + 1} or more, or use --engine explicit` };
  if (ex.verdict === 'violation') return { complete: false, note: `not a pass: a longer search finds a violation at ${ex.trace?.steps.length ?? d} steps; use --engine explicit` };
  return { complete: false, note: `not a pass: whether ${depth} steps reach every state is unknown (the search stopped at ${maxStates} states); use --engine explicit` };
}

/** Result fields every symbolic run shares. */
export function baseResult(model: Model, engine: Result['engine'], opts: { variant?: string; file?: string }): Pick<Result, 'version' | 'model' | 'engine'> {
  return {
    version: RESULT_VERSION,
    model: { name: model.name, ...(opts.variant ? { variant: opts.variant } : {}), ...(opts.file ? { file: opts.file } : {}) },
    engine,
  };
}

/**
 * Bounded model checking up to `depth` steps. A violation has a shortest trace (the same
 * length as the explicit engine's). No violation is `pass` only when `bmcComplete` shows the
 * depth reaches every reachable state; otherwise it is `bounded` (no violation within `depth`).
 */
export async function runBmc(model: Model, opts: BmcRunOptions): Promise<Result> {
  const raw = await lostIsUnknown(() => bmc(model, { depth: opts.depth, smtTimeoutMs: opts.smtTimeoutMs, onDepth: opts.onDepth }),
    (reason): BmcRaw => ({ verdict: 'unknown', reason, depth: -1, perDepth: [], queries: 0, seconds: 0, coverDepth: [] }));
  const all = instancesOf(model);
  const covers = model.properties.filter((p) => p.kind === 'cover');
  const result: Result = {
    ...baseResult(model, 'bmc', opts),
    verdict: raw.verdict,
    ...(raw.reason ? { reason: raw.reason } : {}),
    bounds: { ...model.bounds, depth: opts.depth, ...(opts.smtTimeoutMs ? { smtTimeoutMs: opts.smtTimeoutMs } : {}) },
    stats: { states: 0, transitions: 0, depth: Math.max(raw.depth, 0), seconds: round3(raw.seconds), statesPerSecond: 0 },
    smt: {
      queries: raw.queries,
      perDepth: raw.perDepth.map((d) => ({ depth: d.depth, seconds: round3(d.seconds) })),
      ...(opts.smtTimeoutMs ? { timeoutMs: opts.smtTimeoutMs } : {}),
    },
  };
  if (raw.verdict === 'pass') {
    const open = covers.filter((_, i) => raw.coverDepth[i] === undefined).map((c) => c.id);
    // A pass only when the depth provably covers every reachable state; otherwise `bounded` (exit 2).
    const done = bmcComplete(model, opts.depth, opts.completeStates);
    if (!done.complete) result.verdict = 'bounded';
    result.note = `no violation within ${opts.depth} steps; ${done.note}` +
      (open.length ? `; not witnessed within ${opts.depth} steps: ${open.join(', ')}` : '');
  }
  if (raw.verdict === 'unknown') {
    result.note = raw.depth >= 0
      ? `no violation within ${raw.depth} steps; Z3 gave up at length ${raw.depth + 1}`
      : 'Z3 gave up at length 0: nothing was checked';
  }
  if (raw.verdict === 'violation') {
    // Z3's trace is shortest; minimise it like the explicit engine's (fewest threads, then switches).
    // The Z3 path is replayed first, so a wrong model from Z3 is caught before anything else.
    replayedTrace(model, raw.path!, raw.violation!, all);
    const m = minimiseViolation(model, compileModel(model), raw.path!, raw.violation!, {}, all);
    result.minimisation = m.info;
    const path = m.path;
    result.property = withBoundsDetail(propertyRef(model, m.violation, path.length ? all[path[path.length - 1]] : undefined), model, path, all);
    result.trace = replayedTrace(model, path, m.violation, all);
  }
  return result;
}

export interface InductionRunOptions {
  /** Largest k tried. */
  maxK: number;
  smtTimeoutMs?: number;
  variant?: string;
  file?: string;
  /** State limit of the explicit search that decides whether a CTI's state is reachable. */
  ctiMaxStates?: number;
}

const CTI_MAX_STATES = 1_000_000;

/**
 * k-induction, k = 0..maxK: `proved` with the k used (every reachable state is safe, for all
 * depths), `violation` when the base case finds one (a shortest trace), or `unknown` with the
 * last counterexample to induction and whether the explicit engine reaches its state.
 */
export async function runInduction(model: Model, opts: InductionRunOptions): Promise<Result> {
  const raw = await lostIsUnknown(() => induction(model, { maxK: opts.maxK, smtTimeoutMs: opts.smtTimeoutMs }), lostInduction);
  return inductionResult(model, raw, 'induction', opts);
}

function inductionResult(model: Model, raw: InductionRaw, engine: Result['engine'], opts: InductionRunOptions): Result {
  const all = instancesOf(model);
  const covers = model.properties.filter((p) => p.kind === 'cover');
  const open = covers.filter((_, i) => raw.coverDepth[i] === undefined).map((c) => c.id);
  let verdict: Result['verdict'] = raw.verdict;
  let reason = raw.reason;
  if (verdict === 'proved' && open.length && raw.baseDepth >= 0) {
    // Safety is proved, but a cover never witnessed may mean the model is vacuous there.
    verdict = 'unknown';
    reason = `safety proved with k=${raw.k}, but not witnessed within ${raw.baseDepth} steps: ${open.join(', ')}`;
  }
  const result: Result = {
    ...baseResult(model, engine, opts),
    verdict,
    ...(reason ? { reason } : {}),
    bounds: { ...model.bounds, maxK: opts.maxK, ...(opts.smtTimeoutMs ? { smtTimeoutMs: opts.smtTimeoutMs } : {}) },
    stats: { states: 0, transitions: 0, depth: Math.max(raw.baseDepth, raw.k ?? 0), seconds: round3(raw.seconds), statesPerSecond: 0 },
    smt: { queries: raw.queries, ...(opts.smtTimeoutMs ? { timeoutMs: opts.smtTimeoutMs } : {}) },
  };
  if (raw.verdict === 'proved') {
    result.k = raw.k;
    result.note = `proved for every depth by ${raw.k}-induction`;
  }
  if (raw.verdict === 'violation') {
    const path = raw.path!;
    result.property = withBoundsDetail(propertyRef(model, raw.violation!, path.length ? all[path[path.length - 1]] : undefined), model, path, all);
    result.trace = replayedTrace(model, path, raw.violation!, all);
  }
  if (raw.verdict === 'unknown' && raw.cti) {
    result.inductionCounterexample = renderCti(model, raw.cti, opts.ctiMaxStates ?? CTI_MAX_STATES, all);
  }
  return result;
}

/**
 * A Z3 worker that dies mid-run (Z3's WASM build has been seen to crash with "memory access out
 * of bounds" after long use) is replaced by a fresh one and the run retried once; a second loss,
 * or a watchdog kill after a timeout, ends the run as `unknown`, never as a pass.
 */
export async function lostIsUnknown<T>(run: () => Promise<T>, unknown: (reason: string) => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) await shutdownZ3();
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof Z3Lost)) throw err;
      // Retry a crash only; a watchdog kill after a timeout would just time out again.
      if (attempt >= 2 || !/failed|exited/.test(err.message)) return unknown(`Z3 stopped: ${err.message}`);
      if (process.env.PROTOCHECK_DEBUG) console.error(`Z3 lost (${err.message}); retrying in a fresh worker`);
    }
  }
}

function lostInduction(reason: string): InductionRaw {
  return { verdict: 'unknown', reason, queries: 0, seconds: 0, baseDepth: -1, coverDepth: [] };
}

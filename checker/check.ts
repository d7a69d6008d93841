/**
 * Run a check and build the one result shape: search, then replay any counterexample on the
 * interpreter before it is reported. A replay failure is an internal error, never a verdict.
 */
import type { Model } from '../model/lang/ir.ts';
import { cardinality, cellCount, sortName } from '../model/lang/ir.ts';
import { checkExplicit, type ExplicitOptions, type RawResult, type RawViolation } from './explicit.ts';
import { compileModel } from './compile.ts';
import { instancesOf } from './interpreter.ts';
import { replayPath, renderTrace, withBoundsDetail } from './replay.ts';
import { minimiseViolation, type MinimiseOptions } from './minimise.ts';
import { propertyRef } from './property-ref.ts';
import { RESULT_VERSION, type PropertyRef, type Result } from './result.ts';

export interface CheckOptions extends ExplicitOptions {
  variant?: string;
  file?: string;
  /** Pick the shortest trace with the fewest threads, then switches (default true; false keeps the engine's first). */
  minimise?: boolean | MinimiseOptions;
}

/** Raised when the engine and the interpreter disagree: a bug in protocheck, reported loudly. */
export class InternalError extends Error {}

/** Bounds too large to explore (exit 69): too many action instances, values or state words. */
export class TooLargeError extends Error {}

/** Most action instances (actions times their parameter tuples) a model may have. */
export const MAX_INSTANCES = 200_000;
/** Most values one state variable's sort may have in the explicit engine (a cell packs into 31 bits). */
export const MAX_SORT_VALUES = 2 ** 31;
/** Most 32-bit words a packed state may have. */
export const MAX_STATE_WORDS = 1 << 16;

/**
 * Refuse action instances past MAX_INSTANCES by counting them (a product of parameter sort
 * sizes), never by enumerating them: two parameters of 10^5 values each are 10^10 tuples.
 */
export function checkInstanceCount(model: Model): void {
  let total = 0;
  let largest: { name: string; n: number; sizes: string } | undefined;
  for (const a of model.actions) {
    let n = 1;
    for (const p of a.params) n *= p.values?.length ?? cardinality(p.sort);
    total += n;
    if (!largest || n > largest.n) largest = { name: a.name, n, sizes: a.params.map((p) => `${p.name}: ${p.values?.length ?? cardinality(p.sort)}`).join(' × ') };
  }
  if (total > MAX_INSTANCES && largest) {
    throw new TooLargeError(`${total} action instances (the limit is ${MAX_INSTANCES}; action ${largest.name} has ${largest.n}${largest.sizes ? `: ${largest.sizes}` : ''}); lower the bounds or give the action parameters smaller sorts`);
  }
}

/**
 * Refuse, before anything is enumerated or packed, a model the explicit engine cannot hold: too
 * many action instances, a variable with more than 2^31 values, or states past 65536 words.
 */
export function checkExplicitSize(model: Model): void {
  let bits = 0;
  for (const v of model.vars) {
    const card = cardinality(v.sort);
    if (card > MAX_SORT_VALUES) {
      throw new TooLargeError(`variable ${v.name}: ${sortName(v.sort)} has ${card} values; the explicit engine stores at most 2^31 per variable; lower the bounds`);
    }
    bits += (card <= 1 ? 0 : Math.ceil(Math.log2(card))) * cellCount(v);
  }
  // Packing never shares a value across words, so a state takes at least bits/32 words.
  if (Math.ceil(bits / 32) > MAX_STATE_WORDS) throw new TooLargeError(`at least ${Math.ceil(bits / 32)} words per state (the limit is ${MAX_STATE_WORDS}); lower the bounds`);
  checkInstanceCount(model);
}

/** Check a model with the explicit engine. Example: `const r = runCheck(mmDef.build('fixed', { senders: 2 }))`. */
export function runCheck(model: Model, opts: CheckOptions = {}): Result {
  checkExplicitSize(model);
  const all = instancesOf(model);
  const compiled = compileModel(model);
  if (compiled.layout.words > MAX_STATE_WORDS) throw new TooLargeError(`${compiled.layout.words} words per state (the limit is ${MAX_STATE_WORDS}); lower the bounds`);
  const raw = checkExplicit(model, opts, compiled);
  const result: Result = {
    version: RESULT_VERSION,
    model: { name: model.name, ...(opts.variant ? { variant: opts.variant } : {}), ...(opts.file ? { file: opts.file } : {}) },
    engine: 'explicit',
    verdict: raw.verdict,
    ...(raw.reason ? { reason: raw.reason } : {}),
    bounds: { ...model.bounds, ...(opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {}), ...(opts.maxSeconds !== undefined ? { maxSeconds: opts.maxSeconds } : {}) },
    stats: {
      states: raw.states, transitions: raw.transitions, depth: raw.depth, seconds: round(raw.seconds),
      statesPerSecond: raw.seconds > 0 ? Math.round(raw.states / raw.seconds) : raw.states,
      bytesPerState: raw.bytesPerState,
      bytesAllocated: raw.bytesAllocated,
      ...(raw.symmetry ? { symmetry: raw.symmetry } : {}),
      ...(raw.workers !== undefined && raw.workers > 1 ? { workers: raw.workers } : {}),
    },
    ...(raw.verdict === 'pass' && raw.unreachedActions.length ? { unreachedActions: raw.unreachedActions } : {}),
    ...(raw.fingerprint ? { fingerprint: raw.fingerprint } : {}),
  };
  if (raw.verdict === 'violation' && raw.path && raw.violation && opts.minimise !== false) {
    // Same length, same property; every candidate is replayed inside minimiseViolation.
    let m;
    try {
      m = minimiseViolation(model, compiled, raw.path, raw.violation, typeof opts.minimise === 'object' ? opts.minimise : {}, all);
    } catch (err) {
      throw new InternalError(`minimised counterexample failed: ${(err as Error).message}`);
    }
    raw.path = m.path;
    raw.violation = m.violation;
    result.minimisation = m.info;
  }
  if (raw.verdict === 'violation') {
    result.property = withBoundsDetail(propertyOf(model, raw, all), model, raw.path ?? [], all);
    if (raw.path) {
      let states;
      try {
        states = replayPath(model, raw.path, raw.violation, all);
      } catch (err) {
        throw new InternalError(`counterexample failed replay on the interpreter: ${(err as Error).message}`);
      }
      result.trace = renderTrace(model, raw.path, states, all);
    }
  }
  return result;
}

function propertyOf(model: Model, raw: RawResult, all = instancesOf(model)): PropertyRef {
  const last = raw.path?.length ? all[raw.path[raw.path.length - 1]] : undefined;
  return propertyRef(model, raw.violation as RawViolation, last);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

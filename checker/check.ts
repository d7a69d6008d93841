/**
 * Run a check and build the one result shape: search, then replay any counterexample on the
 * interpreter before it is reported. A replay failure is an internal error, never a verdict.
 */
import type { Model } from '../model/lang/ir.ts';
import { checkExplicit, type ExplicitOptions, type RawResult, type RawViolation } from './explicit.ts';
import { compileModel } from './compile.ts';
import { instancesOf } from './interpreter.ts';
import { replayPath, renderTrace } from './replay.ts';
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

export class TooLargeError extends Error {}

/** Check a model with the explicit engine. Example: `const r = runCheck(mmModel({ threads: 2 }))`. */
export function runCheck(model: Model, opts: CheckOptions = {}): Result {
  const all = instancesOf(model);
  if (all.length > 200_000) throw new TooLargeError(`${all.length} action instances (the limit is 200000); lower the bounds or give the action parameters smaller sorts`);
  const compiled = compileModel(model);
  if (compiled.layout.words > 1 << 16) throw new TooLargeError(`${compiled.layout.words} words per state (the limit is 65536); lower the bounds`);
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
    },
    ...(raw.verdict === 'pass' && raw.unreachedActions.length ? { unreachedActions: raw.unreachedActions } : {}),
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
    result.property = propertyOf(model, raw, all);
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

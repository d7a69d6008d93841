/**
 * Turning the symbolic engines' raw findings into the one Result shape: the property named,
 * the path replayed on the interpreter (a replay failure is an InternalError, never a verdict).
 */
import type { Model } from '../../model/lang/ir.ts';
import { instancesOf, type Instance } from '../interpreter.ts';
import type { RawViolation } from '../explicit.ts';
import { InternalError } from '../check.ts';
import { replayPath, renderTrace } from '../replay.ts';
import type { Trace } from '../result.ts';

export { propertyRef } from '../property-ref.ts';

/** Replay a path found by Z3 and render it; throws InternalError if the interpreter disagrees. */
export function replayedTrace(model: Model, path: number[], claim: RawViolation, all: Instance[] = instancesOf(model)): Trace {
  let states;
  try {
    states = replayPath(model, path, claim, all);
  } catch (err) {
    throw new InternalError(`Z3 counterexample failed replay on the interpreter: ${(err as Error).message}`);
  }
  return renderTrace(model, path, states, all);
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

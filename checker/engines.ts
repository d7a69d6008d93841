/**
 * One entry point for every engine, used by `check`, `ci` and `npm start`, so an engine added
 * here is available everywhere at once.
 *
 * @example
 * const r = await runEngine(model, 'explicit', { maxStates: 1e6 });
 */
import type { Model } from '../model/lang/ir.ts';
import { checkInstanceCount, runCheck, type CheckOptions } from './check.ts';
import type { Result } from './result.ts';
import { runSymbolic } from './symbolic/engine.ts';
import { runAnyMembers } from './symbolic/any-threads.ts';

export type EngineName = 'explicit' | 'bmc' | 'induction' | 'pdr' | 'auto';
export const ENGINES: EngineName[] = ['explicit', 'bmc', 'induction', 'pdr', 'auto'];

export interface EngineOptions extends CheckOptions {
  /** BMC / induction depth bound. */
  depth?: number;
  /** Per-query Z3 timeout in milliseconds. */
  smtTimeoutMs?: number;
  /**
   * `pdr` only: prove for any number of the model's interchangeable threads (`--bound NAME=any`):
   * the bound's name and the model built with one member more (symbolic/any-threads.ts).
   */
  anyMembers?: { bound: string; grown: Model; min?: number; smaller?: Model };
}

/** Run one engine on a built model; too many action instances is a TooLargeError for every engine. */
export async function runEngine(model: Model, engine: EngineName, opts: EngineOptions = {}): Promise<Result> {
  checkInstanceCount(model);
  switch (engine) {
    case 'explicit':
      return runCheck(model, opts);
    case 'pdr':
      if (opts.anyMembers) return runAnyMembers(model, { ...opts, boundName: opts.anyMembers.bound, grown: opts.anyMembers.grown, smaller: opts.anyMembers.smaller, minMembers: opts.anyMembers.min });
      return runSymbolic(model, engine, opts);
    default:
      return runSymbolic(model, engine, opts);
  }
}

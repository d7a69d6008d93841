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

export type EngineName = 'explicit' | 'bmc' | 'induction' | 'pdr' | 'auto';
export const ENGINES: EngineName[] = ['explicit', 'bmc', 'induction', 'pdr', 'auto'];

export interface EngineOptions extends CheckOptions {
  /** BMC / induction depth bound. */
  depth?: number;
  /** Per-query Z3 timeout in milliseconds. */
  smtTimeoutMs?: number;
}

/** Run one engine on a built model; too many action instances is a TooLargeError for every engine. */
export async function runEngine(model: Model, engine: EngineName, opts: EngineOptions = {}): Promise<Result> {
  checkInstanceCount(model);
  switch (engine) {
    case 'explicit':
      return runCheck(model, opts);
    default:
      return runSymbolic(model, engine, opts);
  }
}

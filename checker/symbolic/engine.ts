/**
 * The symbolic engines behind one call, for the CLI and `runEngine`: `bmc` (depth = longest
 * trace checked), `induction` (depth = largest k tried), `pdr` (explicit, then an inductive
 * invariant: Spacer, else one learned from the reached states) and `auto` (explicit, then pdr
 * within a fixed budget: runAutoPdr).
 *
 * @example
 * const r = await runSymbolic(model, 'bmc', { depth: 12, smtTimeoutMs: 30_000 });
 */
import type { Model } from '../../model/lang/ir.ts';
import type { CheckOptions } from '../check.ts';
import type { Result } from '../result.ts';
import { runBmc, runInduction } from './run.ts';
import { runAutoPdr, runPdr } from './pdr.ts';

export type SymbolicEngine = 'bmc' | 'induction' | 'pdr' | 'auto';

/**
 * Default `--depth`: BMC trace length; k for induction and auto. `auto` is `check`'s default, so
 * its induction attempt is kept short (a few seconds on the built-in models) and bounded by k,
 * not by time, so the same run always gives the same verdict; `--depth 20` or more proves more.
 * `pdr` and `auto` (explicit, then pdr within AUTO_PDR_MAX_STATES and AUTO_MAX_CLAUSES) take
 * no depth: their budget is Spacer's rlimit and the guided learner's clause limit, never time.
 */
export const DEFAULT_DEPTH: Record<SymbolicEngine, number> = { bmc: 10, induction: 20, pdr: 0, auto: 0 };

export interface SymbolicOptions extends CheckOptions {
  depth?: number;
  smtTimeoutMs?: number;
}

export function runSymbolic(model: Model, engine: SymbolicEngine, opts: SymbolicOptions = {}): Promise<Result> {
  const depth = opts.depth ?? DEFAULT_DEPTH[engine];
  const common = { smtTimeoutMs: opts.smtTimeoutMs, variant: opts.variant, file: opts.file };
  switch (engine) {
    case 'bmc': return runBmc(model, { ...common, depth });
    case 'induction': return runInduction(model, { ...common, maxK: depth });
    case 'pdr': return runPdr(model, opts);
    case 'auto': return runAutoPdr(model, opts);
  }
}


/**
 * The symbolic engines behind one call, for the CLI and `runEngine`: `bmc` (depth = longest
 * trace checked), `induction` and `auto` (explicit, then induction; depth = largest k tried), and
 * `pdr` (explicit, then an inductive invariant: Spacer, else one learned from the reached states).
 *
 * @example
 * const r = await runSymbolic(model, 'bmc', { depth: 12, smtTimeoutMs: 30_000 });
 */
import type { Model } from '../../model/lang/ir.ts';
import type { CheckOptions } from '../check.ts';
import type { Result } from '../result.ts';
import { runAuto, runBmc, runInduction } from './run.ts';
import { runPdr } from './pdr.ts';

export type SymbolicEngine = 'bmc' | 'induction' | 'pdr' | 'auto';

/**
 * Default `--depth`: BMC trace length; k for induction and auto. `auto` is `check`'s default, so
 * its induction attempt is kept short (a few seconds on the built-in models) and bounded by k,
 * not by time, so the same run always gives the same verdict; `--depth 20` or more proves more.
 * `pdr` takes no depth: its budget is Spacer's rlimit and the guided learner's clause limit,
 * never time. `auto` stays on induction until pdr's proofs are fast enough for a default (today
 * 12–42 s on the built-in models against induction's 1–11 s).
 */
export const DEFAULT_DEPTH: Record<SymbolicEngine, number> = { bmc: 10, induction: 20, pdr: 0, auto: 12 };

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
    case 'auto': return runAuto(model, { ...opts, maxK: depth });
  }
}


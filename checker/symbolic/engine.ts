/**
 * The symbolic engines behind one call, for the CLI and `runEngine`: `bmc` (depth = longest
 * trace checked), `induction` and `auto` (depth = largest k tried).
 *
 * @example
 * const r = await runSymbolic(model, 'bmc', { depth: 12, smtTimeoutMs: 30_000 });
 */
import { InvalidArgumentError } from 'commander';
import type { Model } from '../../model/lang/ir.ts';
import type { CheckOptions } from '../check.ts';
import type { Result } from '../result.ts';
import { runAuto, runBmc, runInduction } from './run.ts';

export type SymbolicEngine = 'bmc' | 'induction' | 'auto';

/**
 * Default `--depth`: BMC trace length; k for induction and auto. `auto` is `check`'s default, so
 * its induction attempt is kept short (a few seconds on the built-in models) and bounded by k,
 * not by time, so the same run always gives the same verdict; `--depth 20` or more proves more.
 */
export const DEFAULT_DEPTH: Record<SymbolicEngine, number> = { bmc: 10, induction: 20, auto: 12 };

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
    case 'auto': return runAuto(model, { ...opts, maxK: depth });
  }
}

/** Commander parser for `--engine`. */
export function engineOption(value: string): 'explicit' | SymbolicEngine {
  const all = ['explicit', 'bmc', 'induction', 'auto'] as const;
  if (!(all as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${all.join(', ')}, got '${value}'`);
  return value as 'explicit' | SymbolicEngine;
}

/** Commander parser for `--depth` (0 allowed: BMC of the initial state, 0-induction). */
export function depthOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 10_000) throw new InvalidArgumentError(`expected a whole number of steps (0..10000), got '${value}'`);
  return n;
}

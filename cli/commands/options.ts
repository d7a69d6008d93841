/**
 * Option values shared by the commands: numbers checked with a one-line error naming the flag,
 * a model's bounds from `--bound name=value`, and `--workers`.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ModelDef } from '../../model/lang/define.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';
import type { SymbolicEngine } from '../../checker/symbolic/engine.ts';

/** A commander parser for a positive integer. Example: `.option('--max-states <n>', '…', positiveInt)`. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** Commander parser for `--engine` (here, not in checker/: the engine worker never loads commander). */
export function engineOption(value: string): 'explicit' | SymbolicEngine {
  const all = ['explicit', 'bmc', 'induction', 'pdr', 'auto'] as const;
  if (!(all as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${all.join(', ')}, got '${value}'`);
  return value as 'explicit' | SymbolicEngine;
}

/** Commander parser for `--depth` (0 allowed: BMC of the initial state, 0-induction). */
export function depthOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 10_000) throw new InvalidArgumentError(`expected a whole number of steps (0..10000), got '${value}'`);
  return n;
}

/** A whole number, zero allowed (`--bound senders=0` is then refused with the model's range). */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  return n;
}

/** A positive number of seconds. */
export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number of seconds, got '${value}'`);
  return n;
}

/** `--bound NAME=any` (check --engine pdr, any number of threads: cli/commands/any-bound.ts), as a bound value. */
export const ANY_BOUND = Number.POSITIVE_INFINITY;

/** `name=value` pairs for `--bound`, collected (`name=any` as ANY_BOUND). */
export function boundPair(value: string, prev: Record<string, number> = {}): Record<string, number> {
  const m = /^([A-Za-z_][\w.-]*)=(-?\d+|any)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected name=integer (or name=any with check --engine pdr), got '${value}'`);
  return { ...prev, [m[1]]: m[2] === 'any' ? ANY_BOUND : Number(m[2]) };
}

/**
 * The model's default bounds overridden by `--bound` (or a ci check's `bounds`), each checked
 * against its range; errors name the flag, or what `label` calls the bound.
 */
export function resolveBounds(
  def: ModelDef, given: Record<string, number> = {},
  label: (name: string) => string = (k) => `--bound ${k}`,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of def.bounds) out[b.name] = b.default;
  for (const [k, v] of Object.entries(given)) {
    if (v === ANY_BOUND) throw new CliError(`${label(k)}=any: only check --engine pdr proves for any number (of a model's interchangeable threads)`, EXIT.badOption);
    if (!Number.isInteger(v)) throw new CliError(`${label(k)}: ${v} is not a whole number`, EXIT.badOption);
    const b = def.bounds.find((x) => x.name === k);
    if (!b) {
      const has = def.bounds.map((x) => x.name).join(', ') || 'none';
      throw new CliError(`${label(k)}: model ${def.name} has no bound '${k}' (its bounds: ${has})${renamedHint(def, k)}`, EXIT.badOption);
    }
    if (v < b.min || v > b.max) {
      throw new CliError(`${label(k)}: ${v} is outside ${b.min}..${b.max} for model ${def.name} (${b.doc})`, EXIT.badOption);
    }
    out[k] = v;
  }
  return out;
}

/** Bounds renamed since a release: old name -> new name, per model. */
const RENAMED: Record<string, Record<string, string>> = { mm: { threads: 'senders' } };

/**
 * A bound's value recorded under its name or an old name (an ITF trace's #meta written before a
 * rename), or undefined. Example: `recordedBound(mmDef, { threads: 3 }, 'senders')` is 3.
 */
export function recordedBound(def: ModelDef, recorded: Record<string, unknown> | undefined, name: string): unknown {
  if (!recorded) return undefined;
  if (recorded[name] !== undefined) return recorded[name];
  const old = Object.entries(RENAMED[def.name] ?? {}).find(([, now]) => now === name)?.[0];
  return old === undefined ? undefined : recorded[old];
}

/** `; it is now 'senders'` when `name` is an old name of one of the model's bounds. */
function renamedHint(def: ModelDef, name: string): string {
  const now = RENAMED[def.name]?.[name];
  return now && def.bounds.some((b) => b.name === now) ? `; '${name}' was renamed '${now}'` : '';
}

/** The flags that pick one variant of a model and its bounds. */
export interface VariantFlags {
  variant?: string;
  bound?: Record<string, number>;
}

/**
 * The removed `--threads` flag: kept hidden so that it says what replaced it (a model's bound is
 * `--bound NAME=N`; `--workers` counts search threads) instead of suggesting a similar flag.
 */
export function removedThreadsOption(): Option {
  return new Option('--threads <n>').hideHelp().argParser((value: string) => {
    throw new CliError(`--threads was removed: set a model's bound with --bound NAME=${value} (mm's sender threads: --bound senders=${value}); --workers N sets the search threads`, EXIT.usage);
  });
}

/** Add `--variant` and `--bound` to a command. Example: `variantOptions(program.command('check'))`. */
export function variantOptions(cmd: Command): Command {
  return cmd
    .option('--variant <name>', 'the variant (default: the first)')
    .option('--bound <name=value>', 'set any bound of the model (repeatable)', boundPair)
    .addOption(removedThreadsOption());
}

/** The variant and bounds the flags pick (default: the first variant, default bounds). */
export function pickVariant(def: ModelDef, flags: VariantFlags): { variant: string; bounds: Record<string, number> } {
  return { variant: flags.variant ?? def.variants[0].name, bounds: resolveBounds(def, flags.bound) };
}

/** Most search threads `--workers` would default to (the machine's cores, at most this). */
export const MAX_DEFAULT_WORKERS = 8;

/**
 * Whether `--workers` defaults to the machine's cores. On: a search starts on one thread and
 * boots helpers only once it has run a while, handing over when it is still growing
 * (checker/parallel/handover.ts), so a small search costs nothing extra and a large one gains
 * (README, Performance).
 */
export const WORKERS_DEFAULT_TO_CORES = true;

/** The default of `--workers`: 1, or the machine's cores (at most MAX_DEFAULT_WORKERS). */
export function defaultWorkers(): number {
  return WORKERS_DEFAULT_TO_CORES ? Math.max(1, Math.min(MAX_DEFAULT_WORKERS, availableParallelism())) : 1;
}

/** A commander parser for `--workers`: 1..64 search threads. */
export function workersCount(value: string): number {
  const n = positiveInt(value);
  if (n > 64) throw new InvalidArgumentError(`expected 1..64 search threads, got ${n}`);
  return n;
}

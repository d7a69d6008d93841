/**
 * Option values shared by the commands: numbers checked with a one-line error naming the flag,
 * and a model's bounds from `--threads N` and `--bound name=value`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { ModelDef } from '../../model/lang/define.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';

/** A commander parser for a positive integer. Example: `.option('--max-states <n>', '…', positiveInt)`. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** A whole number, zero allowed (`--threads 0` is then refused with the model's range). */
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

/** `name=value` pairs for `--bound`, collected. */
export function boundPair(value: string, prev: Record<string, number> = {}): Record<string, number> {
  const m = /^([A-Za-z_][\w.-]*)=(-?\d+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected name=integer, got '${value}'`);
  return { ...prev, [m[1]]: Number(m[2]) };
}

/**
 * The model's default bounds overridden by `--threads` and `--bound` (or a ci check's `bounds`),
 * each checked against its range; errors name the flag, or what `label` calls the bound.
 */
export function resolveBounds(
  def: ModelDef, threads: number | undefined, given: Record<string, number> = {},
  label: (name: string) => string = (k) => `--bound ${k}`,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of def.bounds) out[b.name] = b.default;
  const all = { ...given, ...(threads !== undefined ? { threads } : {}) };
  for (const [k, v] of Object.entries(all)) {
    if (!Number.isInteger(v)) throw new CliError(`${label(k)}: ${v} is not a whole number`, EXIT.badOption);
    const flag = k === 'threads' && threads !== undefined ? '--threads' : label(k);
    const b = def.bounds.find((x) => x.name === k);
    if (!b) {
      const has = def.bounds.map((x) => x.name).join(', ') || 'none';
      throw new CliError(`${flag}: model ${def.name} has no bound '${k}' (its bounds: ${has})`, EXIT.badOption);
    }
    if (v < b.min || v > b.max) {
      throw new CliError(`${flag} ${v} is outside ${b.min}..${b.max} for model ${def.name} (${b.doc})`, EXIT.badOption);
    }
    out[k] = v;
  }
  return out;
}

/** The flags that pick one variant of a model and its bounds. */
export interface VariantFlags {
  variant?: string;
  threads?: number;
  bound?: Record<string, number>;
}

/** Add `--variant`, `--threads` and `--bound` to a command. Example: `variantOptions(program.command('check'))`. */
export function variantOptions(cmd: Command): Command {
  return cmd
    .option('--variant <name>', 'the variant (default: the first)')
    .option('--threads <n>', 'the model\'s `threads` bound', wholeNumber)
    .option('--bound <name=value>', 'set any bound of the model (repeatable)', boundPair);
}

/** The variant and bounds the flags pick (default: the first variant, default bounds). */
export function pickVariant(def: ModelDef, flags: VariantFlags): { variant: string; bounds: Record<string, number> } {
  return { variant: flags.variant ?? def.variants[0].name, bounds: resolveBounds(def, flags.threads, flags.bound) };
}

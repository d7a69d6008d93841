/**
 * The CI configuration: a list of checks (model, variant, bounds, engine, expectation),
 * from `protocheck.config.json` or a `protocheck.config.ts` whose default export is the same
 * object. Validated against schema/config.schema.json; an error names the JSON path at fault.
 *
 * @example
 * // protocheck.config.json
 * { "checks": [ { "model": "mm", "variant": "fixed", "bounds": { "senders": 3 }, "expect": "pass" },
 *               { "model": "./models/mine.ts", "expect": "violation:mm.leak" } ] }
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';
import type { PropertyClass } from '../../properties/classes.ts';
import { ensureModelLoader } from '../load-hooks.ts';

/** `pdr` proves with an inductive invariant, so `expect: proved` can be met by it (or `induction`/`auto`). */
export type Engine = 'explicit' | 'bmc' | 'induction' | 'pdr' | 'auto';
/** `proved:any`: proved for any number of the model's interchangeable threads (engine pdr, cli/ci/any.ts). */
export type Expectation = 'pass' | 'proved' | 'proved:any' | `violation:${string}`;

export interface CheckOptions {
  engine?: Engine;
  maxStates?: number;
  maxSeconds?: number;
  depth?: number;
}

export interface CheckSpec extends CheckOptions {
  name?: string;
  model: string;
  variant?: string;
  bounds?: Record<string, number>;
  expect: Expectation;
  /** Check only the properties of these classes. */
  classes?: PropertyClass[];
  /** false: without the generated `mem::forget` calls. */
  forget?: false;
}

export interface CiConfig {
  defaults?: CheckOptions;
  checks: CheckSpec[];
}

/** A check with its defaults applied and its name settled. */
export interface ResolvedCheck extends CheckSpec {
  name: string;
  engine: Engine;
  /** Directory that relative model paths are resolved against. */
  baseDir: string;
  /** Set by the runner for `expect: proved:any` (cli/ci/any.ts): passed to the engine. */
  anyMembers?: import('./any.ts').AnyMembers;
}

export class ConfigError extends Error {}

const schemaPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../schema/config.schema.json');
let validator: ReturnType<Ajv['compile']> | undefined;

/** Validate a parsed configuration; throws ConfigError naming the first JSON path at fault. */
export function validateConfig(data: unknown, source = 'config'): CiConfig {
  // ajv (about 90 modules) is loaded on first use, not when the CLI starts.
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv };
  validator ??= new AjvClass({ allErrors: false, strict: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  if (!validator(data)) {
    const e = validator.errors![0];
    const at = e.instancePath ? e.instancePath.replace(/^\//, '').replace(/\//g, '.') : '(top level)';
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    throw new ConfigError(`${source}: ${at}: ${e.message}${extra}`);
  }
  return data as CiConfig;
}

/** The default config file in a directory, if any. */
export function findConfig(dir: string): string | undefined {
  for (const name of ['protocheck.config.ts', 'protocheck.config.json']) {
    const p = resolve(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Load and validate a config file (.json, or .ts with a default export). */
export async function loadConfig(file: string): Promise<CiConfig> {
  if (!existsSync(file)) throw new ConfigError(`config file not found: ${file}`);
  let data: unknown;
  if (file.endsWith('.json')) {
    try { data = JSON.parse(readFileSync(file, 'utf8')); } catch (err) {
      throw new ConfigError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
  } else {
    ensureModelLoader(); // a .ts config loads through the model hooks, as a model file does
    try { data = (await import(pathToFileURL(resolve(file)).href)).default; } catch (err) {
      throw new ConfigError(`${file}: could not load (${(err as Error).message.split('\n')[0]})`);
    }
  }
  return validateConfig(data, file);
}

/** Apply defaults and name each check `model/variant` plus its bounds. */
/** ` [unsound,warn; no mem::forget]` for a check restricted to classes and/or without mem::forget. */
export function checkLabel(c: { classes?: readonly string[]; forget?: false }): string {
  const parts = [...(c.classes ? [c.classes.join(',')] : []), ...(c.forget === false ? ['no mem::forget'] : [])];
  return parts.length ? ` [${parts.join('; ')}]` : '';
}

export function resolveChecks(cfg: CiConfig, baseDir: string): ResolvedCheck[] {
  const seen = new Map<string, number>();
  return cfg.checks.map((c) => {
    const merged = { ...cfg.defaults, ...c };
    const boundsText = c.bounds ? Object.entries(c.bounds).map(([k, v]) => `${k}=${v}`).join(',') : '';
    let name = c.name ?? [c.model + (c.variant ? `/${c.variant}` : ''), boundsText].filter(Boolean).join(' ') + checkLabel(c);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) name = `${name} #${n}`;
    return { ...merged, name, engine: merged.engine ?? 'explicit', baseDir };
  });
}

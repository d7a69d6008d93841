/**
 * Find a model: a built-in name (`mm`) or a path to a model file (`./models/mine.ts`). A file is
 * type-checked with the TypeScript compiler (cli/load-typecheck.ts, cached), then imported through
 * the model hooks (cli/load-hooks.ts); its default export (or `model` export) is a `defineModel(...)` definition or a built
 * `Model`. Every failure is a CliError with its own exit code: not found, does not compile,
 * throws while building.
 *
 * @example
 * const def = await loadModelDef('mm');            // built-in
 * const mine = await loadModelDef('./lock.ts');    // a user's file
 * const model = buildVariant(mine, 'fixed', { threads: 3 });
 */
import { existsSync, statSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { builtinModels, findBuiltin } from '../model/registry.ts';
import { isModelDef, singleModel, type ModelDef } from '../model/lang/define.ts';
import type { Model } from '../model/lang/ir.ts';
import { EXIT } from '../checker/result.ts';
import { CliError, firstLine } from './errors.ts';
import { ensureModelLoader } from './load-hooks.ts';
import { typecheckModelFile } from './load-typecheck.ts';

/** Whether a model spec names a file rather than a built-in model. */
export function isPathSpec(spec: string): boolean {
  return /[\\/]/.test(spec) || /\.(m?ts|m?js)$/.test(spec);
}

export interface LoadOptions {
  /** Type-check a model file before loading it (default true). */
  typecheck?: boolean;
}

export async function loadModelDef(spec: string, baseDir = process.cwd(), opts: LoadOptions = {}): Promise<ModelDef> {
  if (!isPathSpec(spec)) {
    const def = findBuiltin(spec);
    if (def) return def;
    throw new CliError(`unknown model '${spec}'; built-in models: ${builtinModels.map((m) => m.name).join(', ')} (or give a path to a .ts model file)`, EXIT.modelNotFound);
  }
  const file = resolve(baseDir, spec);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new CliError(`model file not found: ${spec} (looked at ${file})`, EXIT.modelNotFound);
  }
  if (opts.typecheck !== false && /\.m?ts$/.test(file)) await typecheckModelFile(file);
  let mod: Record<string, unknown>;
  try {
    ensureModelLoader();
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    // A syntax error found by the loader is a compile error; anything thrown while the module ran is a build error.
    const full = String((err as Error)?.message ?? err);
    const msg = full.split('\n').find((l) => /ERROR:/.test(l))?.trim() ?? firstLine(err);
    if (/Transform failed|SyntaxError|Expected|Unexpected/.test(`${(err as Error).name} ${msg}`)) {
      throw new CliError(`${spec}: does not compile: ${msg}`, EXIT.modelCompile);
    }
    throw new CliError(`${spec}: threw while loading: ${msg}${where(err, file)}`, EXIT.modelBuild);
  }
  const exported = mod.default ?? mod.model;
  if (isModelDef(exported)) return exported;
  if (isModel(exported)) return singleModel(exported);
  throw new CliError(`${spec}: exports no model; end the file with 'export default defineModel({...})' or 'export default m.build()'`, EXIT.modelBuild);
}

function isModel(x: unknown): x is Model {
  return typeof x === 'object' && x !== null && 'irVersion' in x && 'actions' in x;
}

/** Build one variant; an exception is a build error naming the variant and where it was thrown. */
export function buildVariant(def: ModelDef, variant: string, bounds: Record<string, number>): Model {
  if (!def.variants.some((v) => v.name === variant)) {
    throw new CliError(`model ${def.name} has no variant '${variant}' (it has: ${def.variants.map((v) => v.name).join(', ')})`, EXIT.badOption);
  }
  try {
    return def.build(variant, bounds);
  } catch (err) {
    throw new CliError(`model ${def.name}: building variant '${variant}' failed: ${firstLine(err)}${where(err)}`, EXIT.modelBuild);
  }
}

// The package root (above dist/ in the compiled CLI, whose stack frames name the .ts sources).
const ownDir = resolve(dirname(fileURLToPath(import.meta.url)), '..').replace(/\/dist$/, '');
/** protocheck's library folders (the built-in models in model/*.ts are not among them). */
const LIBRARY = ['model/lang/', 'model/primitives/', 'model/api/', 'model/lemmas/', 'properties/', 'checker/', 'counterexamples/', 'cli/'];

/** ` (at file:line)`: the first stack frame in the user's model code, if any. */
function where(err: unknown, prefer?: string): string {
  const stack = (err as Error)?.stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    let f = m[1].replace(/\?.*$/, '');
    if (f.startsWith('file://')) f = fileURLToPath(f);
    if (f.startsWith('node:') || f.includes('/node_modules/')) continue;
    // protocheck's own library code is never where the user's mistake is: name their line.
    if (!prefer && LIBRARY.some((d) => f.startsWith(`${ownDir}/${d}`))) continue;
    if (prefer && f !== prefer) continue;
    return ` (at ${f}:${m[2]})`;
  }
  return '';
}

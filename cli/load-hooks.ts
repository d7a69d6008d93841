/**
 * The loader for model and config files. The protocheck command (bin/protocheck.js) names its
 * hooks (bin/esm-models.mjs) and what they need with `setModelLoader`; they are registered only
 * when a file is first imported (`ensureModelLoader`), so checking a built-in model starts no
 * hooks thread. The `--max-seconds` probe worker registers the same hooks (`modelLoader`).
 * In-process use (tests, the library) sets nothing, and imports go to whatever loader runs.
 *
 * @example
 * setModelLoader({ hooks: new URL('./esm-models.mjs', import.meta.url).href, data: { self: {}, cacheDir } });
 * await ensureModelLoader();
 * const mod = await import(pathToFileURL('/tmp/mine.ts').href);
 */
import { register } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The hooks module and its `initialize` data: where `protocheck` resolves to, the cache directory. */
export interface ModelLoader {
  hooks: string;
  data: { self: Record<string, string>; cacheDir?: string };
}

let loader: ModelLoader | undefined;
let registered = false;

/** Name the hooks that model files load through (the CLI's entry point does). */
export function setModelLoader(l: ModelLoader): void {
  loader = l;
}

/** The hooks set by the CLI, if any (the probe worker registers them itself). */
export function modelLoader(): ModelLoader | undefined {
  return loader;
}

/** Register the model hooks on this thread, once; a no-op when none were set. */
export function ensureModelLoader(): void {
  if (!loader || registered) return;
  register(loader.hooks, { data: loader.data });
  registered = true;
}

/**
 * Where protocheck caches type-check results and stripped model files: `$PROTOCHECK_CACHE`,
 * else `$XDG_CACHE_HOME/protocheck`, else `~/.cache/protocheck` (never the model's own folder).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROTOCHECK_CACHE) return env.PROTOCHECK_CACHE;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  return join(base, 'protocheck');
}

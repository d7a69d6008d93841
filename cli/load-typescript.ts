/**
 * Load the TypeScript compiler fast: its one 9 MB CommonJS file is compiled by V8 with a code
 * cache kept in `cacheDir()` (cli/load-hooks.ts), and run as CommonJS without Node's ESM
 * wrapper. `import('typescript')` took 0.43-0.49 s (most of it Node scanning the file for its
 * CommonJS exports); compiled from the cache, 0.06 s. A cache V8 rejects (another Node, another
 * TypeScript) is written again; a cache that cannot be written only costs time.
 *
 * @example
 * const ts = loadTypescript();
 * const program = ts.createProgram([file], options);
 * saveTypescriptCache(); // after use: the cache then holds the functions the check compiled
 */
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type ts from 'typescript';
import { cacheDir } from './load-hooks.ts';

const require = createRequire(import.meta.url);

let loaded: { ts: typeof ts; script: Script; cacheFile: string; fresh: boolean } | undefined;

/** The TypeScript compiler (loaded once per process). */
export function loadTypescript(): typeof ts {
  if (loaded) return loaded.ts;
  const file = require.resolve('typescript');
  const version = (require('typescript/package.json') as { version: string }).version;
  const cacheFile = join(cacheDir(), 'code', `typescript-${version}-node-${process.versions.v8}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch { /* first use */ }
  const script = new Script((Module as unknown as { wrap(s: string): string }).wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = { exports: {} as typeof ts };
  (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  loaded = { ts: mod.exports, script, cacheFile, fresh: cachedData === undefined || script.cachedDataRejected === true };
  return mod.exports;
}

/** Write the code cache when there was none (or V8 rejected it): after a check, so it holds what the check compiled. */
export function saveTypescriptCache(): void {
  if (!loaded?.fresh) return;
  loaded.fresh = false;
  try {
    mkdirSync(dirname(loaded.cacheFile), { recursive: true });
    const tmp = `${loaded.cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, loaded.script.createCachedData());
    renameSync(tmp, loaded.cacheFile);
  } catch { /* a read-only cache only costs time */ }
}

// Node loader hooks for model files (registered by cli/load-hooks.ts the first time a model or
// config file is imported, and in the --max-seconds probe worker):
// - `protocheck` and `protocheck/<sub>` resolve to the running protocheck itself (its package.json
//   "exports"), wherever the model file lives and whether or not a package.json or node_modules is
//   there, so a model shares the CLI's module instances;
// - a .ts file loads as ESM (a kernel tree has no package.json saying "type": "module"), its
//   types stripped by esbuild, the result cached by content hash under the cache directory;
// - from a .ts file, `./x` and `./x.js` also find `./x.ts` (as TypeScript's resolution does).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `{ self: { 'protocheck': url, 'protocheck/primitives': url, ... }, cacheDir }` */
let self = {};
let cacheDir;
let esbuild;

export async function initialize(data) {
  self = data?.self ?? {};
  cacheDir = data?.cacheDir;
}

const isTs = (url) => url.startsWith('file://') && /\.m?ts($|\?)/.test(url);

export async function resolve(spec, context, nextResolve) {
  if (spec === 'protocheck' || spec.startsWith('protocheck/')) {
    const url = self[spec];
    if (url) return { url, format: url.endsWith('.js') ? 'module' : undefined, shortCircuit: true };
  }
  try {
    return await nextResolve(spec, context);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !context.parentURL || !isTs(context.parentURL) || !/^\.\.?\//.test(spec)) throw err;
    const alt = spec.endsWith('.js') ? `${spec.slice(0, -3)}.ts` : `${spec}.ts`;
    try {
      return await nextResolve(alt, context);
    } catch {
      throw err;
    }
  }
}

export async function load(url, context, nextLoad) {
  if (!isTs(url)) return nextLoad(url, context);
  const file = fileURLToPath(url.replace(/\?.*$/, ''));
  const source = readFileSync(file, 'utf8');
  return { format: 'module', source: await strip(source, file), shortCircuit: true };
}

/** The file's JavaScript, with an inline source map so stack traces name the .ts lines. */
async function strip(source, file) {
  const key = createHash('sha256').update(`esbuild-strip-1\0${file}\0${source}`).digest('hex');
  const cached = cacheDir && join(cacheDir, 'js', `${key}.js`);
  if (cached) {
    try { return readFileSync(cached, 'utf8'); } catch { /* not cached yet */ }
  }
  esbuild ??= await import('esbuild');
  // esbuild's own error ("Transform failed with 1 error: FILE:L:C: ERROR: ...") is what
  // cli/load.ts turns into a one-line compile error.
  const r = await esbuild.transform(source, {
    loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: basename(file),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  });
  if (cached) {
    try {
      mkdirSync(join(cacheDir, 'js'), { recursive: true });
      // Write then rename, so a concurrent run never reads half a file.
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, r.code);
      renameSync(tmp, cached);
    } catch { /* a read-only cache only costs time */ }
  }
  return r.code;
}

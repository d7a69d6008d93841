#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` and `npm pack` run it): compile the library and the
// CLI to dist/, one .js file per .ts source with its source map, so the protocheck command
// starts without a TypeScript loader. esbuild only strips types (no type-check: `npm run
// typecheck` does that); relative imports of `.ts` files are rewritten to `.js`. dist/ mirrors
// the tree and gets its own package.json (version, ESM) and a copy of schema/, so the paths
// the sources read relative to themselves (`../package.json`, `../../schema/`) hold there too.
import { transform } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, cpSync, renameSync, utimesSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FINAL = join(ROOT, 'dist');
// Built beside dist/ and swapped in at the end, so a protocheck running from dist/ meanwhile never
// sees half a build.
const DIST = join(ROOT, `dist.tmp-${process.pid}`);
/** The folders compiled: everything the CLI and the package's exports load (not test/, bench/, examples/). */
export const SOURCE_DIRS = ['model', 'properties', 'checker', 'counterexamples', 'cli'];

/** Every .ts and .mjs file below the source folders, relative to the root. */
export function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of SOURCE_DIRS) walk(d);
  return out.sort();
}

/** `'./x.ts'` and `"../y/z.ts"` string literals (imports, `new URL(...)` of workers) become `.js`. */
function rewriteSpecifiers(code) {
  return code.replace(/(["'])(\.\.?\/[\w./-]*)\.ts\1/g, '$1$2.js$1');
}

/**
 * Declaration files of the package's exports (and what they import) in dist/types/, mirroring the
 * tree: the type check of a user's model file reads these instead of the sources when the CLI runs
 * from dist/ (cli/load-typecheck.ts): 0.06 s less per first check of a model file.
 */
async function declarations(pkg) {
  const ts = (await import('typescript')).default;
  const entries = Object.values(pkg.exports).map((e) => join(ROOT, e.types));
  const program = ts.createProgram(entries, {
    declaration: true, emitDeclarationOnly: true, outDir: join(DIST, 'types'), rootDir: ROOT,
    strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true,
    skipLibCheck: true, types: [], lib: ['lib.es2022.d.ts'],
  });
  const r = program.emit();
  if (r.emitSkipped) throw new Error('protocheck build: the declaration files were not emitted');
  // Named by TypeScript's version: the type check uses it only with that TypeScript.
  writeFileSync(join(DIST, 'types', `lib.es2022-ts${ts.version}.d.ts`), standardLibrary(ts));
}

/**
 * TypeScript's ES2022 library (lib.es2022.d.ts and the 56 files it references) as one file
 * without comments: the same declarations in 128 KB instead of 471 KB, which the type check of
 * a model file parses in 0.06-0.09 s instead of 0.12-0.15 s (cli/load-typecheck.ts, noLib). The
 * library's licence notice is kept once at the top.
 */
function standardLibrary(ts) {
  const dir = dirname(ts.getDefaultLibFilePath({}));
  const files = [];
  const walk = (f) => {
    if (files.includes(f)) return;
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/reference lib="([^"]+)"/g)) walk(`lib.${m[1]}.d.ts`);
    files.push(f);
  };
  walk('lib.es2022.d.ts');
  const printer = ts.createPrinter({ removeComments: true });
  let notice = '';
  const body = files.map((f) => {
    const text = printer.printFile(ts.createSourceFile(f, readFileSync(join(dir, f), 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS));
    // The printer keeps /*! notices */ and reference directives: one notice, no directives (noLib).
    return text.replace(/\/\*![\s\S]*?\*\/\n?/g, (n) => { notice ||= n; return ''; })
      .split('\n').filter((l) => !l.startsWith('/// <reference')).join('\n');
  }).join('\n');
  return `${notice}// TypeScript ${ts.version}: ${files.length} library files of ES2022, comments removed (bin/build.mjs).\n${body}\n`;
}

async function build() {
  const t0 = performance.now();
  const started = new Date();
  rmSync(DIST, { recursive: true, force: true });
  const files = sourceFiles();
  await Promise.all(files.map(async (rel) => {
    const src = readFileSync(join(ROOT, rel), 'utf8');
    const outRel = rel.replace(/\.ts$/, '.js');
    const outFile = join(DIST, outRel);
    mkdirSync(dirname(outFile), { recursive: true });
    if (rel.endsWith('.mjs')) {
      writeFileSync(outFile, rewriteSpecifiers(src));
      return;
    }
    const r = await transform(src, {
      loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'external',
      sourcefile: relative(dirname(outFile), join(ROOT, rel)),
      // Class fields as the TypeScript sources mean them (useDefineForClassFields with ES2022).
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
    });
    const base = outRel.split('/').pop();
    writeFileSync(outFile, `${rewriteSpecifiers(r.code)}//# sourceMappingURL=${base}.map\n`);
    writeFileSync(`${outFile}.map`, r.map);
  }));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  await declarations(pkg);
  writeFileSync(join(DIST, 'package.json'), `${JSON.stringify({ name: 'protocheck-dist', private: true, version: pkg.version, type: 'module' }, null, 2)}\n`);
  cpSync(join(ROOT, 'schema'), join(DIST, 'schema'), { recursive: true });
  // The stamp the bin shim compares source mtimes with (bin/select.mjs).
  // Its mtime is when the build started: a source saved during the build is newer, so not hidden.
  writeFileSync(join(DIST, 'BUILT'), `${files.length} files\n`);
  utimesSync(join(DIST, 'BUILT'), started, started);
  const old = `${FINAL}.old-${process.pid}`;
  try { renameSync(FINAL, old); } catch { /* no earlier build */ }
  renameSync(DIST, FINAL);
  rmSync(old, { recursive: true, force: true });
  return { files: files.length, seconds: (performance.now() - t0) / 1000 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await build();
  if (!process.argv.includes('--quiet')) console.log(`protocheck: compiled ${r.files} files to dist/ in ${r.seconds.toFixed(2)} s`);
}

#!/usr/bin/env node
// The protocheck command. It runs the compiled CLI in dist/ when that is up to date, else the
// TypeScript sources through tsx (bin/select.mjs says which). TypeScript itself is loaded only to
// type-check a model file (cli/load.ts, cached), and the model hooks (bin/esm-models.mjs) only
// when a model or config file is imported (cli/load-hooks.ts).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chooseBuild, ROOT } from './select.mjs';

const build = chooseBuild();
if (build.mode === 'none') {
  process.stderr.write(`protocheck: error: ${build.why}\n`);
  process.exit(64);
}
// Stack traces name the .ts lines: the source locations of actions and properties (text, JSON,
// SARIF) and the line of a model that throws are the same as when running the sources.
process.setSourceMapsEnabled(true);
const dist = build.mode === 'dist';
if (!dist) (await import('tsx/esm/api')).register();
const at = (rel) => new URL(`../${dist ? 'dist/' : ''}${dist ? rel.replace(/\.ts$/, '.js') : rel}`, import.meta.url).href;

const { main } = await import(at('cli/main.ts'));
const { exitOnStreamErrors } = await import(at('cli/stdio.ts'));
const { setModelLoader, cacheDir } = await import(at('cli/load-hooks.ts'));
exitOnStreamErrors(process.stdout, process.stderr);

// `protocheck` and `protocheck/<sub>` in a model file: this package's "exports" ("types" is the
// .ts source, "default" the compiled file).
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const self = {};
for (const [key, target] of Object.entries(pkg.exports ?? {})) {
  const file = typeof target === 'string' ? target : dist ? target.default : target.types;
  self[`protocheck${key.slice(1)}`] = new URL(file, pathToFileURL(ROOT)).href;
}
setModelLoader({ hooks: new URL('./esm-models.mjs', import.meta.url).href, data: { self, cacheDir: cacheDir() } });
process.exitCode = await main(process.argv.slice(2));

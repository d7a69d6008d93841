/**
 * The example model files that `npm start` (`ci --builtin`) checks after the built-in models, so
 * the examples the README's "Writing your own model" points at keep giving the verdicts it shows.
 * Each entry repeats what the file's variants declare (`builtinChecks` stays synchronous: no
 * file is loaded to list the checks); test/docs/examples.test.ts fails when the two differ.
 *
 * @example
 * exampleChecks().map((c) => c.name); // ['examples/kref-lookup.ts/get-unless-zero', …]
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expectation, ResolvedCheck } from './config.ts';

/** The repository root: example paths are relative to it, whatever the current directory. */
// The package root: above dist/ in the compiled CLI (bin/build.mjs), where examples/ is not.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..').replace(/\/dist$/, '');

export interface ExampleFile {
  /** Path from the repository root. */
  file: string;
  /** Every variant the file declares, in its order, with its `expect`. */
  variants: Array<[name: string, expect: Expectation]>;
}

export const EXAMPLES: ExampleFile[] = [
  { file: 'examples/kref-lookup.ts', variants: [['get-unless-zero', 'pass'], ['kref-get', 'violation:refcount.add-on-zero']] },
  { file: 'examples/rcu-reclaim.ts', variants: [['grace-period', 'pass'], ['call-rcu', 'pass'], ['no-grace-period', 'violation:obj.use-after-free']] },
  { file: 'examples/task-lock-pointer.ts', variants: [['fixed', 'pass'], ['no-get-task-struct', 'violation:refcount.use-after-free'], ['no-tasklist-lock', 'violation:spinlock.unlock-not-owner'], ['no-null-check', 'violation:pointer.null-deref']] },
];

/** One check per example variant, at its default bounds, on the explicit engine. */
export function exampleChecks(): ResolvedCheck[] {
  return EXAMPLES.flatMap((e) => e.variants.map(([variant, expect]) => ({
    name: `${e.file}/${variant}`, model: e.file, variant, expect, engine: 'explicit' as const, baseDir: ROOT,
  })));
}

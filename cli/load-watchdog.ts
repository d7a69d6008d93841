/**
 * `--max-seconds` for loading a model file. Importing a file (and building a variant) runs the
 * user's code on the main thread, where no timer can interrupt an endless loop; so when a limit
 * is set, the file is first imported and built in a worker thread that is terminated when the
 * time is up (exit 2, one line). A worker that finishes, or fails, leaves the real load to
 * `loadModelDef` on the main thread, which reports any error as usual. The worker registers the
 * model hooks the CLI named (cli/load-hooks.ts); without them (in-process use) nothing is probed.
 *
 * @example
 * await loadWithin('./models/mine.ts', 5, { variant: 'fixed', bounds: {} });
 * const def = await loadModelDef('./models/mine.ts');
 */
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { EXIT } from '../checker/result.ts';
import { CliError } from './errors.ts';
import { isPathSpec } from './load.ts';
import { modelLoader } from './load-hooks.ts';

const PROBE = new URL('./load-probe.mjs', import.meta.url);

/**
 * Import the model file `spec` and build `variant` (default: the first) with `bounds` (over the
 * defaults) in a worker; throw a CliError (exit 2) when that takes more than `seconds`. Built-in
 * models and missing files return at once (they cannot loop, or fail elsewhere).
 */
export async function loadWithin(spec: string, seconds: number, build: { variant?: string; bounds?: Record<string, number> } = {}, baseDir = process.cwd()): Promise<void> {
  const loader = modelLoader();
  if (!isPathSpec(spec) || !loader) return;
  const file = resolve(baseDir, spec);
  if (!existsSync(file)) return;
  const worker = new Worker(PROBE, {
    workerData: { url: pathToFileURL(file).href, loader, variant: build.variant, bounds: build.bounds ?? {} },
    stdout: true, stderr: true,
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await new Promise<'loaded' | 'failed' | 'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), seconds * 1000);
    worker.once('message', () => done('loaded'));
    worker.once('error', () => done('failed'));
    worker.once('exit', () => done('failed'));
  });
  clearTimeout(timer);
  await worker.terminate();
  if (outcome === 'timeout') {
    throw new CliError(`${spec}: loading the model did not finish within --max-seconds ${seconds} (an endless loop at the top level of the file or in build()?); nothing was checked`, EXIT.inconclusive);
  }
}

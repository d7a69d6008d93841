// Worker for cli/interruptible.ts: runs engines on models (structured-cloned IR) off the main
// thread, one request at a time, posting progress as it goes, so the main thread stays free to
// answer Ctrl-C. Errors go back as their class name, message and exit code.
import { parentPort } from 'node:worker_threads';

// In dist/ the build rewrites this to engines.js; only the sources need tsx (Node 20 workers do
// not inherit the main thread's hooks).
const ENGINES = '../checker/engines.ts';
if (ENGINES.endsWith('.ts')) (await import('tsx/esm/api')).register();
const { runEngine } = await import(ENGINES);

parentPort.on('message', async ({ model, engine, opts }) => {
  try {
    const result = await runEngine(model, engine, {
      ...opts,
      onProgress: (progress) => parentPort.postMessage({ kind: 'progress', progress }),
    });
    parentPort.postMessage({ kind: 'result', result });
  } catch (err) {
    parentPort.postMessage({ kind: 'error', name: err?.constructor?.name ?? 'Error', message: String(err?.message ?? err), stack: err?.stack, exitCode: err?.exitCode });
  }
});

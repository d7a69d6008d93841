// A helper thread of the parallel explicit search (checker/parallel/pool.ts). In dist/ the build
// rewrites the entry to helper-main.js; only the sources need the TypeScript loader (Node 20
// workers do not inherit the main thread's hooks), as in cli/engine-worker.mjs.
const ENTRY = './helper-main.ts';
if (ENTRY.endsWith('.ts')) (await import('tsx/esm/api')).register();
await import(ENTRY);

// Bootstrap of the Z3 worker thread: Node 20 workers do not inherit module hooks, so register
// tsx here before loading the TypeScript worker (the compiled one in dist/ needs none).
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) (await import('tsx/esm/api')).register();
await import(workerData.entry);

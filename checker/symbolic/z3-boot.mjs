// Bootstrap of the Z3 worker thread: Node 20 workers do not inherit module hooks, so register
// tsx here before loading the TypeScript worker.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

// Worker for cli/load-watchdog.ts: import a model file (and build one variant) in a thread the
// main thread can terminate, so `--max-seconds` also bounds an endless loop while loading.
// Node 20 workers do not inherit module hooks: the model hooks the CLI named are registered here.
import { workerData, parentPort } from 'node:worker_threads';
import { register } from 'node:module';

register(workerData.loader.hooks, { data: workerData.loader.data });
const mod = await import(workerData.url);
const def = mod.default ?? mod.model;
if (def && typeof def === 'object' && Array.isArray(def.variants) && typeof def.build === 'function') {
  const variant = workerData.variant ?? def.variants[0]?.name;
  const bounds = {};
  for (const b of def.bounds ?? []) bounds[b.name] = b.default;
  def.build(variant, { ...bounds, ...workerData.bounds });
}
parentPort.postMessage('loaded');

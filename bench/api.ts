/**
 * `npm run bench` (API part): each API model's `diff` (old API against new, every property on
 * both sides, root causes, forget re-checks) at its default bounds, on one core, with the
 * states of the new side's whole check. The API-review target is under 30 s per diff.
 */
import { builtinModels } from '../model/registry.ts';
import { diffModels } from '../checker/diff.ts';
import { runCheck } from '../checker/check.ts';
import { boundsFor } from '../cli/ci/run.ts';

/** The API changes reviewed: model, old variant, new variant. */
const DIFFS: [string, string, string][] = [
  ['api-task', 'any-task', 'current-only'],
  ['api-task', 'current-only', 'current-sendable'],
  ['api-drm_mm', 'early-asahi', 'arc'],
  ['api-drm_mm', 'arc', 'borrowed'],
  ['api-drm_mm', 'arc', 'explicit-free-2'],
  ['api-mmap', 'seed', 'guards-send'],
  ['api-mmap', 'seed', 'lookup-borrows-mm'],
  ['api-mm', 'seed', 'with-async'],
  ['api-mm', 'seed', 'current-mm-escapes'],
];

console.log('API review: diff per API change, default bounds, one core');
console.log('model        old → new                          bounds                     new-side states  rows  root causes  seconds');
for (const [name, o, n] of DIFFS) {
  const def = builtinModels.find((d) => d.name === name);
  if (!def) continue;
  const b = boundsFor(def);
  const t0 = performance.now();
  const d = diffModels(def.build(o, b), def.build(n, b));
  const seconds = (performance.now() - t0) / 1000;
  const states = runCheck(def.build(n, b), { minimise: false }).stats.states;
  const bounds = Object.entries(b).map(([k, v]) => `${k}=${v}`).join(', ');
  console.log(`${name.padEnd(12)} ${`${o} → ${n}`.padEnd(34)} ${bounds.padEnd(26)} ${String(states).padStart(15)} ${String(d.rows.length).padStart(5)} ${String(d.rootCauses.length).padStart(12)} ${seconds.toFixed(1).padStart(8)}`);
}

/**
 * `npm run bench` (symmetry part): the explicit engine with and without symmetry reduction on the
 * built-in models that declare interchangeable threads, at growing member counts, one core:
 * states stored (orbits with symmetry), seconds of search, and the reduction. Unreduced runs
 * that would store more than `LIMIT` states are skipped (printed as `-`).
 */
import { builtinModels } from '../model/registry.ts';
import { runCheck } from '../checker/check.ts';
import { boundsFor } from '../cli/ci/run.ts';

const LIMIT = 3_000_000;

/** model, variant, the bound that counts the members, its values. */
const RUNS: [string, string, string, number[]][] = [
  ['mm', 'fixed', 'senders', [2, 4, 6, 8, 10, 12]],
  ['aref', 'fixed', 'readers', [2, 3, 4]],
  ['vma', 'fixed', 'readers', [2, 3]],
  ['api-task', 'current-only', 'clients', [2, 3]],
  ['api-mm', 'with-async', 'clients', [2]],
];

console.log(`Symmetry reduction: explicit search with and without it, one core (unreduced runs over ${LIMIT.toLocaleString('en')} states skipped)`);
console.log('model/variant              members  orbits (sym)  states (no sym)  reduction  sym s  no-sym s');
for (const [name, variant, bound, ns] of RUNS) {
  const def = builtinModels.find((d) => d.name === name);
  if (!def || !def.bounds.some((b) => b.name === bound)) continue;
  for (const n of ns) {
    const b = boundsFor(def, { [bound]: n });
    const m = def.build(variant, b);
    const on = runCheck(m, { minimise: false });
    const off = runCheck(m, { minimise: false, symmetry: false, maxStates: LIMIT });
    const full = off.verdict !== 'incomplete';
    const row = [
      `${name}/${variant}`.padEnd(26), `${bound}=${n}`.padStart(8 + 3),
      String(on.stats.states).padStart(13), (full ? String(off.stats.states) : '-').padStart(16),
      (full ? `${(off.stats.states / on.stats.states).toFixed(1)}x` : '-').padStart(10),
      on.stats.seconds.toFixed(2).padStart(6), (full ? off.stats.seconds.toFixed(2) : '-').padStart(9),
    ];
    console.log(row.join(' '));
  }
}

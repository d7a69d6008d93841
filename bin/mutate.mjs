#!/usr/bin/env node
/**
 * `npm run mutate`: Stryker over the core in two passes, then one score for all of it.
 *
 * compile.ts's mutants reach nearly every test, so its pass leaves the 30 s symmetry suite out
 * (MUTATE_WITHOUT_SYMMETRY); the other core files keep it (explicit.ts's reduction code is only
 * reached there). Each pass keeps an incremental file under reports/, so a re-run tests only the
 * mutants whose code or covering tests changed.
 *
 *   npm run mutate                                   # both passes, the combined score
 *   npm run mutate -- --mutate checker/replay.ts     # one file
 *   npm run mutate -- --concurrency 2 --force        # two test processes, ignore earlier results
 */
import { parseArgs } from 'node:util';
import { Stryker } from '@stryker-mutator/core';
import config from '../stryker.config.mjs';

const { values } = parseArgs({
  options: {
    mutate: { type: 'string', multiple: true },
    concurrency: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});

const COMPILE = 'checker/compile.ts';
const files = values.mutate ?? config.mutate;
const passes = [
  { name: 'compile', files: files.filter((f) => f === COMPILE), symmetry: false },
  { name: 'core', files: files.filter((f) => f !== COMPILE), symmetry: true },
].filter((p) => p.files.length > 0);

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

/** Stryker's own score: detected / (detected + survived + no coverage), per file. */
function tally(results) {
  const byFile = new Map();
  for (const r of results) {
    if (!COUNTED.has(r.status)) continue;
    const t = byFile.get(r.fileName) ?? { mutants: 0, detected: 0, survived: 0, noCoverage: 0 };
    t.mutants++;
    if (DETECTED.has(r.status)) t.detected++;
    else if (r.status === 'Survived') t.survived++;
    else t.noCoverage++;
    byFile.set(r.fileName, t);
  }
  return byFile;
}

const all = new Map();
for (const pass of passes) {
  if (pass.symmetry) delete process.env.MUTATE_WITHOUT_SYMMETRY;
  else process.env.MUTATE_WITHOUT_SYMMETRY = '1';
  const results = await new Stryker({
    mutate: pass.files,
    concurrency: values.concurrency ? Number(values.concurrency) : config.concurrency,
    incremental: true,
    incrementalFile: `reports/stryker-incremental-${pass.name}.json`,
    force: values.force,
    htmlReporter: { fileName: `reports/mutation/${pass.name}.html` },
    jsonReporter: { fileName: `reports/mutation/${pass.name}.json` },
  }).runMutationTest();
  for (const [file, t] of tally(results)) all.set(file, t);
}

const pct = (t) => ((100 * t.detected) / Math.max(1, t.mutants)).toFixed(2);
const total = { mutants: 0, detected: 0, survived: 0, noCoverage: 0 };
console.log('\nfile                           mutants  detected  survived  no-cov   score');
for (const [file, t] of [...all].sort()) {
  for (const k of Object.keys(total)) total[k] += t[k];
  const rel = file.replace(`${process.cwd()}/`, '');
  console.log(
    `${rel.padEnd(30)} ${String(t.mutants).padStart(7)} ${String(t.detected).padStart(9)} ` +
      `${String(t.survived).padStart(9)} ${String(t.noCoverage).padStart(7)} ${pct(t).padStart(6)} %`,
  );
}
console.log(`${'core'.padEnd(30)} ${String(total.mutants).padStart(7)} ${String(total.detected).padStart(9)} ` +
  `${String(total.survived).padStart(9)} ${String(total.noCoverage).padStart(7)} ${pct(total).padStart(6)} %`);

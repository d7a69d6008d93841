/**
 * `npm run table`: check every built-in model variant at its default bounds and print the
 * README's table (protocol, variant, bounds, states, verdict, seconds, and for a passing variant
 * what `auto` proves: `proved` at the bounds, and `any NAME` when the counter abstraction proves
 * it for any number of the interchangeable threads). With `--write`, replace the table between
 * the markers in README.md; nothing else in the file is touched. Takes a few minutes (the proofs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinModels } from '../model/registry.ts';
import { runCheck } from '../checker/check.ts';
import { boundsFor } from '../cli/ci/run.ts';
import { runAutoPdr } from '../checker/symbolic/pdr.ts';
import { runAnyMembers } from '../checker/symbolic/any-threads.ts';
import { anyMembersFor } from '../cli/ci/any.ts';
import { shutdownZ3 } from '../checker/symbolic/z3.ts';

const START = '<!-- table:start (npm run table -- --write) -->';
const END = '<!-- table:end -->';

const rows: string[] = [
  '| protocol | variant | bounds | states | verdict | expected | seconds | proved (bounds / any) |',
  '|---|---|---|---:|---|---|---:|---|',
];
for (const def of builtinModels) {
  const bounds = boundsFor(def);
  for (const v of def.variants) {
    const r = runCheck(def.build(v.name, bounds), { variant: v.name });
    const verdict = r.verdict === 'violation' ? `violation: \`${r.property?.id}\`` : r.verdict;
    const b = Object.entries(bounds).map(([k, x]) => `${k}=${x}`).join(', ') || '—';
    rows.push(`| ${def.name} | ${v.name} | ${b} | ${r.stats.states} | ${verdict} | ${v.expect} | ${r.stats.seconds.toFixed(2)} | ${r.verdict === 'pass' ? await proofs(def, v.name, bounds) : ''} |`);
  }
}
await shutdownZ3();
const table = rows.join('\n');

/** What `auto` proves at the bounds (`—` past its budget), and `any NAME` if the counter abstraction proves it. */
async function proofs(def: (typeof builtinModels)[number], variant: string, bounds: Record<string, number>): Promise<string> {
  const model = def.build(variant, bounds);
  const at = await runAutoPdr(model, { variant });
  let any = '—';
  try {
    const a = anyMembersFor(def, variant, bounds, model, 'pdr', (m) => m);
    const r = await runAnyMembers(model, { boundName: a.bound, grown: a.grown, smaller: a.smaller, minMembers: a.min });
    if (r.verdict === 'proved') any = `any ${a.bound}`;
  } catch { /* no interchangeable threads, or the abstraction does not apply */ }
  return `${at.verdict === 'proved' ? 'proved' : '—'} / ${any}`;
}
if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  const i = readme.indexOf(START), j = readme.indexOf(END);
  if (i < 0 || j < i) {
    console.error(`protocheck: error: README.md has no '${START}' ... '${END}' markers; add them where the table goes`);
    process.exit(65);
  }
  writeFileSync('README.md', readme.slice(0, i + START.length) + '\n' + table + '\n' + readme.slice(j));
  console.log(`README.md: table updated (${rows.length - 2} rows)`);
} else {
  console.log(table);
}

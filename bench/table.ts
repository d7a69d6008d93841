/**
 * `npm run table`: check every built-in model variant at its default bounds and print the
 * README's table (protocol, variant, bounds, states, verdict, seconds). With `--write`, replace
 * the table between the markers in README.md; nothing else in the file is touched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinModels } from '../model/registry.ts';
import { runCheck } from '../checker/check.ts';
import { boundsFor } from '../cli/ci/run.ts';

const START = '<!-- table:start (npm run table -- --write) -->';
const END = '<!-- table:end -->';

const rows: string[] = [
  '| protocol | variant | bounds | states | verdict | expected | seconds |',
  '|---|---|---|---:|---|---|---:|',
];
for (const def of builtinModels) {
  const bounds = boundsFor(def);
  for (const v of def.variants) {
    const r = runCheck(def.build(v.name, bounds), { variant: v.name });
    const verdict = r.verdict === 'violation' ? `violation: \`${r.property?.id}\`` : r.verdict;
    const b = Object.entries(bounds).map(([k, x]) => `${k}=${x}`).join(', ') || '—';
    rows.push(`| ${def.name} | ${v.name} | ${b} | ${r.stats.states} | ${verdict} | ${v.expect} | ${r.stats.seconds.toFixed(2)} |`);
  }
}
const table = rows.join('\n');
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

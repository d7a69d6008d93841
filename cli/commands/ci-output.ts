/**
 * What `ci` and `merge` print and write: one line per check, the summary, GitHub annotations,
 * and the JUnit/SARIF files (never overwriting a file unless `--force`).
 */
import { existsSync, writeFileSync } from 'node:fs';
import pc from 'picocolors';
import type { CiReport, CheckReport } from '../ci/report.ts';
import { toJUnit } from '../ci/junit.ts';
import { toSarif } from '../ci/sarif.ts';
import { githubAnnotations } from '../ci/github.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';

const MARK: Record<CheckReport['outcome'], string> = {
  'as-expected': 'ok',
  'unexpected-violation': 'FAIL',
  'expected-violation-missing': 'FAIL',
  inconclusive: 'WARN',
  'model-error': 'ERROR',
};

/** `ok    mm/fixed   pass   200 states   0.01 s`; a violation names its class. */
export function checkLine(c: CheckReport, color = false): string {
  const mark = MARK[c.outcome].padEnd(5);
  const m = !color ? mark : c.outcome === 'as-expected' ? pc.green(mark) : c.outcome === 'inconclusive' ? pc.yellow(mark) : pc.red(mark);
  const s = c.result?.stats;
  const figures = s ? `${String(s.states).padStart(9)} states ${s.seconds.toFixed(2).padStart(7)} s` : '';
  // A violation carries its property's class: `violation:mm.pasid-use-after-free [unsound]`.
  const cls = c.result?.verdict === 'violation' && c.result.property ? ` [${c.result.property.class}]` : '';
  const what = c.outcome === 'as-expected' ? `${c.actual}${cls}` : `${c.message}${cls}`;
  return `${m} ${c.name.padEnd(40)} ${what.padEnd(c.outcome === 'as-expected' ? 56 : 0)} ${figures}`.trimEnd();
}

export function reportText(r: CiReport, color = false): string {
  const s = r.summary;
  const bad = s.total - s['as-expected'];
  const line = `${s.total} checks: ${s['as-expected']} as expected` +
    (s['unexpected-violation'] ? `, ${s['unexpected-violation']} unexpected violation(s)` : '') +
    (s['expected-violation-missing'] ? `, ${s['expected-violation-missing']} expected violation(s) not found` : '') +
    (s.inconclusive ? `, ${s.inconclusive} inconclusive` : '') +
    (s['model-error'] ? `, ${s['model-error']} model error(s)` : '') +
    ` (${s.seconds.toFixed(1)} s, exit ${r.exitCode})`;
  const out = [color ? (bad ? pc.red(line) : pc.green(line)) : line];
  if (process.env.GITHUB_ACTIONS === 'true') out.unshift(...githubAnnotations(r));
  return out.join('\n');
}

function refuseOverwrite(file: string, force?: boolean): void {
  if (existsSync(file) && !force) throw new CliError(`${file} exists; pass --force to overwrite it`, EXIT.usage);
}

export function writeReportOutputs(r: CiReport, flags: { junit?: string; sarif?: string; force?: boolean }): void {
  if (flags.junit) refuseOverwrite(flags.junit, flags.force);
  if (flags.sarif) refuseOverwrite(flags.sarif, flags.force);
  if (flags.junit) writeFileSync(flags.junit, toJUnit(r));
  if (flags.sarif) writeFileSync(flags.sarif, JSON.stringify(toSarif(r), null, 2) + '\n');
}

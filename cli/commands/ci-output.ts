/**
 * What `ci` and `merge` print and write: one line per check, the summary, GitHub annotations,
 * and the JUnit/SARIF files (never overwriting a file unless `--force`).
 */
import picocolors from 'picocolors';
import type { CiReport, CheckReport } from '../ci/report.ts';
import { toJUnit } from '../ci/junit.ts';
import { toSarif } from '../ci/sarif.ts';
import { githubAnnotations } from '../ci/github.ts';
import { checkOutputFile, writeOutput } from '../../counterexamples/output-path.ts';

// Colours are on whenever the caller asks (cli/stdio.ts colorWanted decides: FORCE_COLOR, NO_COLOR, a terminal).
const pc = picocolors.createColors(true);

const MARK: Record<CheckReport['outcome'], string> = {
  'as-expected': 'ok',
  'unexpected-violation': 'FAIL',
  'expected-violation-missing': 'FAIL',
  inconclusive: 'WARN',
  'model-error': 'ERROR',
};

/** Width of the name column: the longest name of `checks` (at least 40), so every row lines up. */
export function nameWidth(checks: readonly { name: string }[]): number {
  return checks.reduce((w, c) => Math.max(w, c.name.length), 40);
}

/**
 * `ok    mm/fixed   200 states   0.01 s  pass`: mark, name, figures, then what happened (a
 * violation names its class). The variable-length text comes last, so rows stay aligned
 * whatever the outcome; `width` is the name column's (see `nameWidth`).
 */
export function checkLine(c: CheckReport, color = false, width = 40): string {
  const mark = MARK[c.outcome].padEnd(5);
  const m = !color ? mark : c.outcome === 'as-expected' ? pc.green(mark) : c.outcome === 'inconclusive' ? pc.yellow(mark) : pc.red(mark);
  const s = c.result?.stats;
  const figures = s ? `${String(s.states).padStart(9)} states ${s.seconds.toFixed(2).padStart(7)} s` : ' '.repeat(25);
  // A violation carries its property's class: `violation:mm.pasid-use-after-free [unsound]`.
  const cls = c.result?.verdict === 'violation' && c.result.property ? ` [${c.result.property.class}]` : '';
  const what = c.outcome === 'as-expected' ? `${c.actual}${cls}` : `${c.message}${cls}`;
  return `${m} ${c.name.padEnd(width)} ${figures}  ${what}`.trimEnd();
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

/**
 * Check, before any check runs, that `--junit`/`--sarif` can be written (a directory, a
 * dangling link, a read-only place or, without `--force`, an existing file is refused).
 */
export function checkReportOutputs(flags: { junit?: string; sarif?: string; force?: boolean }): void {
  if (flags.junit) checkOutputFile(flags.junit, { flag: '--junit', force: flags.force });
  if (flags.sarif) checkOutputFile(flags.sarif, { flag: '--sarif', force: flags.force });
}

/** Write the `--junit`/`--sarif` files of a finished report (checked again: time has passed). */
export function writeReportOutputs(r: CiReport, flags: { junit?: string; sarif?: string; force?: boolean }): void {
  checkReportOutputs(flags);
  if (flags.junit) writeOutput(flags.junit, toJUnit(r), '--junit');
  if (flags.sarif) writeOutput(flags.sarif, JSON.stringify(toSarif(r), null, 2) + '\n', '--sarif');
}

/**
 * The CI report: each check's outcome against its expectation, the summary, and the exit
 * code. Shards produce reports that `merge` combines into one.
 */
import type { Result } from '../../checker/result.ts';
import type { SourceLoc } from '../../model/lang/ir.ts';
import { EXIT } from '../../checker/result.ts';
import type { Engine, Expectation } from './config.ts';

export const CI_REPORT_VERSION = 'protocheck.ci/1';

export type Outcome =
  | 'as-expected'
  | 'unexpected-violation'
  | 'expected-violation-missing'
  | 'inconclusive'
  | 'model-error';

export interface CheckReport {
  /** Position of the check in the (unsharded) config: merge orders by it. */
  index: number;
  name: string;
  model: string;
  variant?: string;
  bounds?: Record<string, number>;
  engine: Engine;
  expect: Expectation;
  outcome: Outcome;
  /** One line: what was expected, what happened. */
  message: string;
  /** The verdict, or `error` when the model could not be loaded or built. */
  actual: string;
  /** Exit code of the model error, for model-error outcomes. */
  errorCode?: number;
  result?: Result;
  /** Where the model and the actions in the trace were defined (for SARIF and annotations). */
  locations?: { model?: SourceLoc; actions?: Record<string, SourceLoc> };
}

export interface CiReport {
  version: typeof CI_REPORT_VERSION;
  shard?: { index: number; count: number };
  checks: CheckReport[];
  summary: Record<Outcome, number> & { total: number; seconds: number };
  exitCode: number;
}

/** What a verdict means for an expectation. */
export function classify(expect: Expectation, r: Result): { outcome: Outcome; actual: string; message: string } {
  const actual = r.verdict === 'violation' ? `violation:${r.property?.id}` : r.verdict;
  const said = (o: Outcome, why: string) => ({ outcome: o, actual, message: `expected ${expect}, got ${actual}${why}` });
  if (r.verdict === 'error') return said('model-error', r.reason ? ` (${r.reason})` : '');
  if (r.verdict === 'incomplete' || r.verdict === 'unknown') return said('inconclusive', r.reason ? ` (${r.reason})` : '');
  if (expect === 'pass') {
    if (r.verdict === 'pass' || r.verdict === 'proved') return { outcome: 'as-expected', actual, message: `${actual} as expected` };
    return said('unexpected-violation', r.property ? `: ${r.property.message}` : '');
  }
  if (expect === 'proved') {
    if (r.verdict === 'proved') return { outcome: 'as-expected', actual, message: 'proved as expected' };
    if (r.verdict === 'pass') return said('inconclusive', ' (exhaustive within bounds, but no proof for all depths)');
    return said('unexpected-violation', r.property ? `: ${r.property.message}` : '');
  }
  const want = expect.slice('violation:'.length);
  if (r.verdict === 'violation') {
    if (r.property?.id === want) return { outcome: 'as-expected', actual, message: `violation of ${want} as expected` };
    return said('unexpected-violation', r.property ? `: ${r.property.message}` : '');
  }
  return said('expected-violation-missing', ' (the bug is no longer found)');
}

const SEVERITY: Outcome[] = ['model-error', 'unexpected-violation', 'expected-violation-missing', 'inconclusive'];

/** Exit code of a set of checks: the most severe outcome wins (model error, unexpected violation, missing violation, inconclusive). */
export function exitCodeFor(checks: CheckReport[]): number {
  for (const o of SEVERITY) {
    const c = checks.find((x) => x.outcome === o);
    if (!c) continue;
    switch (o) {
      case 'model-error': return c.errorCode ?? EXIT.modelBuild;
      case 'unexpected-violation': return EXIT.violation;
      case 'expected-violation-missing': return EXIT.expectationMissed;
      case 'inconclusive': return EXIT.inconclusive;
    }
  }
  return EXIT.pass;
}

export function makeReport(checks: CheckReport[], seconds: number, shard?: { index: number; count: number }): CiReport {
  const summary = { total: checks.length, seconds: Math.round(seconds * 1000) / 1000 } as CiReport['summary'];
  for (const o of ['as-expected', ...SEVERITY] as Outcome[]) summary[o] = checks.filter((c) => c.outcome === o).length;
  return { version: CI_REPORT_VERSION, ...(shard ? { shard } : {}), checks, summary, exitCode: exitCodeFor(checks) };
}

export class MergeError extends Error {}

/** Combine shard reports into one, in config order; refuses duplicates and mixed versions. */
export function mergeReports(reports: CiReport[]): CiReport {
  const all: CheckReport[] = [];
  const seen = new Set<number>();
  for (const r of reports) {
    if (r.version !== CI_REPORT_VERSION) throw new MergeError(`cannot merge a report of version ${String(r.version)}; expected ${CI_REPORT_VERSION}`);
    for (const c of r.checks) {
      if (seen.has(c.index)) throw new MergeError(`check ${c.index} (${c.name}) appears in two reports; were shards run twice?`);
      seen.add(c.index);
      all.push(c);
    }
  }
  all.sort((a, b) => a.index - b.index);
  return makeReport(all, reports.reduce((s, r) => s + r.summary.seconds, 0));
}

/** `i/n` → the checks of shard i (1-based): check k goes to shard (k mod n) + 1, so shards stay balanced. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new RangeError(`--shard must be i/n with 1 <= i <= n (got '${text}')`);
  return { index, count };
}

export function inShard(k: number, shard?: { index: number; count: number }): boolean {
  return !shard || k % shard.count === shard.index - 1;
}

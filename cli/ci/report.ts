/**
 * The CI report: each check's outcome against its expectation, the summary, and the exit
 * code. Shards produce reports that `merge` combines into one.
 */
import type { Result } from '../../checker/result.ts';
import type { SourceLoc } from '../../model/lang/ir.ts';
import { EXIT } from '../../checker/result.ts';
import { violationText } from '../../counterexamples/verdict-text.ts';
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

/** Which part of a sharded run a report is: shard `index` of `count`, of a config of `checks` checks. */
export interface ShardInfo {
  index: number;
  count: number;
  /** Checks in the whole (unsharded) config, so `merge` can tell a complete set of shards. */
  checks?: number;
}

export interface CiReport {
  version: typeof CI_REPORT_VERSION;
  shard?: ShardInfo;
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
  if (r.verdict === 'bounded') return said('inconclusive', ` (no violation within ${r.bounds.depth} steps; longer traces not checked)`);
  if (expect === 'pass') {
    if (r.verdict === 'pass' || r.verdict === 'proved') return { outcome: 'as-expected', actual, message: `${actual} as expected` };
    return said('unexpected-violation', r.property ? `: ${violationText(r.property)}` : '');
  }
  if (expect === 'proved:any') {
    if (r.verdict === 'proved' && r.proof?.anyMembers) return { outcome: 'as-expected', actual: 'proved:any', message: `proved for any number of ${r.proof.anyMembers} as expected` };
    if (r.verdict === 'pass' || r.verdict === 'proved') return said('inconclusive', ' (not a proof for any number of threads)');
    return said('unexpected-violation', r.property ? `: ${violationText(r.property)}` : '');
  }
  if (expect === 'proved') {
    if (r.verdict === 'proved') return { outcome: 'as-expected', actual, message: 'proved as expected' };
    if (r.verdict === 'pass') return said('inconclusive', ' (exhaustive within bounds, but no proof for all depths)');
    return said('unexpected-violation', r.property ? `: ${violationText(r.property)}` : '');
  }
  const want = expect.slice('violation:'.length);
  if (r.verdict === 'violation') {
    if (r.property?.id === want) return { outcome: 'as-expected', actual, message: `violation of ${want} as expected` };
    return said('unexpected-violation', r.property ? `: ${violationText(r.property)}` : '');
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

export function makeReport(checks: CheckReport[], seconds: number, shard?: ShardInfo): CiReport {
  const summary = { total: checks.length, seconds: Math.round(seconds * 1000) / 1000 } as CiReport['summary'];
  for (const o of ['as-expected', ...SEVERITY] as Outcome[]) summary[o] = checks.filter((c) => c.outcome === o).length;
  return { version: CI_REPORT_VERSION, ...(shard ? { shard } : {}), checks, summary, exitCode: exitCodeFor(checks) };
}

/** Shard reports that do not add up to one run (a shard missing, given twice, or from another run). */
export class MergeError extends Error {}

/**
 * Combine the reports of every shard of one run into the report of the whole run, in config
 * order. Refuses (MergeError) a report without a shard, shards of different counts or configs,
 * a shard given twice or missing, and a check in two shards. `sources` name the reports in messages.
 */
export function mergeReports(reports: CiReport[], sources: string[] = reports.map((_, i) => `report ${i + 1}`)): CiReport {
  const all: CheckReport[] = [];
  const seen = new Set<number>();
  const byIndex = new Map<number, string>();
  const first = reports[0]?.shard;
  reports.forEach((r, i) => {
    const src = sources[i];
    if (r.version !== CI_REPORT_VERSION) throw new MergeError(`${src}: cannot merge a report of version ${String(r.version)}; expected ${CI_REPORT_VERSION}`);
    const sh = r.shard;
    if (!sh) throw new MergeError(`${src}: not a shard report (it was run without --shard); merge combines the reports of 'protocheck ci --shard i/n --json'`);
    if (sh.count !== first!.count) throw new MergeError(`${src} is shard ${sh.index}/${sh.count}, but ${sources[0]} is ${first!.index}/${first!.count}: shards of different runs`);
    if (sh.checks !== undefined && first!.checks !== undefined && sh.checks !== first!.checks) {
      throw new MergeError(`${src} is from a config of ${sh.checks} checks, ${sources[0]} of ${first!.checks}: shards of different runs`);
    }
    const twin = byIndex.get(sh.index);
    if (twin !== undefined) throw new MergeError(`shard ${sh.index}/${sh.count} given twice (${twin} and ${src}); give each shard once`);
    byIndex.set(sh.index, src);
    for (const c of r.checks) {
      if (seen.has(c.index)) throw new MergeError(`check ${c.index} (${c.name}) appears in two reports; were shards run twice?`);
      seen.add(c.index);
      all.push(c);
    }
  });
  if (first) {
    const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length) {
      throw new MergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.count}`).join(', ')} missing (given: ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${first.count}`).join(', ')}); merge needs every shard of the run`);
    }
    if (first.checks !== undefined && all.length !== first.checks) {
      throw new MergeError(`the shards hold ${all.length} checks, but the run had ${first.checks}; were they made from the same config?`);
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

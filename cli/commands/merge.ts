/**
 * `protocheck merge a.json b.json …`: combine the `ci --shard i/n --json` reports of a CI
 * matrix into one report (per-check rows and the summary, as `ci` prints them; or JSON, JUnit,
 * SARIF) with the exit code of the whole run. Every shard of the run must be given exactly once:
 * a missing or repeated shard is an error (exit 65), never a smaller green report.
 */
import type { Command } from 'commander';
import { mergeReports, MergeError, type CiReport } from '../ci/report.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';
import type { CliContext } from '../main.ts';
import { finish } from './ci.ts';
import { checkLine, checkReportOutputs, nameWidth } from './ci-output.ts';
import { readJsonInput } from '../../counterexamples/input.ts';

export function register(program: Command, ctx: CliContext): void {
  program.command('merge')
    .description('combine shard reports (from `ci --shard i/n --json`) into one; every shard must be given once')
    .argument('<reports...>', 'shard report JSON files')
    .option('--json', 'print the merged report as JSON')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--sarif <file>', 'write a SARIF 2.1.0 log')
    .option('--force', 'overwrite existing --junit/--sarif files')
    .action((files: string[], flags: { json?: boolean; junit?: string; sarif?: string; force?: boolean }) => {
      checkReportOutputs(flags);
      const reports = files.map((f) => readJsonInput(f, 'ci-report.schema.json', 'shard report') as CiReport);
      let merged;
      try {
        merged = mergeReports(reports, files);
      } catch (err) {
        if (err instanceof MergeError) throw new CliError(err.message, EXIT.badOption);
        throw err;
      }
      if (!flags.json) {
        const w = nameWidth(merged.checks);
        for (const c of merged.checks) ctx.stdout.write(checkLine(c, ctx.color, w) + '\n');
      }
      finish(merged, flags, ctx);
    });
}

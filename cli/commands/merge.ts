/**
 * `protocheck merge a.json b.json …`: combine the `ci --shard i/n --json` reports of a CI
 * matrix into one report (text, JSON, JUnit, SARIF) with the exit code of the whole run.
 */
import type { Command } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { mergeReports, MergeError, type CiReport } from '../ci/report.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';
import type { CliContext } from '../main.ts';
import { finish } from './ci.ts';

export function register(program: Command, ctx: CliContext): void {
  program.command('merge')
    .description('combine shard reports (from `ci --shard i/n --json`) into one')
    .argument('<reports...>', 'shard report JSON files')
    .option('--json', 'print the merged report as JSON')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--sarif <file>', 'write a SARIF 2.1.0 log')
    .option('--force', 'overwrite existing --junit/--sarif files')
    .action((files: string[], flags: { json?: boolean; junit?: string; sarif?: string; force?: boolean }) => {
      const reports = files.map((f): CiReport => {
        if (!existsSync(f)) throw new CliError(`report not found: ${f}`, EXIT.modelNotFound);
        try {
          const r = JSON.parse(readFileSync(f, 'utf8'));
          if (!r || !Array.isArray(r.checks)) throw new Error('no "checks" array');
          return r;
        } catch (err) {
          throw new CliError(`${f}: not a protocheck ci report (${(err as Error).message.split('\n')[0]}); produce it with 'protocheck ci --json'`, EXIT.badOption);
        }
      });
      let merged;
      try {
        merged = mergeReports(reports);
      } catch (err) {
        if (err instanceof MergeError) throw new CliError(err.message, EXIT.badOption);
        throw err;
      }
      finish(merged, flags, ctx);
    });
}

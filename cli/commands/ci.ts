/**
 * `protocheck ci`: run a config of checks (or every built-in variant with `--builtin`, which is
 * what `npm start` does), compare each verdict with its expectation, and exit with the code of
 * the most severe outcome. Writes JUnit/SARIF/JSON on request; GitHub annotations when
 * GITHUB_ACTIONS=true.
 */
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { findConfig, loadConfig, resolveChecks, checkLabel, ConfigError, type ResolvedCheck } from '../ci/config.ts';
import { runChecks, type CiRunner } from '../ci/run.ts';
import { parseShard, type CiReport, type CheckReport } from '../ci/report.ts';
import { builtinModels } from '../../model/registry.ts';
import { loadModelDef, isPathSpec } from '../load.ts';
import { exampleChecks } from '../ci/examples.ts';
import type { ModelDef } from '../../model/lang/define.ts';
import { runEngine } from '../../checker/engines.ts';
import { EngineHost } from '../interruptible.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';
import type { CliContext } from '../main.ts';
import { writeReportOutputs, checkReportOutputs, reportText, checkLine, nameWidth } from './ci-output.ts';
import { positiveInt } from './options.ts';
import { progressReporter } from '../progress.ts';

interface CiFlags {
  config?: string;
  builtin?: boolean;
  shard?: string;
  json?: boolean;
  junit?: string;
  sarif?: string;
  force?: boolean;
  maxStates?: number;
}

/** Every built-in variant at its default bounds, expecting what the variant declares; then the examples/ files' variants. */
export function builtinChecks(): ResolvedCheck[] {
  return [...builtinModels.flatMap((d) => d.variants.flatMap((v) => [{ expect: v.expect }, ...(v.also ?? [])].map((x) => ({
    name: `${d.name}/${v.name}${checkLabel(x)}`, model: d.name, variant: v.name, expect: x.expect, engine: 'explicit' as const, baseDir: process.cwd(),
    ...('classes' in x && x.classes ? { classes: x.classes } : {}), ...('forget' in x && x.forget === false ? { forget: false as const } : {}),
  })))), ...exampleChecks()];

}

/** The runner `ci` uses: built-in or file models, any engine, progress on stderr, one row per check when `print`, names padded to `width`. */
export function ciRunner(ctx: CliContext, print: boolean, width = 40, host?: EngineHost): CiRunner {
  const defs = new Map<string, Promise<ModelDef>>();
  return {
    // A file's variants share one load: type-checking a model file takes a second or two.
    loadDef: (spec, baseDir) => {
      const key = isPathSpec(spec) ? resolve(baseDir, spec) : spec;
      let def = defs.get(key);
      if (!def) { def = loadModelDef(spec, baseDir); defs.set(key, def); }
      return def;
    },
    run: async (model, check, variant) => {
      const progress = progressReporter(ctx.stderr);
      const opts = { variant, maxStates: check.maxStates, maxSeconds: check.maxSeconds, depth: check.depth, onProgress: progress.update, ...(check.anyMembers ? { anyMembers: check.anyMembers } : {}) };
      try {
        return host ? await host.run(model, check.engine, opts, progress.update, check.name) : await runEngine(model, check.engine, opts);
      } finally {
        progress.done();
      }
    },
    onCheck: print ? (c: CheckReport) => ctx.stdout.write(checkLine(c, ctx.color, width) + '\n') : undefined,
  };
}

export function register(program: Command, ctx: CliContext): void {
  program.command('ci')
    .description('run the checks of a config and compare each verdict with its expectation')
    .option('--config <file>', 'protocheck.config.json or .ts (default: the one in the current directory)')
    .option('--builtin', 'check every built-in model variant against its declared expectation')
    .option('--shard <i/n>', 'run only shard i of n (deterministic split)')
    .option('--max-states <n>', 'default --max-states for every check', positiveInt)
    .option('--json', 'print the report as JSON instead of text')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--sarif <file>', 'write a SARIF 2.1.0 log')
    .option('--force', 'overwrite existing --junit/--sarif files')
    .action(async (flags: CiFlags) => {
      checkReportOutputs(flags);
      let checks: ResolvedCheck[];
      if (flags.builtin) {
        if (flags.config) throw new CliError('give either --builtin or --config, not both', EXIT.usage);
        checks = builtinChecks();
      } else {
        const file = flags.config ?? findConfig(process.cwd());
        if (!file) throw new CliError('no protocheck.config.ts or protocheck.config.json here; pass --config FILE, or --builtin for the built-in models', EXIT.usage);
        try {
          const cfg = await loadConfig(file);
          checks = resolveChecks(cfg, dirname(resolve(file)));
        } catch (err) {
          if (err instanceof ConfigError) throw new CliError(err.message, EXIT.badOption);
          throw err;
        }
      }
      if (flags.maxStates) checks = checks.map((c) => ({ ...c, maxStates: c.maxStates ?? flags.maxStates }));
      let shard;
      try {
        shard = flags.shard ? parseShard(flags.shard) : undefined;
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.usage);
      }
      // One engine worker for every check, so Ctrl-C stops the run with what it reached.
      const host = new EngineHost();
      let report: CiReport;
      try {
        report = await runChecks(checks, ciRunner(ctx, !flags.json, nameWidth(checks), host), shard);
      } finally {
        await host.close();
      }
      finish(report, flags, ctx);
    });
}

/** Print and write a finished report, and set the exit code (shared with `merge`). */
export function finish(report: CiReport, flags: { json?: boolean; junit?: string; sarif?: string; force?: boolean }, ctx: CliContext): void {
  writeReportOutputs(report, flags);
  if (flags.json) ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else ctx.stdout.write(reportText(report, ctx.color) + '\n');
  ctx.setExit(report.exitCode);
}

/**
 * `protocheck replay <model> <trace.itf.json>`: check a trace made elsewhere (ITF) against a
 * model step by step and report the first step that is not a legal transition, with the
 * reason. The variant and bounds default to the ones recorded in the trace's `#meta` (as
 * protocheck writes them), else the model's defaults. Exit 0: every step is legal; 1: a step
 * is not; 71: the file is malformed (the message names the JSON path).
 */
import type { Command } from 'commander';
import { loadModelDef, buildVariant } from '../load.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';
import { boundPair, recordedBound, removedThreadsOption, resolveBounds } from './options.ts';
import type { CliContext } from '../main.ts';
import { readInputText } from '../../counterexamples/input.ts';
import { parseItf, replayItf, replayReportText } from '../../counterexamples/replay-itf.ts';

interface ReplayFlags {
  variant?: string;
  bound?: Record<string, number>;
  json?: boolean;
  typecheck?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program.command('replay')
    .description('replay an ITF trace against a model, step by step')
    .argument('<model>', 'a built-in model name or a path to a model file')
    .argument('<trace>', 'an ITF trace file (.itf.json)')
    .option('--variant <name>', 'the variant (default: the one in the trace\'s #meta, else the first)')
    .option('--bound <name=value>', 'set any bound of the model (default: from the trace\'s #meta; repeatable)', boundPair)
    .addOption(removedThreadsOption())
    .option('--json', 'print the replay report as JSON')
    .option('--no-typecheck', 'load a model file without type-checking it first')
    .action(async (spec: string, file: string, flags: ReplayFlags) => {
      const itf = parseItf(readInputText(file, 'trace file'), file);
      const def = await loadModelDef(spec, process.cwd(), { typecheck: flags.typecheck });
      const meta = (itf['#meta'] ?? {}) as { model?: { variant?: unknown }; bounds?: Record<string, unknown> };
      const metaVariant = typeof meta.model?.variant === 'string' ? meta.model.variant : undefined;
      // A variant the trace names but the model lacks is an error, never silently the first one.
      if (!flags.variant && metaVariant !== undefined && !def.variants.some((v) => v.name === metaVariant)) {
        throw new CliError(`${file}: its #meta names variant '${metaVariant}', which model ${def.name} does not have (it has: ${def.variants.map((v) => v.name).join(', ')}); pass --variant to choose one`, EXIT.badOption);
      }
      const variant = flags.variant ?? metaVariant ?? def.variants[0].name;
      // Bounds from #meta that no flag overrides, checked under their own name (not a flag the user never typed).
      // A trace written before a bound was renamed (mm's `threads`, now `senders`) still replays.
      const fromMeta: Record<string, number> = {};
      for (const b of def.bounds) {
        const x = recordedBound(def, meta.bounds, b.name);
        if (typeof x === 'number' && Number.isInteger(x) && flags.bound?.[b.name] === undefined) fromMeta[b.name] = x;
      }
      try {
        resolveBounds(def, fromMeta, (k) => `${file}: #meta.bounds.${k}`);
      } catch (err) {
        if (err instanceof CliError) throw new CliError(`${err.message}; pass --bound to override it`, err.exitCode);
        throw err;
      }
      const bounds = resolveBounds(def, { ...fromMeta, ...flags.bound });
      const model = buildVariant(def, variant, bounds);
      const report = replayItf(model, itf, file);
      const name = `${def.name}/${variant}`;
      ctx.stdout.write((flags.json ? JSON.stringify({ model: name, bounds, ...report }, null, 2) : replayReportText(report, name)) + '\n');
      ctx.setExit(report.ok ? EXIT.pass : EXIT.violation);
    });
}

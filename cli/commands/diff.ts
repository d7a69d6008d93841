/**
 * `protocheck diff <model> --old V --new V` (two variants) or `protocheck diff <old.ts> <new.ts>`
 * (two model files): every property checked separately on both sides, what the change did to
 * each, rows folded by root cause and grouped by class, the witness of every changed row, and a
 * one-line summary. Exit code: 1 when the new side violates a property (a lost capability or a
 * violation only through mem::forget aside), else 2 when a new-side row is inconclusive, else 0.
 */
import type { Command } from 'commander';
import { loadModelDef, buildVariant } from '../load.ts';
import { diffModels, type DiffSide } from '../../checker/diff.ts';
import { diffText } from '../../counterexamples/diff-text.ts';
import { EXIT } from '../../checker/result.ts';
import { boundsText } from '../../counterexamples/verdict-text.ts';
import { boundPair, positiveInt, removedThreadsOption, resolveBounds } from './options.ts';
import type { CliContext } from '../main.ts';

interface DiffFlags {
  old?: string;
  new?: string;
  bound?: Record<string, number>;
  maxStates?: number;
  json?: boolean;
  brief?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program.command('diff')
    .description('old API against new: check every property on both sides and say what changed')
    .argument('<old>', 'a model (built-in name or file)')
    .argument('[new]', 'a second model file (default: the same model, with --old/--new variants)')
    .option('--old <variant>', 'variant of the old side (default: its first)')
    .option('--new <variant>', 'variant of the new side (default: its first)')
    .option('--bound <name=value>', 'set a bound of both sides (repeatable)', boundPair)
    .addOption(removedThreadsOption())
    .option('--max-states <n>', 'per-run state limit (a run cut short makes its row inconclusive)', positiveInt)
    .option('--json', 'print the comparison as JSON')
    .option('--brief', 'leave out the witness (shortest trace) of each changed row')
    .action(async (oldSpec: string, newSpec: string | undefined, flags: DiffFlags) => {
      const oldDef = await loadModelDef(oldSpec);
      const newDef = newSpec ? await loadModelDef(newSpec) : oldDef;
      const ov = flags.old ?? oldDef.variants[0].name, nv = flags.new ?? newDef.variants[0].name;
      const oldBounds = resolveBounds(oldDef, flags.bound);
      const newBounds = resolveBounds(newDef, flags.bound);
      const d = diffModels(buildVariant(oldDef, ov, oldBounds), buildVariant(newDef, nv, newBounds), { maxStates: flags.maxStates });
      const title = `diff ${oldDef.name}/${ov} → ${newDef.name}/${nv} (bounds: ${boundsText(newBounds)})`;
      ctx.stdout.write((flags.json ? JSON.stringify({ old: { model: oldDef.name, variant: ov, bounds: oldBounds }, new: { model: newDef.name, variant: nv, bounds: newBounds }, ...d }, null, 2) : diffText(title, d, { brief: flags.brief })) + '\n');
      // A lost capability or a leak only through mem::forget (safe Rust may forget) is reported, not a failure.
      const newSides = d.rows.filter((r) => r.class !== 'capability').map((r) => r.new).filter((s): s is DiffSide => Boolean(s));
      if (newSides.some((s) => s.verdict === 'violation' && !s.onlyThroughForget)) ctx.setExit(EXIT.violation);
      else if (newSides.some((s) => s.verdict !== 'pass' && s.verdict !== 'proved')) ctx.setExit(EXIT.inconclusive);
      else ctx.setExit(EXIT.pass);
    });
}

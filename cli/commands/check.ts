/**
 * `protocheck check <model | path/to/model.ts>`: check one variant and print the verdict, the
 * bounds, the figures and any trace (or the Result as JSON). The exit code is the verdict's.
 */
import type { Command } from 'commander';
import { loadModelDef, buildVariant } from '../load.ts';
import { loadWithin } from '../load-watchdog.ts';
import type { CheckOptions } from '../../checker/check.ts';
import { EngineHost } from '../interruptible.ts';
import { exitCodeOf, type Result } from '../../checker/result.ts';
import { positiveInt, positiveSeconds, variantOptions, pickVariant, defaultWorkers, workersCount, engineOption, depthOption, type VariantFlags } from './options.ts';
import type { CliContext } from '../main.ts';
import { progressReporter } from '../progress.ts';
import { renderText } from '../../counterexamples/render-text.ts';
import { checkOutDir, writeAllFormats } from '../../counterexamples/write-all.ts';
import type { SymbolicEngine } from '../../checker/symbolic/engine.ts';
import { ctiText, invariantFile, proofText } from '../../counterexamples/symbolic-text.ts';
import { grownModel, smallerModel, takeAnyBound } from './any-bound.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolate, propertyIds } from '../../properties/isolate.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../../checker/result.ts';
import type { Model } from '../../model/lang/ir.ts';

export interface CheckFlags extends VariantFlags {
  maxStates?: number;
  maxSeconds?: number;
  maxMemory?: number;
  json?: boolean;
  typecheck?: boolean;
  out?: string;
  force?: boolean;
  full?: boolean;
  engine?: 'explicit' | SymbolicEngine;
  depth?: number;
  smtTimeout?: number;
  property?: string[];
  symmetry?: boolean;
  workers?: number;
  fingerprint?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  variantOptions(program.command('check')
    .description('check one model variant exhaustively within its bounds')
    .argument('<model>', 'a built-in model name (see `protocheck list`) or a path to a model file'))
    .option('--max-states <n>', 'stop as incomplete after this many states', positiveInt)
    .option('--max-seconds <s>', 'stop as incomplete after this many seconds', positiveSeconds)
    .option('--max-memory <mb>', 'stop as incomplete when stored states pass this many MiB (default 4096)', positiveInt)
    .option('--json', 'print the result as JSON (schema: schema/result.schema.json)')
    .option('--no-typecheck', 'load a model file without type-checking it first')
    .option('--out <dir>', 'write the result in every format (JSON, ITF, text, Mermaid, DOT, HTML, Chrome trace) into this directory')
    .option('--force', 'with --out: replace existing files')
    .option('--full', 'print the whole state after every step of the trace, and every conjunct of a proved invariant')
    .option('--no-symmetry', 'store every state, not one per orbit of the interchangeable members the model declares')
    .option('--engine <name>', 'explicit (BFS), bmc (Z3, bounded), induction (Z3 k-induction), pdr (an inductive invariant: Spacer, else IC3 guided by the explicit search) or auto (the default: explicit, then pdr to upgrade pass to proved)', engineOption)
    .option('--depth <k>', 'bmc: longest trace checked (default 10); induction: largest k tried (default 20)', depthOption)
    .option('--property <id>', 'check only this property (repeatable; a step breaking another unsound or liveness requires is not taken, so the witness shows it first)', collect)
    .option('--smt-timeout <ms>', 'per-query Z3 timeout in milliseconds (a timeout gives unknown, never pass)', positiveInt)
    .option('--workers <n>', 'threads of the explicit search (default: the cores, at most 8; a search starts on one thread and hands over to the others once it has run 0.25 s and still grows; results are the same for every N)', workersCount)
    .option('--fingerprint', 'explicit engine, one thread: store a 64-bit hash per state instead of the state (hash compaction: far less memory; a state may be omitted with the probability printed, so a pass is probabilistic; a violation\'s trace is real)')
    .action(async (spec: string, flags: CheckFlags) => {
      fingerprintFlags(flags);
      if (flags.out) checkOutDir(flags.out, flags.force);
      // The engine's worker boots while the model loads.
      const host = new EngineHost();
      try {
        await checkWith(host, spec, flags, ctx);
      } finally {
        await host.close();
      }
    });
}

/** Load, build and check one model (each target of `--property` in turn) on `host`, then print. */
async function checkWith(host: EngineHost, spec: string, flags: CheckFlags, ctx: CliContext): Promise<void> {
  if (flags.maxSeconds) await loadWithin(spec, flags.maxSeconds, { variant: flags.variant, bounds: { ...flags.bound } });
  const def = await loadModelDef(spec, process.cwd(), { typecheck: flags.typecheck });
  const anyBound = takeAnyBound(def, flags, flags.engine ?? 'auto'); // --bound NAME=any: any-bound.ts
  const { variant, bounds } = pickVariant(def, flags);
  const model = buildVariant(def, variant, bounds);
  const anyMembers = anyBound === undefined ? undefined : {
    bound: anyBound, min: def.bounds.find((b) => b.name === anyBound)!.min,
    grown: grownModel(def, variant, bounds, anyBound, model, (b) => buildVariant(def, variant, b)),
    ...smallerModel(def, bounds, anyBound, (b) => buildVariant(def, variant, b)),
  };
  const progress = progressReporter(ctx.stderr);
  const opts: CheckOptions = {
    ...(flags.fingerprint ? { fingerprint: true } : {}),
    variant, maxStates: flags.maxStates, maxSeconds: flags.maxSeconds, symmetry: flags.symmetry !== false,
    workers: flags.workers ?? defaultWorkers(),
    ...(flags.maxMemory ? { maxBytes: flags.maxMemory * 2 ** 20 } : {}),
    ...(def.name !== spec ? { file: spec } : {}),
    onProgress: progress.update,
  };
  const selected = flags.property ?? [];
  if (selected.length > 1 && flags.out) throw new CliError('--out takes one --property at a time (or none)', EXIT.usage);
  const targets: { model: Model; property?: string }[] = selected.length
    ? selectProperties(model, selected).map((id) => ({ model: isolate(model, [id]), property: id }))
    : [{ model }];
  const results: Result[] = [];
  const texts: string[] = [];
  for (const t of targets) {
    let result: Result;
    try {
      result = await host.run(t.model, flags.engine ?? 'auto', { ...opts, depth: flags.depth, smtTimeoutMs: flags.smtTimeout, ...(anyMembers ? { anyMembers } : {}) }, progress.update,
        `${model.name}/${variant}${t.property ? ` [only ${t.property}]` : ''}`);
    } finally {
      progress.done();
    }
    if (t.property) result.checkedProperties = [t.property];
    if (flags.out) {
      for (const w of writeAllFormats(result, t.model, flags.out, { force: flags.force })) {
        ctx.stderr.write(w.skipped ? `skipped ${w.file}: ${w.skipped}\n` : `wrote ${w.file}\n`);
      }
      const inv = invariantFile(result);
      if (inv) {
        writeFileSync(join(flags.out, 'invariant.txt'), inv);
        ctx.stderr.write(`wrote ${join(flags.out, 'invariant.txt')}\n`);
      }
    }
    results.push(result);
    // --json prints the Result alone: the text form is not built (a 100,000-step trace is large).
    if (!flags.json) texts.push(renderText(result, t.model, { full: flags.full, color: ctx.color }) + ctiText(result) + (result.engine === 'auto' ? '' : proofText(result, { full: flags.full })));
  }
  const json = results.length === 1 ? results[0] : results;
  ctx.stdout.write((flags.json ? JSON.stringify(json, null, 2) : texts.join('\n\n')) + '\n');
  ctx.setExit(worstExit(results));
}

/**
 * `--fingerprint` is hash compaction in the one-thread explicit search: with another engine, or
 * with more than one worker, a usage error naming the fix; without `--engine` it selects explicit.
 */
function fingerprintFlags(flags: CheckFlags): void {
  if (!flags.fingerprint) return;
  if (flags.engine !== undefined && flags.engine !== 'explicit') {
    throw new CliError(`--fingerprint works with the explicit engine only: drop --engine ${flags.engine} (or use --engine explicit)`, EXIT.usage);
  }
  if (flags.workers !== undefined && flags.workers > 1) {
    throw new CliError(`--fingerprint searches with one thread: drop --workers ${flags.workers} (or use --workers 1)`, EXIT.usage);
  }
  flags.engine = 'explicit';
  flags.workers = 1;
}

function collect(value: string, prev: string[] = []): string[] {
  return [...prev, value];
}

/** The ids asked for, each checked against the model's properties (one-line error naming the known ones). */
function selectProperties(model: Model, ids: string[]): string[] {
  const known = propertyIds(model);
  for (const id of ids) {
    if (!known.includes(id)) {
      throw new CliError(`--property ${id}: model ${model.name} has no such property (its properties: ${known.join(', ')}; see 'protocheck properties ${model.name}')`, EXIT.badOption);
    }
  }
  return [...new Set(ids)];
}

/** Exit code of several results: any violation, else anything inconclusive, else pass. */
function worstExit(results: Result[]): number {
  const codes = results.map((r) => exitCodeOf(r.verdict));
  for (const c of [EXIT.internal, EXIT.violation, EXIT.inconclusive]) if (codes.includes(c)) return c;
  return EXIT.pass;
}

/**
 * `protocheck export <result.json> --format F`: convert a saved result (`check --json`, or
 * result.json from `check --out`) to one format on stdout or into `--out FILE`; `--format all
 * --out DIR` writes every format. The input is validated against schema/result.schema.json
 * (exit 71 naming the JSON path at fault); existing files are kept unless `--force`.
 */
import { Option, type Command } from 'commander';
import type { Result } from '../../checker/result.ts';
import type { CliContext } from '../main.ts';
import { readJsonInput } from '../../counterexamples/input.ts';
import { FORMATS, OutputError, checkOutDir, formatResult, writeAllFormats, type Format } from '../../counterexamples/write-all.ts';
import { checkOutputFile, writeOutput } from '../../counterexamples/output-path.ts';
import { EXIT } from '../../checker/result.ts';

const CHOICES = [...FORMATS.filter((f) => f !== 'states-dot'), 'all'];

interface ExportFlags {
  format: Format | 'all';
  out?: string;
  force?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program.command('export')
    .description('convert a saved result to ITF, JSON, text, Mermaid, DOT, HTML or Chrome trace JSON')
    .argument('<result>', 'a result file written by `check --json` or `check --out`')
    .addOption(new Option('--format <format>', 'the output format').choices(CHOICES).makeOptionMandatory())
    .option('--out <path>', 'write to this file (a directory for --format all) instead of stdout')
    .option('--force', 'overwrite existing files')
    .action(async (file: string, flags: ExportFlags) => {
      if (flags.format === 'all') {
        if (!flags.out) throw new OutputError('--format all writes one file per format: give --out DIR', EXIT.badOption);
        checkOutDir(flags.out, flags.force);
      } else if (flags.out) {
        checkOutputFile(flags.out, { flag: '--out', force: flags.force });
      }
      const result = readJsonInput(file, 'result.schema.json', 'result file') as Result;
      if (flags.format === 'all') {
        const written = writeAllFormats(result, undefined, flags.out!, { force: flags.force });
        for (const w of written) ctx.stderr.write(w.skipped ? `skipped ${w.file}: ${w.skipped}\n` : `wrote ${w.file}\n`);
        return;
      }
      const text = formatResult(result, flags.format);
      if (!flags.out) { ctx.stdout.write(text); return; }
      writeOutput(flags.out, text, '--out');
      ctx.stderr.write(`wrote ${flags.out}\n`);
    });
}

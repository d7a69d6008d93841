/**
 * `protocheck list [model]`: every built-in model (or one: a built-in name or a model file) with
 * its variants (what each expects) and its bounds (default and allowed range).
 */
import type { Command } from 'commander';
import { builtinModels } from '../../model/registry.ts';
import type { ModelDef } from '../../model/lang/define.ts';
import { loadModelDef } from '../load.ts';
import type { CliContext } from '../main.ts';

export function register(program: Command, ctx: CliContext): void {
  program.command('list')
    .description('list the built-in models (or one model: a built-in name or a model file), their variants and bounds')
    .argument('[model]', 'a built-in model name or a path to a model file (default: every built-in model)')
    .option('--json', 'print as JSON')
    .option('--no-typecheck', 'load a model file without type-checking it first')
    .action(async (spec: string | undefined, flags: { json?: boolean; typecheck?: boolean }) => {
      const defs: ModelDef[] = spec === undefined ? builtinModels : [await loadModelDef(spec, process.cwd(), { typecheck: flags.typecheck })];
      if (flags.json) {
        const data = defs.map((d) => ({ name: d.name, doc: d.doc, variants: d.variants, bounds: d.bounds }));
        ctx.stdout.write(JSON.stringify(spec === undefined ? data : data[0], null, 2) + '\n');
        return;
      }
      const lines: string[] = [];
      for (const d of defs) {
        lines.push(`${d.name} — ${d.doc}`);
        const bounds = d.bounds.map((b) => `${b.name}=${b.default} (${b.min}..${b.max}: ${b.doc})`).join('; ') || 'none';
        lines.push(`  bounds: ${bounds}`);
        const w = d.variants.reduce((m, v) => Math.max(m, v.name.length), 0);
        for (const v of d.variants) lines.push(`  ${v.name.padEnd(w)}  ${v.doc}  [expect ${v.expect}]`);
        lines.push('');
      }
      ctx.stdout.write(lines.join('\n'));
    });
}

/**
 * `protocheck list`: every built-in model with its variants (what each expects) and its bounds
 * (default and allowed range).
 */
import type { Command } from 'commander';
import { builtinModels } from '../../model/registry.ts';
import type { CliContext } from '../main.ts';

export function register(program: Command, ctx: CliContext): void {
  program.command('list')
    .description('list the built-in models, their variants and default bounds')
    .option('--json', 'print as JSON')
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        const data = builtinModels.map((d) => ({ name: d.name, doc: d.doc, variants: d.variants, bounds: d.bounds }));
        ctx.stdout.write(JSON.stringify(data, null, 2) + '\n');
        return;
      }
      const lines: string[] = [];
      for (const d of builtinModels) {
        lines.push(`${d.name} — ${d.doc}`);
        const bounds = d.bounds.map((b) => `${b.name}=${b.default} (${b.min}..${b.max}: ${b.doc})`).join('; ') || 'none';
        lines.push(`  bounds: ${bounds}`);
        const w = Math.max(...d.variants.map((v) => v.name.length));
        for (const v of d.variants) lines.push(`  ${v.name.padEnd(w)}  ${v.doc}  [expect ${v.expect}]`);
        lines.push('');
      }
      ctx.stdout.write(lines.join('\n'));
    });
}

/**
 * `protocheck properties [MODEL]`: every property of a model variant with its kind, class,
 * where it is declared and what it says; without a model, the kernel property catalogue with
 * what the kernel does at each point.
 */
import type { Command } from 'commander';
import { loadModelDef, buildVariant } from '../load.ts';
import { describeProperties, type PropertyInfo } from '../../properties/describe.ts';
import { CATALOGUE } from '../../properties/catalogue/index.ts';
import { formatLoc } from '../../model/lang/source.ts';
import { variantOptions, pickVariant, type VariantFlags } from './options.ts';
import type { CliContext } from '../main.ts';
import { table } from '../../counterexamples/table.ts';

interface PropertiesFlags extends VariantFlags {
  json?: boolean;
}

function where(p: PropertyInfo): string {
  if (!p.locations.length) return '(generated)';
  const more = p.locations.length - 1;
  return `${formatLoc(p.locations[0])}${more ? ` (+${more} more)` : ''}`;
}

export function register(program: Command, ctx: CliContext): void {
  variantOptions(program.command('properties')
    .description("list a model's properties (class, kind, where declared), or the kernel property catalogue")
    .argument('[model]', 'a built-in model name or a model file (default: the catalogue)'))
    .option('--json', 'print as JSON')
    .action(async (spec: string | undefined, flags: PropertiesFlags) => {
      if (!spec) {
        if (flags.json) { ctx.stdout.write(JSON.stringify(CATALOGUE, null, 2) + '\n'); return; }
        const lines = table([['id', 'kind', 'class', 'message'], ...CATALOGUE.map((e) => [e.id, e.kind, e.class, e.message])]);
        const out = [lines[0]];
        CATALOGUE.forEach((e, i) => out.push(lines[i + 1], `    kernel: ${e.kernel}`));
        out.push(`${CATALOGUE.length} kernel properties`);
        ctx.stdout.write(out.join('\n') + '\n');
        return;
      }
      const def = await loadModelDef(spec);
      const { variant, bounds } = pickVariant(def, flags);
      const model = buildVariant(def, variant, bounds);
      const props = describeProperties(model);
      if (flags.json) {
        ctx.stdout.write(JSON.stringify({ model: def.name, variant, properties: props }, null, 2) + '\n');
        return;
      }
      const rows = [['id', 'kind', 'class', 'declared at', 'message'], ...props.map((p) => [p.id, p.kind, p.class, where(p), p.message])];
      ctx.stdout.write([`${def.name}/${variant}: ${props.length} properties`, ...table(rows)].join('\n') + '\n');
    });
}

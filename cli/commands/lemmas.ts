/**
 * `protocheck lemmas [group]`: prove or refute the built-in bit-vector lemmas (address
 * arithmetic: PAGE_MASK, page_align, Binder's freed page ranges). Exit code: 0 when every
 * lemma gives its expected verdict, 1 when a lemma expected to hold is refuted, 3 when one
 * expected to be refuted holds, 2 when Z3 gave up (unknown).
 */
import type { Command } from 'commander';
import { builtinLemmas, lemmaGroups } from '../../model/lemmas/index.ts';
import { checkLemmas } from '../../checker/symbolic/lemmas.ts';
import { lemmaText } from '../../counterexamples/symbolic-text.ts';
import { EXIT } from '../../checker/result.ts';
import { CliError } from '../errors.ts';
import { positiveInt } from './options.ts';
import type { CliContext } from '../main.ts';

export function register(program: Command, ctx: CliContext): void {
  program.command('lemmas')
    .description('prove or refute the bit-vector lemmas about address arithmetic (Z3)')
    .argument('[group]', `one group of lemmas: ${Object.keys(lemmaGroups).join(', ')} (default: all)`)
    .option('--smt-timeout <ms>', 'per-query Z3 timeout in milliseconds (a timeout gives unknown)', positiveInt)
    .option('--json', 'print the results as JSON')
    .action(async (group: string | undefined, flags: { smtTimeoutMs?: number; json?: boolean }) => {
      if (group !== undefined && !(group in lemmaGroups)) {
        throw new CliError(`no lemma group '${group}' (groups: ${Object.keys(lemmaGroups).join(', ')})`, EXIT.badOption);
      }
      const lemmas = group ? lemmaGroups[group] : builtinLemmas;
      const results = await checkLemmas(lemmas, { smtTimeoutMs: flags.smtTimeoutMs });
      ctx.stdout.write((flags.json ? JSON.stringify(results, null, 2) : lemmaText(results)) + '\n');
      const code = results.some((r) => r.verdict === 'refuted' && r.expect === 'proved') ? EXIT.violation
        : results.some((r) => r.verdict === 'unknown') ? EXIT.inconclusive
          : results.some((r) => !r.asExpected) ? EXIT.expectationMissed : EXIT.pass;
      ctx.setExit(code);
    });
}

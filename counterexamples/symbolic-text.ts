/**
 * Text for what the symbolic engines add to a result: the counterexample to induction (its
 * start state, the steps to the violation, whether a run reaches it) and lemma results.
 *
 * @example
 * process.stdout.write(ctiText(result) + lemmaText(await checkLemmas(builtinLemmas)));
 */
import type { Result } from '../checker/result.ts';
import type { LemmaResult } from '../checker/symbolic/lemmas.ts';
import { formatLoc } from '../model/lang/source.ts';

function flat(state: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(state).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? flat(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}=${String(v)}`]);
}

/** The CTI of an `unknown` induction (empty when there is none). */
export function ctiText(r: Result): string {
  const c = r.inductionCounterexample;
  if (!c) return '';
  const out = [
    '',
    `  counterexample to induction (k=${c.k}): from this state, ${c.steps.length} step${c.steps.length === 1 ? '' : 's'} break ${c.property.id} (${c.property.kind})`,
    `    state: ${flat(c.state).join(' ')}`,
    ...c.steps.map((s) => `    ${s.index}. ${s.action}${s.thread ? ` [${s.thread}]` : ''}`),
    `    ${c.reachable === 'yes' ? 'REACHABLE' : c.reachable === 'no' ? 'unreachable' : 'reachability unknown'}: ${c.reachableNote}`,
  ];
  if (c.reachable === 'no') out.push('    (a stronger invariant that excludes this state would let the proof go through)');
  return out.join('\n');
}

/** Conjuncts printed without `--full` (a learned invariant may have a thousand). */
export const INVARIANT_SHOWN = 12;

/**
 * The conjuncts worth reading first: linear equalities over several terms (a refcount as the sum
 * of its holders), then two-atom clauses, then single bounds and `#[...] = 0` facts; shorter
 * first within each kind. The domain line of a proof for any number of members stays last.
 */
export function invariantSummary(lines: string[], shown = INVARIANT_SHOWN): { shown: string[]; more: number; domain: string[] } {
  const domain = lines.filter((l) => l.startsWith('every count >= 0'));
  const rest = lines.filter((l) => !l.startsWith('every count >= 0'));
  const kind = (l: string) => (/ [+-] /.test(l) && / = -?\d+$/.test(l) ? 0 : l.includes(' or ') ? 1 : 2);
  const ranked = rest.map((l, i) => ({ l, i })).sort((a, b) => kind(a.l) - kind(b.l) || a.l.length - b.l.length || a.i - b.i);
  const take = ranked.slice(0, shown).sort((a, b) => a.i - b.i).map((x) => x.l);
  return { shown: take, more: rest.length - take.length, domain };
}

/**
 * The inductive invariant of a PDR proof (empty when there is none): every conjunct with `full`,
 * else the INVARIANT_SHOWN most telling ones and a line saying where the rest are.
 * Example: `proofText(result, { full: false })`.
 */
export function proofText(r: Result, opts: { full?: boolean } = {}): string {
  const p = r.proof;
  if (!p) return '';
  const sum = invariantSummary(p.invariant, opts.full ? Infinity : INVARIANT_SHOWN);
  return [
    '',
    p.anyMembers
      ? `  inductive invariant over member counts (${p.invariant.length} conjunct${p.invariant.length === 1 ? '' : 's'}, ${p.method === 'spacer' ? 'Spacer' : 'Houdini on candidates from the reached states'} on the counter abstraction; #[pc=X] is the number of ${p.anyMembers} at X; re-checked: SMT valid${p.recheck.explicitStates ? `, holds in all ${p.recheck.explicitStates} reached states` : ''}):`
      : `  inductive invariant (${p.invariant.length} conjunct${p.invariant.length === 1 ? '' : 's'}, ${p.method === 'spacer' ? 'Spacer' : 'explicit-guided PDR'}; re-checked: SMT valid, holds in all ${p.recheck.explicitStates} reached states):`,
    ...sum.shown.map((c) => `    ${c}`),
    ...(sum.more ? [`    ... and ${sum.more} more conjunct${sum.more === 1 ? '' : 's'} (--full prints them all; --out DIR writes them to DIR/invariant.txt)`] : []),
    ...sum.domain.map((c) => `    ${c}`),
  ].join('\n');
}

/** `invariant.txt` for `--out`: the conjuncts, one a line. */
export function invariantFile(r: Result): string | undefined {
  return r.proof ? `${r.proof.invariant.join('\n')}\n` : undefined;
}

const hexDec = (h: string) => `${h} (${BigInt(h).toString()})`;

/** Lemma results, one block each: verdict, id, what it says, and any counterexample. */
export function lemmaText(rs: LemmaResult[]): string {
  const lines: string[] = [];
  for (const r of rs) {
    const word = r.verdict.toUpperCase();
    const exp = r.asExpected ? (r.verdict === 'refuted' ? ' (expected: it shows a bug)' : '') : ` (EXPECTED ${r.expect.toUpperCase()})`;
    lines.push(`${word.padEnd(8)} ${r.id}${exp}`);
    lines.push(`         ${r.doc}${r.loc ? ` — ${formatLoc(r.loc)}` : ''}`);
    if (r.counterexample && Object.keys(r.counterexample).length) {
      lines.push(`         counterexample: ${Object.entries(r.counterexample).map(([k, v]) => `${k}=${hexDec(v)}`).join(', ')}`);
    }
    if (r.shown && Object.keys(r.shown).length) {
      lines.push(`         values: ${Object.entries(r.shown).map(([k, v]) => `${k}=${hexDec(v)}`).join(', ')}`);
    }
    if (r.reason) lines.push(`         ${r.reason}`);
  }
  const ok = rs.filter((r) => r.asExpected).length;
  lines.push(`${rs.length} lemma${rs.length === 1 ? '' : 's'}: ${ok} as expected, ${rs.length - ok} not`);
  return lines.join('\n');
}

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

/** The inductive invariant of a PDR proof, one conjunct a line (empty when there is none). */
export function proofText(r: Result): string {
  const p = r.proof;
  if (!p) return '';
  return [
    '',
    p.anyMembers
      ? `  inductive invariant over member counts (${p.invariant.length} conjunct${p.invariant.length === 1 ? '' : 's'}, ${p.method === 'spacer' ? 'Spacer' : 'Houdini on candidates from the reached states'} on the counter abstraction; #[pc=X] is the number of ${p.anyMembers} at X; re-checked: SMT valid${p.recheck.explicitStates ? `, holds in all ${p.recheck.explicitStates} reached states` : ''}):`
      : `  inductive invariant (${p.invariant.length} conjunct${p.invariant.length === 1 ? '' : 's'}, ${p.method === 'spacer' ? 'Spacer' : 'explicit-guided PDR'}; re-checked: SMT valid, holds in all ${p.recheck.explicitStates} reached states):`,
    ...p.invariant.map((c) => `    ${c}`),
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

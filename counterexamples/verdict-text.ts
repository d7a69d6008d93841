/**
 * Pieces of a result's text shared by every renderer: the verdict line and the bounds. The
 * whole text form (trace columns and all) is counterexamples/render-text.ts.
 *
 * @example
 * console.log(verdictLine(runCheck(model), false));
 */
import picocolors from 'picocolors';
import type { Result } from '../checker/result.ts';

// Colours are on whenever the caller asks (cli/stdio.ts colorWanted decides: FORCE_COLOR, NO_COLOR, a terminal).
const pc = picocolors.createColors(true);


const VERDICT_WORD: Record<Result['verdict'], string> = {
  pass: 'PASS', proved: 'PROVED', violation: 'VIOLATION', bounded: 'BOUNDED', incomplete: 'INCOMPLETE', unknown: 'UNKNOWN', error: 'ERROR',
};

/** `senders=2, maxStates=1000`. */
export function boundsText(b: Record<string, unknown>): string {
  const parts = Object.entries(b).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

/**
 * What a violated property says happened. A `cover` is violated when its event is never reached,
 * so its message (which describes the event) is framed as such; other messages are as written.
 *
 * @example
 * violationText({ kind: 'cover', message: 'x reaches 3', … }); // 'never reached: no reachable state satisfies "x reaches 3"'
 */
export function violationText(p: { kind: string; message: string }): string {
  return p.kind === 'cover' ? `never reached: no reachable state satisfies "${p.message}"` : p.message;
}

/** A probability in two significant digits: `1.4e-6`, `0` for none. */
export function probabilityText(p: number): string {
  return p === 0 ? '0' : p.toExponential(1);
}

/** One line: what the verdict means, in the words the standards ask for. */
export function verdictLine(r: Result, color = false): string {
  const c = color ? pc : { green: id, red: id, yellow: id, bold: id, dim: id };
  const only = r.checkedProperties?.length ? ` [only ${r.checkedProperties.join(', ')}]` : '';
  const name = `${r.model.name}${r.model.variant ? `/${r.model.variant}` : ''}${only}`;
  const word = VERDICT_WORD[r.verdict];
  switch (r.verdict) {
    case 'pass':
      // A BMC pass is one whose depth is known to reach every reachable state (else it is `bounded`).
      if (r.engine === 'bmc') return `${c.green(c.bold(word))} ${name}: no violation in any reachable state (bounded model checking to ${r.bounds.depth} steps, which reach them all)`;
      // Hash compaction (`check --fingerprint`) may have omitted a state: the pass is probabilistic.
      if (r.fingerprint) return `${c.green(c.bold(`${word} (probabilistic)`))} ${name}: no violation in any reached state (hash compaction: a state omitted with probability ≤ ${probabilityText(r.fingerprint.omissionProbability)})`;
      return `${c.green(c.bold(word))} ${name}: no violation in any reachable state (exhaustive within the bounds)`;
    case 'proved':
      if (r.proof?.anyMembers) return `${c.green(c.bold(word))} ${name}: proved for any number of ${r.proof.anyMembers}, at any depth (inductive invariant over member counts, re-checked)`;
      if (r.proof || r.engine === 'auto') return `${c.green(c.bold(word))} ${name}: no violation in any reachable state, at any depth (inductive invariant, re-checked)`;
      return `${c.green(c.bold(word))} ${name}: no violation in any reachable state, at any depth (k-induction${r.k !== undefined ? `, k=${r.k}` : ''})`;
    case 'bounded':
      return `${c.yellow(c.bold(word))} ${name}: no violation within ${r.bounds.depth} steps (bounded model checking; longer traces were not checked, so this is not a pass)`;
    case 'violation':
      // A cover never reached is a claim about every state, like a pass: probabilistic under hash compaction.
      if (r.fingerprint && r.property?.kind === 'cover') return `${c.red(c.bold(word))} ${name}: ${r.property.id}: ${violationText(r.property)} (probabilistic: hash compaction, a state omitted with probability ≤ ${probabilityText(r.fingerprint.omissionProbability)})`;
      return `${c.red(c.bold(word))} ${name}: ${r.property?.id}: ${r.property ? violationText(r.property) : ''}`;
    default:
      return `${c.yellow(c.bold(word))} ${name}: ${r.reason ?? 'no verdict'}`;
  }
}

function id(s: string): string {
  return s;
}

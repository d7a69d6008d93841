/**
 * Pieces of a result's text shared by every renderer: the verdict line and the bounds. The
 * whole text form (trace columns and all) is counterexamples/render-text.ts.
 *
 * @example
 * console.log(verdictLine(runCheck(model), false));
 */
import pc from 'picocolors';
import type { Result } from '../checker/result.ts';


const VERDICT_WORD: Record<Result['verdict'], string> = {
  pass: 'PASS', proved: 'PROVED', violation: 'VIOLATION', incomplete: 'INCOMPLETE', unknown: 'UNKNOWN', error: 'ERROR',
};

/** `threads=2, maxStates=1000`. */
export function boundsText(b: Record<string, unknown>): string {
  const parts = Object.entries(b).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** One line: what the verdict means, in the words the standards ask for. */
export function verdictLine(r: Result, color = false): string {
  const c = color ? pc : { green: id, red: id, yellow: id, bold: id, dim: id };
  const only = r.checkedProperties?.length ? ` [only ${r.checkedProperties.join(', ')}]` : '';
  const name = `${r.model.name}${r.model.variant ? `/${r.model.variant}` : ''}${only}`;
  const word = VERDICT_WORD[r.verdict];
  switch (r.verdict) {
    case 'pass':
      // BMC is not exhaustive: its pass covers traces up to the depth only.
      if (r.engine === 'bmc') return `${c.green(c.bold(word))} ${name}: no violation within ${r.bounds.depth} steps (bounded model checking)`;
      return `${c.green(c.bold(word))} ${name}: no violation in any reachable state (exhaustive within the bounds)`;
    case 'proved':
      return `${c.green(c.bold(word))} ${name}: no violation in any reachable state, at any depth (k-induction${r.k !== undefined ? `, k=${r.k}` : ''})`;
    case 'violation':
      return `${c.red(c.bold(word))} ${name}: ${r.property?.id}: ${r.property?.message}`;
    default:
      return `${c.yellow(c.bold(word))} ${name}: ${r.reason ?? 'no verdict'}`;
  }
}

function id(s: string): string {
  return s;
}

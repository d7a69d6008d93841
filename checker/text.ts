/**
 * The text form of a result: the verdict line, the bounds, the figures, and for a violation the
 * trace step by step (thread, action, only the variables that changed).
 *
 * @example
 * console.log(resultText(runCheck(model), { color: false }));
 */
import pc from 'picocolors';
import type { Result, Trace } from './result.ts';
import { formatLoc } from '../model/lang/source.ts';

export interface TextOptions {
  color?: boolean;
}

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
  const name = `${r.model.name}${r.model.variant ? `/${r.model.variant}` : ''}`;
  const word = VERDICT_WORD[r.verdict];
  switch (r.verdict) {
    case 'pass':
      return `${c.green(c.bold(word))} ${name}: no violation in any reachable state (exhaustive within the bounds)`;
    case 'proved':
      return `${c.green(c.bold(word))} ${name}: invariants hold at every depth`;
    case 'violation':
      return `${c.red(c.bold(word))} ${name}: ${r.property?.id}: ${r.property?.message}`;
    default:
      return `${c.yellow(c.bold(word))} ${name}: ${r.reason ?? 'no verdict'}`;
  }
}

export function resultText(r: Result, opts: TextOptions = {}): string {
  const c = opts.color ? pc : { dim: id, bold: id };
  const s = r.stats;
  const lines = [verdictLine(r, opts.color)];
  if (r.property?.loc) lines.push(`  property defined at ${formatLoc(r.property.loc)}${r.property.action ? `, violated by action ${r.property.action}` : ''}`);
  lines.push(`  bounds: ${boundsText(r.bounds)}`);
  lines.push(`  states: ${s.states}, transitions: ${s.transitions}, depth: ${s.depth}, ${s.seconds.toFixed(3)} s, ${s.statesPerSecond} states/s`);
  if (r.unreachedActions?.length) lines.push(c.dim(`  never enabled: ${r.unreachedActions.join(', ')}`));
  if (r.trace) lines.push(...traceText(r.trace, opts));
  return lines.join('\n');
}

/** The trace: initial state, then each step with only the variables it changed. */
export function traceText(t: Trace, opts: TextOptions = {}): string[] {
  const c = opts.color ? pc : { dim: id, bold: id, cyan: id };
  const n = t.steps.length;
  const out = [`  trace: ${n} step${n === 1 ? '' : 's'} (shortest)`, c.dim(`    initial: ${flatText(t.initial)}`)];
  const width = Math.max(0, ...t.steps.map((s) => (s.thread ?? '-').length));
  let prev = t.initial;
  for (const s of t.steps) {
    const params = Object.entries(s.params).filter(([k]) => k !== 'self').map(([k, v]) => `${k}=${v}`).join(' ');
    const changed = diff(prev, s.state);
    out.push(`    ${String(s.index).padStart(String(n).length)}. ${c.cyan((s.thread ?? '-').padEnd(width))}  ${c.bold(s.action)}${params ? ` ${params}` : ''}${changed.length ? '  ' + c.dim(changed.join(', ')) : ''}`);
    prev = s.state;
  }
  return out;
}

/** Flatten a readable state into `name[i][j]` → value pairs. */
export function flatten(state: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const go = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) go(`${prefix}[${k}]`, x);
    else out.set(prefix, v);
  };
  for (const [k, v] of Object.entries(state)) go(k, v);
  return out;
}

function flatText(state: Record<string, unknown>): string {
  return [...flatten(state)].map(([k, v]) => `${k}=${v}`).join(' ');
}

/** `name: old→new` for every cell that differs. */
export function diff(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const fa = flatten(a), fb = flatten(b);
  const out: string[] = [];
  for (const [k, v] of fb) if (fa.get(k) !== v) out.push(`${k}: ${fa.get(k)}→${v}`);
  return out;
}

function id(s: string): string {
  return s;
}

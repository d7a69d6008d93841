/**
 * The text form of a result for a terminal: the verdict, the violated property with its
 * source location, the figures of the trace ("shortest: 7 steps; threads involved: 2 of 4;
 * context switches: 3"), then the trace with one column per thread involved and only the
 * cells each step changed (`pc` is left out: the action names the step). `full` prints the
 * whole state after every step instead.
 *
 * @example
 * process.stdout.write(renderText(runCheck(model), model, { color: true }) + '\n');
 */
import picocolors from 'picocolors';
import type { Model } from '../model/lang/ir.ts';
import type { Result } from '../checker/result.ts';
import { formatLoc } from '../model/lang/source.ts';
import { boundsText, verdictLine, violationText } from './verdict-text.ts';
import { cells, changeText, stepChanges } from './objects.ts';
import { traceFigures } from '../checker/figures.ts';
import { maxOf } from './table.ts';

// Colours are on whenever the caller asks (cli/stdio.ts colorWanted decides: FORCE_COLOR, NO_COLOR, a terminal).
const pc = picocolors.createColors(true);

export interface RenderTextOptions {
  full?: boolean;
  color?: boolean;
}

const MAX_COL = 30;
const ENV = '(no thread)';

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/** The figures line, e.g. `shortest: 7 steps; threads involved: 2 of 4; context switches: 3`. */
export function figuresLine(r: Result): string | undefined {
  const t = r.trace;
  if (!t) return undefined;
  const n = t.steps.length;
  const m = r.minimisation;
  const f = m ?? { ...traceFigures(t), threadsTotal: t.threads?.length ?? 0 };
  const total = m ? m.threadsTotal : f.threadsTotal;
  let line = `shortest: ${n} step${n === 1 ? '' : 's'}; threads involved: ${f.threads} of ${total}; context switches: ${f.switches}`;
  if (!m) line += ' (not minimised)';
  else if (!m.exact) line += ` (not minimised: ${m.reason})`;
  else if (m.before.threads !== m.threads || m.before.switches !== m.switches) {
    line += ` (minimised from ${m.before.threads} threads, ${m.before.switches} switches)`;
  }
  return line;
}

/** Render a result as text; `model` is optional (a saved result carries what is needed). */
export function renderText(result: Result, model?: Model, opts: RenderTextOptions = {}): string {
  const c = opts.color ? pc : { red: id, bold: id, dim: id, cyan: id, green: id, yellow: id };
  const r = result;
  const out = [verdictLine(r, opts.color)];
  const p = r.property;
  if (p) {
    const lastStep = r.trace?.steps.length ?? 0;
    const by = p.action ? `, violated by action ${p.action}${lastStep ? ` at step ${lastStep}` : ''}` : '';
    out.push(`  property ${p.id} (${p.kind}, ${p.class})${p.loc ? ` defined at ${formatLoc(p.loc)}` : ''}${by}`);
  }
  out.push(`  bounds: ${boundsText(r.bounds)}`);
  const s = r.stats;
  // Symbolic engines store no states: their figures are solver queries.
  if (r.engine === 'bmc' || r.engine === 'induction') out.push(`  depth: ${s.depth}, ${s.seconds.toFixed(3)} s, ${r.smt?.queries ?? 0} Z3 queries`);
  else out.push(`  states: ${s.states}, transitions: ${s.transitions}, depth: ${s.depth}, ${s.seconds.toFixed(3)} s, ${s.statesPerSecond} states/s`);
  if (s.symmetry?.on) out.push(`  symmetry: ${s.symmetry.members.join(', ')} interchangeable; states counted ${s.symmetry.exact ? 'one per orbit' : 'per stored representative (an orbit may count more than once)'}`);
  if (r.note) out.push(`  ${r.note}`);
  if (r.unreachedActions?.length) out.push(c.dim(`  never enabled: ${r.unreachedActions.join(', ')}`));
  const t = r.trace;
  if (!t) return out.join('\n');
  out.push(`  ${figuresLine(r)}`);
  out.push('');

  const steps = t.steps;
  const changes = stepChanges(t);
  const order = t.threads ?? [];
  const used = new Set(steps.map((x) => x.thread ?? ENV));
  const cols = [...order.filter((x) => used.has(x)), ...[...used].filter((x) => !order.includes(x) && x !== ENV), ...(used.has(ENV) ? [ENV] : [])];
  const stateBad = p && (p.kind === 'invariant' || p.kind === 'quiescence' || p.kind === 'deadlock');
  const actionText = (i: number) => {
    const st = steps[i];
    const params = Object.entries(st.params).filter(([k]) => k !== 'self' && k !== (st.thread ? k : '')).map(([k, v]) => `${k}=${v}`);
    const bad = i === steps.length - 1 && p && (p.kind === 'requires' || p.kind === 'bounds') ? ' ✗' : '';
    return `${st.action}${params.length ? ` ${params.join(' ')}` : ''}${bad}`;
  };
  const width = cols.map((col) => Math.min(MAX_COL, maxOf(steps.map((st, i) => ((st.thread ?? ENV) === col ? actionText(i).length : 0)), col.length)));
  const stepW = Math.max(4, String(steps.length).length);
  const row = (first: string, colTexts: string[], rest: string, paint?: (x: string, i: number) => string) =>
    `  ${first.padStart(stepW)}  ${colTexts.map((x, i) => (paint ? paint(clip(x, width[i]).padEnd(width[i]), i) : clip(x, width[i]).padEnd(width[i]))).join('  ')}  ${rest}`.trimEnd();
  out.push(row('step', cols, 'changes', (x) => c.cyan(x)));
  out.push(row('-'.repeat(stepW), width.map((w) => '-'.repeat(w)), '-------'));
  const fullState = (state: Record<string, unknown>) => cells(state).map((x) => `${x.cell}=${x.value}`).join(' ');
  // Without --full the initial state shows only the cells the trace goes on to change.
  const touched = new Set(changes.flat().map((x) => x.cell));
  const initialText = opts.full
    ? `initial: ${fullState(t.initial)}`
    : `initial: ${cells(t.initial).filter((x) => x.name !== 'pc' && touched.has(x.cell)).map((x) => `${x.cell}=${x.value}`).join(' ') || '(nothing changes)'}`;
  out.push(row('0', cols.map(() => ''), c.dim(initialText)));
  steps.forEach((st, i) => {
    const col = st.thread ?? ENV;
    const texts = cols.map((x) => (x === col ? actionText(i) : ''));
    const ch = changes[i].filter((x) => x.name !== 'pc').map(changeText).join(', ');
    const isBad = i === steps.length - 1 && p;
    out.push(row(String(st.index), texts, opts.full ? '' : c.dim(ch), (x, j) => (cols[j] === col ? (isBad ? c.red(c.bold(x)) : c.bold(x)) : x)));
    if (opts.full) out.push(`  ${' '.repeat(stepW)}  ${c.dim(fullState(st.state))}`);
  });
  if (p) {
    const where = stateBad ? (steps.length ? `after step ${steps.length}` : 'in the initial state') : `at step ${steps.length}`;
    out.push('');
    out.push(c.red(`  ✗ ${where}: ${p.id}: ${violationText(p)}`) + (p.loc ? c.dim(` (${formatLoc(p.loc)})`) : ''));
    if (p.kind === 'deadlock') {
      const stuck = stuckThreads(steps.length ? steps[steps.length - 1].state : t.initial);
      if (stuck) out.push(`    not finished: ${stuck}`);
    }
  }
  return out.join('\n');
}

/**
 * Where each thread that has not finished is waiting: `T1 at wait_for_reply, kworker at
 * mmput_async_fn`, read from the program counters (`pc`) of a deadlocked state (a thread is
 * "at" the step it cannot take); undefined for a model without programs.
 */
export function stuckThreads(state: Record<string, unknown>): string | undefined {
  const pc = state.pc;
  if (!pc || typeof pc !== 'object') return undefined;
  const waiting = Object.entries(pc as Record<string, unknown>).filter(([, label]) => label !== 'done');
  return waiting.length ? waiting.map(([thread, label]) => `${thread} at ${String(label)}`).join(', ') : undefined;
}

function id(s: string): string {
  return s;
}

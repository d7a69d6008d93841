/**
 * The text form of an old-versus-new comparison: one row per root cause, grouped by class
 * (worst first), each row's folded properties under it, the counts, then the witness (shortest
 * trace) of every changed row unless `brief`.
 *
 * @example
 * console.log(diffText('diff task/group-leader-any-task → task/fixed', diffModels(oldM, newM)));
 */
import type { DiffRow, DiffSide, ModelDiff } from '../checker/diff.ts';
import type { Trace } from '../checker/result.ts';
import { CLASSES } from '../properties/classes.ts';
import { maxOf, table } from './table.ts';

export interface DiffTextOptions {
  /** Leave the witnesses out. */
  brief?: boolean;
}

function sideText(s: DiffSide | undefined, capability: boolean): string {
  if (!s) return '—';
  if (s.blockedBy) return `unknown (${s.blockedBy} first)`;
  // A capability is a cover: it "holds" when some client reaches it.
  if (capability) return s.verdict === 'pass' || s.verdict === 'proved' ? 'reachable' : s.verdict === 'violation' ? 'unreachable' : s.verdict;
  if (s.after) return `violation (after ${s.after})`;
  return s.verdict === 'violation' ? `violation (${s.steps} step${s.steps === 1 ? '' : 's'})` : s.verdict;
}

/** What a change means for a capability: gaining one is the "fixed" direction. */
const CAPABILITY_CHANGE: Record<string, string> = { fixed: 'gained', broke: 'lost', 'still holds': 'kept', 'still violated': 'still absent' };

function changeText(r: DiffRow): string {
  return r.class === 'capability' ? CAPABILITY_CHANGE[r.change] ?? r.change : r.change;
}

/**
 * One line a reviewer can paste into a mail: what the new side allows, class by class.
 * Example: `new API: sound for clients=2, budget=3; 1 liveness hazard: deadlock (5 steps); capability gained: …`.
 */
export function summaryLine(d: ModelDiff): string {
  const byId = new Map(d.rows.map((r) => [r.property, r]));
  const violatedNew = d.rootCauses.filter((g) => { const n = byId.get(g.root)!.new; return n?.verdict === 'violation'; });
  const list = (gs: typeof violatedNew) => gs.map((g) => `${g.root} (${byId.get(g.root)!.new!.steps ?? '?'} steps)`).join(', ');
  const of = (cls: string, forget?: boolean) => violatedNew.filter((g) => g.class === cls && (forget === undefined || Boolean(byId.get(g.root)!.new!.onlyThroughForget) === forget));
  const bounds = Object.entries(d.bounds.new).map(([k, v]) => `${k}=${v}`).join(', ') || 'no bounds';
  const unsound = of('unsound');
  const parts = [unsound.length ? `UNSOUND within ${bounds}: ${list(unsound)}` : `sound for ${bounds}`];
  const warn = of('warn', false), warnForget = of('warn', true);
  if (warn.length) parts.push(`${warn.length} WARN: ${list(warn)}`);
  if (warnForget.length) parts.push(`WARN only through mem::forget: ${list(warnForget)}`);
  const live = of('liveness');
  if (live.length) parts.push(`${live.length} liveness hazard${live.length === 1 ? '' : 's'}: ${list(live)}`);
  const leak = of('leak', false), leakForget = of('leak', true);
  if (leak.length) parts.push(`${leak.length} leak${leak.length === 1 ? '' : 's'}: ${list(leak)}`);
  if (leakForget.length) parts.push(`leaks only through mem::forget`);
  const caps = d.rows.filter((r) => r.class === 'capability' && (r.change === 'fixed' || r.change === 'broke'));
  for (const r of caps) parts.push(`capability ${CAPABILITY_CHANGE[r.change]}: ${r.message || r.property}`);
  const broke = d.rootCauses.filter((g) => g.change === 'broke' && g.class !== 'capability' && !byId.get(g.root)!.new?.onlyThroughForget);
  parts.push(broke.length ? `broke: ${broke.map((g) => g.root).join(', ')}` : 'nothing broke');
  return `new API: ${parts.join('; ')}`;
}

/** The witness as numbered steps, the bad one marked. */
export function witnessLines(w: Trace, property: string, stepViolation: boolean): string[] {
  const tw = Math.max(0, ...w.steps.map((s) => (s.thread ?? '').length));
  const lines = w.steps.map((s, i) => {
    const params = Object.entries(s.params).filter(([k]) => k !== 'self').map(([k, v]) => `${k}=${String(v)}`);
    const mark = stepViolation && i === w.steps.length - 1 ? `  ✗ ${property}` : '';
    return `  ${String(s.index).padStart(3)}  ${(s.thread ?? '').padEnd(tw)}  ${s.action}${params.length ? `(${params.join(', ')})` : ''}${mark}`;
  });
  if (!stepViolation) lines.push(`       ✗ ${property} in the state after step ${w.steps.length}`);
  return lines;
}

/** Render a diff; `title` is its first line. */
export function diffText(title: string, d: ModelDiff, opts: DiffTextOptions = {}): string {
  const byId = new Map(d.rows.map((r) => [r.property, r]));
  const out = [title, ''];
  const rows: string[][] = [['class', 'property', 'old', 'new', 'change']];
  const notes = new Map<number, string[]>();
  // Within a class, what changed first, then what stayed violated, then what holds.
  const rank = (c: string) => { const i = ['broke', 'fixed', 'still violated'].indexOf(c); return i < 0 ? Infinity : i; };
  for (const cls of CLASSES) {
    for (const g of d.rootCauses.filter((x) => x.class === cls).sort((a, b) => rank(a.change) - rank(b.change))) {
      const r = byId.get(g.root)!;
      const folded = g.sameViolation.length + g.consequences.length;
      const named = folded ? `${g.root}, and ${folded} consequence${folded === 1 ? '' : 's'}` : g.root;
      const viaForget = g.side && r[g.side]?.onlyThroughForget;
      const name = viaForget ? `${named} (only through mem::forget)` : named;
      const cap = cls === 'capability';
      rows.push([cls, name, sideText(r.old, cap), sideText(r.new, cap), changeText(r)]);
      const sub: string[] = [];
      if (g.sameViolation.length) sub.push(`same violation: ${g.sameViolation.join(', ')}`);
      if (g.consequences.length) sub.push(`only after ${g.root}: ${g.consequences.join(', ')}`);
      if (sub.length) notes.set(rows.length - 1, sub);
    }
  }
  const indent = ' '.repeat(maxOf(rows.map((r) => r[0].length), 0) + 4);
  table(rows).forEach((line, i) => {
    out.push(line);
    for (const n of notes.get(i) ?? []) out.push(`${indent}${n}`);
  });
  out.push('', `${d.fixed} fixed, ${d.broke} broke, ${d.stillViolated} still violated`, summaryLine(d));
  if (!opts.brief) {
    for (const g of d.rootCauses.filter((x) => (x.change === 'fixed' || x.change === 'broke') && x.class !== 'capability')) {
      const r: DiffRow = byId.get(g.root)!;
      const s = g.change === 'fixed' ? r.old : r.new;
      if (!s?.witness) continue;
      const which = g.change === 'fixed' ? 'old' : 'new';
      const stepViolation = s.stepViolation ?? true;
      out.push('', `witness of ${g.root} (${g.class}), ${which} side, ${s.steps} step${s.steps === 1 ? '' : 's'}${s.after ? `, after ${s.after}` : ''}:`);
      out.push(...witnessLines(s.witness, g.root, stepViolation));
    }
  }
  return out.join('\n');
}

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
import { table } from './table.ts';

export interface DiffTextOptions {
  /** Leave the witnesses out. */
  brief?: boolean;
}

function sideText(s?: DiffSide): string {
  if (!s) return '—';
  if (s.blockedBy) return `unknown (${s.blockedBy} first)`;
  if (s.after) return `violation (after ${s.after})`;
  return s.verdict === 'violation' ? `violation (${s.steps} step${s.steps === 1 ? '' : 's'})` : s.verdict;
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
  const rank = (c: string) => ['broke', 'fixed', 'still violated'].indexOf(c) >>> 0;
  for (const cls of CLASSES) {
    for (const g of d.rootCauses.filter((x) => x.class === cls).sort((a, b) => rank(a.change) - rank(b.change))) {
      const r = byId.get(g.root)!;
      const folded = g.sameViolation.length + g.consequences.length;
      const name = folded ? `${g.root}, and ${folded} consequence${folded === 1 ? '' : 's'}` : g.root;
      rows.push([cls, name, sideText(r.old), sideText(r.new), r.change]);
      const sub: string[] = [];
      if (g.sameViolation.length) sub.push(`same violation: ${g.sameViolation.join(', ')}`);
      if (g.consequences.length) sub.push(`only after ${g.root}: ${g.consequences.join(', ')}`);
      if (sub.length) notes.set(rows.length - 1, sub);
    }
  }
  const indent = ' '.repeat(Math.max(...rows.map((r) => r[0].length)) + 4);
  table(rows).forEach((line, i) => {
    out.push(line);
    for (const n of notes.get(i) ?? []) out.push(`${indent}${n}`);
  });
  out.push('', `${d.fixed} fixed, ${d.broke} broke, ${d.stillViolated} still violated`);
  if (!opts.brief) {
    for (const g of d.rootCauses.filter((x) => x.change === 'fixed' || x.change === 'broke')) {
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

/**
 * What the variables of a trace are, for pictures: per-thread state (an array over the thread
 * sort: `pc`, locals, `preempt_count`), locks (a variable holding a thread or `none`: a mutex
 * or spinlock owner; or a per-thread bool whose name says lock/sem/mutex/spin/rcu/held) and
 * shared objects (everything else; a range-valued one is drawn as a counter). Also the cell
 * by cell changes of each step, which every renderer shows.
 *
 * @example
 * const cls = classify(trace);       // Map name → 'thread-local' | 'lock' | 'counter' | 'object'
 * stepChanges(trace)[0]              // [{ name: 'lock_owner', cell: 'lock_owner', from: 'none', to: 'T1' }]
 */
import type { Sort } from '../model/lang/ir.ts';
import type { Trace, TraceVar } from '../checker/result.ts';

export type VarKind = 'thread-local' | 'lock' | 'per-thread-lock' | 'counter' | 'object';

export interface Change {
  /** The variable. */
  name: string;
  /** The cell: `refcount`, `got[T2]`, `order[L1][L2]`. */
  cell: string;
  from: unknown;
  to: unknown;
  /** For a cell of a per-thread variable: the thread it belongs to. */
  thread?: string;
}

const LOCKISH = /lock|mutex|sem|spin|rcu|held|hold|guard/i;

/** Whether a sort's values are the trace's threads. */
export function isThreadSort(s: Sort, threads: string[] | undefined): boolean {
  if (!threads?.length) return false;
  if (s.kind === 'enum') return s.values.length === threads.length && s.values.every((v, i) => v === threads[i]);
  if (s.kind === 'scalarset') return s.size === threads.length && threads.every((t, i) => t === `${s.prefix}${i + 1}`);
  return false;
}

/** Whether a sort is "a thread or none" (an owner). */
function isOwnerSort(s: Sort, threads: string[] | undefined): boolean {
  return !!threads?.length && s.kind === 'enum' && s.values.length === threads.length + 1 && threads.every((t, i) => s.values[i] === t);
}

export function kindOf(v: TraceVar, threads: string[] | undefined): VarKind {
  if (v.index.length === 0 && isOwnerSort(v.sort, threads)) return 'lock';
  if (v.index.length >= 1 && isThreadSort(v.index[0], threads)) {
    return v.index.length === 1 && v.sort.kind === 'bool' && LOCKISH.test(v.name) ? 'per-thread-lock' : 'thread-local';
  }
  if (v.sort.kind === 'range') return 'counter';
  return 'object';
}

/** Kind of every variable of the trace (a trace without sorts: everything is an object). */
export function classify(trace: Trace): Map<string, VarKind> {
  const out = new Map<string, VarKind>();
  if (trace.vars) for (const v of trace.vars) out.set(v.name, kindOf(v, trace.threads));
  else for (const k of Object.keys(trace.initial)) out.set(k, 'object');
  return out;
}

/** Flatten a readable state into cells: `name` or `name[i][j]` → value, with the top variable. */
export function cells(state: Record<string, unknown>): { cell: string; name: string; keys: string[]; value: unknown }[] {
  const out: { cell: string; name: string; keys: string[]; value: unknown }[] = [];
  const go = (name: string, keys: string[], v: unknown) => {
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) go(name, [...keys, k], x);
    else out.push({ cell: name + keys.map((k) => `[${k}]`).join(''), name, keys, value: v });
  };
  for (const [k, v] of Object.entries(state)) go(k, [], v);
  return out;
}

/** The changes of every step (index i: step i+1), cell by cell, in variable order. */
export function stepChanges(trace: Trace): Change[][] {
  const kinds = classify(trace);
  let prev = new Map(cells(trace.initial).map((c) => [c.cell, c.value]));
  return trace.steps.map((s) => {
    const now = cells(s.state);
    const out: Change[] = [];
    for (const c of now) {
      const before = prev.get(c.cell);
      if (before === c.value) continue;
      const k = kinds.get(c.name);
      const thread = k === 'thread-local' || k === 'per-thread-lock' ? c.keys[0] : undefined;
      out.push({ name: c.name, cell: c.cell, from: before, to: c.value, ...(thread ? { thread } : {}) });
    }
    prev = new Map(now.map((c) => [c.cell, c.value]));
    return out;
  });
}

/** `refcount: 1→0`. */
export function changeText(c: Change): string {
  return `${c.cell}: ${String(c.from)}→${String(c.to)}`;
}

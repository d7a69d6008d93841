/**
 * Chrome trace-event JSON (the format chrome://tracing and Perfetto open): one track per
 * thread, each step a 1 ms slice on its thread's track, each lock hold a slice spanning the
 * steps from the one that took the lock to the one that released it, counters (refcounts)
 * as counter tracks, and the violation as a global instant event.
 *
 * Slices on one track must nest; when a thread's lock holds overlap without nesting (lock A,
 * lock B, unlock A), its holds go on a track of their own per lock ("T1: lock_a").
 *
 * @example
 * writeFileSync('trace.chrome.json', JSON.stringify(toChromeTrace(result)));
 */
import type { Result } from '../checker/result.ts';
import { cells, changeText, classify, stepChanges } from './objects.ts';

/** Microseconds per step. */
export const STEP_US = 1000;

export interface ChromeEvent {
  name: string;
  ph: 'X' | 'M' | 'i' | 'C';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, unknown>;
}

interface Hold {
  thread: string;
  lock: string;
  start: number;
  end: number;
}

const ENV = '(no thread)';

/** Lock holds of a trace, in steps: [start, end) as step positions (0 = before step 1). */
export function lockHolds(result: Result): Hold[] {
  const t = result.trace;
  if (!t) return [];
  const kinds = classify(t);
  const states = [t.initial, ...t.steps.map((s) => s.state)];
  const holds: Hold[] = [];
  const lockCells = cells(t.initial).filter((c) => kinds.get(c.name) === 'lock' || kinds.get(c.name) === 'per-thread-lock');
  for (const lc of lockCells) {
    const holderAt = (i: number): string | undefined => {
      const c = cells(states[i]).find((x) => x.cell === lc.cell);
      if (!c) return undefined;
      if (kinds.get(lc.name) === 'lock') return typeof c.value === 'string' && t.threads?.includes(c.value) ? c.value : undefined;
      return c.value === true ? lc.keys[0] : undefined;
    };
    let open: { thread: string; start: number } | undefined;
    for (let i = 0; i < states.length; i++) {
      const h = holderAt(i);
      if (open && h !== open.thread) { holds.push({ thread: open.thread, lock: lc.cell, start: open.start, end: i }); open = undefined; }
      // Taken by step i (position i-1..i); held from the start.
      if (h && !open) open = { thread: h, start: Math.max(0, i - 1) };
    }
    if (open) holds.push({ thread: open.thread, lock: lc.cell, start: open.start, end: states.length - 1 });
  }
  return holds;
}

function nests(hs: Hold[]): boolean {
  const sorted = [...hs].sort((a, b) => a.start - b.start || b.end - a.end);
  const stack: Hold[] = [];
  for (const h of sorted) {
    while (stack.length && stack[stack.length - 1].end <= h.start) stack.pop();
    if (stack.length && h.end > stack[stack.length - 1].end) return false;
    stack.push(h);
  }
  return true;
}

/** The trace as a Chrome trace-event object. */
export function toChromeTrace(result: Result): ChromeTrace {
  const t = result.trace;
  const name = `${result.model.name}${result.model.variant ? `/${result.model.variant}` : ''}`;
  const ev: ChromeEvent[] = [{ name: 'process_name', ph: 'M', pid: 1, tid: 0, args: { name } }];
  const otherData = { model: result.model, verdict: result.verdict, property: result.property?.id, format: 'protocheck trace: 1 step = 1 ms' };
  if (!t) return { traceEvents: ev, displayTimeUnit: 'ms', otherData };
  const order = t.threads ?? [];
  const used = new Set(t.steps.map((s) => s.thread ?? ENV));
  const threads = [...order.filter((x) => used.has(x)), ...[...used].filter((x) => !order.includes(x) && x !== ENV), ...(used.has(ENV) ? [ENV] : [])];
  const tidOf = new Map(threads.map((x, i) => [x, i + 1]));
  threads.forEach((x, i) => {
    ev.push({ name: 'thread_name', ph: 'M', pid: 1, tid: i + 1, args: { name: x } });
    ev.push({ name: 'thread_sort_index', ph: 'M', pid: 1, tid: i + 1, args: { sort_index: (i + 1) * 100 } });
  });
  const changes = stepChanges(t);
  const p = result.property;
  t.steps.forEach((s, i) => {
    const last = i === t.steps.length - 1;
    ev.push({
      name: s.action, cat: 'step', ph: 'X', pid: 1, tid: tidOf.get(s.thread ?? ENV)!, ts: i * STEP_US, dur: STEP_US,
      args: { step: s.index, params: s.params, changes: changes[i].map(changeText), ...(last && p ? { violation: `${p.id}: ${p.message}` } : {}) },
    });
  });
  // Lock holds: on the thread's track when they nest, else one track per (thread, lock).
  const holds = lockHolds(result);
  let extra = 0;
  for (const th of threads) {
    const mine = holds.filter((h) => h.thread === th);
    if (!mine.length) continue;
    const tid = tidOf.get(th)!;
    const together = nests(mine);
    const lockTid = new Map<string, number>();
    for (const h of mine) {
      let where = tid;
      if (!together) {
        if (!lockTid.has(h.lock)) {
          const id = 1000 + ++extra;
          lockTid.set(h.lock, id);
          ev.push({ name: 'thread_name', ph: 'M', pid: 1, tid: id, args: { name: `${th}: ${h.lock}` } });
          ev.push({ name: 'thread_sort_index', ph: 'M', pid: 1, tid: id, args: { sort_index: tid * 100 + extra } });
        }
        where = lockTid.get(h.lock)!;
      }
      ev.push({ name: `holds ${h.lock}`, cat: 'lock', ph: 'X', pid: 1, tid: where, ts: h.start * STEP_US, dur: (h.end - h.start) * STEP_US, args: { lock: h.lock, thread: th } });
    }
  }
  // Counters: each scalar counter that changes.
  const kinds = classify(t);
  const states = [t.initial, ...t.steps.map((s) => s.state)];
  for (const c of cells(t.initial)) {
    if (kinds.get(c.name) !== 'counter' || c.keys.length) continue;
    const values = states.map((s) => s[c.name]);
    if (values.every((x) => x === values[0])) continue;
    values.forEach((x, i) => {
      if (i === 0 || x !== values[i - 1]) ev.push({ name: c.name, ph: 'C', pid: 1, tid: 0, ts: i * STEP_US, args: { [c.name]: x } });
    });
  }
  if (p) ev.push({ name: `✗ ${p.id}`, cat: 'violation', ph: 'i', s: 'g', pid: 1, tid: tidOf.get(t.steps.at(-1)?.thread ?? ENV) ?? 0, ts: t.steps.length * STEP_US, args: { message: p.message } });
  return { traceEvents: ev, displayTimeUnit: 'ms', otherData };
}

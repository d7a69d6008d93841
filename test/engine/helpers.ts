/**
 * Test helpers that use only the interpreter (the reference semantics), independent of the
 * compiled engine: a plain breadth-first search over interpreter states, and both engines'
 * successor sets in one comparable form.
 */
import { expect } from 'vitest';
import type { Model } from '../../model/lang/ir.ts';
import {
  canFire, evaluate, initialState, instancesOf, isFinal, step, type Instance, type State,
} from '../../checker/interpreter.ts';
import { compileModel, type CompiledModel } from '../../checker/compile.ts';
import { fromSlots, toSlots } from '../../checker/layout.ts';
import type { Result, Trace } from '../../checker/result.ts';
import { checkExplicit, type ExplicitOptions, type RawResult } from '../../checker/explicit.ts';
import { replayPath, renderTrace } from '../../checker/replay.ts';
import { showValue } from '../../model/lang/ir.ts';

export const key = (s: State): string => JSON.stringify(s);

/** One successor: instance id, status (0 fine, r+1 requirement r failed, -1 bounds), next state. */
export interface Succ { id: number; status: number; state: State }

/** Successors by the interpreter: canFire, then step; statuses encoded as the compiled engine does. */
export function interpSuccessors(model: Model, s: State, all: Instance[] = instancesOf(model)): Succ[] {
  const out: Succ[] = [];
  for (const inst of all) {
    const f = canFire(model, s, inst);
    if (!f.enabled) continue;
    if (f.bounds) { out.push({ id: inst.id, status: -1, state: s }); continue; }
    const r = step(model, s, inst);
    const status = r.violated ? inst.action.requires.indexOf(r.violated) + 1 : r.bounds ? -1 : 0;
    out.push({ id: inst.id, status, state: r.state });
  }
  return out;
}

/** Successors by the compiled engine, with each fine successor round-tripped through pack/unpack. */
export function compiledSuccessors(model: Model, c: CompiledModel, s: State): Succ[] {
  const v = toSlots(model, c.layout, s);
  const n = new Int32Array(v.length);
  const buf = new Int32Array(c.layout.words);
  const back = new Int32Array(v.length);
  const out: Succ[] = [];
  const count = c.successors(v, n, (id, status) => {
    c.pack(n, buf, 0);
    c.unpack(buf, 0, back);
    // A fine successor must survive packing; a bad one is never stored.
    const slots = status === 0 ? back : n;
    out.push({ id, status, state: fromSlots(model, c.layout, slots) });
  });
  if (count !== out.length) throw new Error(`successors() returned ${count} but emitted ${out.length}`);
  return out;
}

/** The property figures of a state (first failing invariant / quiescence, final, cover mask) by the interpreter. */
export function interpProps(model: Model, s: State): [number, boolean, number, number] {
  const ev = (e: Parameters<typeof evaluate>[1]) => evaluate(model, e, s, {}) !== 0;
  const of = (kind: string) => model.properties.filter((p) => p.kind === kind) as { expr: Parameters<typeof evaluate>[1] }[];
  let mask = 0;
  of('cover').forEach((p, i) => { if (ev(p.expr)) mask |= 1 << i; });
  return [of('invariant').findIndex((p) => !ev(p.expr)), isFinal(model, s), of('quiescence').findIndex((p) => !ev(p.expr)), mask];
}

/** The same figures by the compiled engine. */
export function compiledProps(model: Model, c: CompiledModel, s: State): [number, boolean, number, number] {
  const v = toSlots(model, c.layout, s);
  return [c.checkInvariants(v), c.isFinal(v), c.checkQuiescence(v), c.covers(v)];
}

export const showSuccs = (xs: Succ[]): string[] =>
  xs.map((x) => `${x.id}:${x.status}:${key(x.state)}`).sort();

/** What the interpreter-only BFS found. */
export interface BfsResult {
  /** Reachable states (through non-violating steps) and transitions between them. */
  states: number;
  transitions: number;
  /** Length of the shortest trace to any violation (state or step), undefined when none. */
  minViolation?: number;
  /** Kinds of violation found at that length. */
  kinds: Set<string>;
  /** BFS depth of every reachable state, by key. */
  depth: Map<string, number>;
  maxDepth: number;
}

/**
 * Exhaustive BFS on the interpreter alone (no compiled code), exploring the whole reachable
 * state space and noting the shortest trace to each kind of violation: invariant or
 * quiescence at a state of depth d (length d), deadlock at depth d (length d), a failing
 * `requires` or `bounds` error on a step out of depth d (length d + 1), and cover properties
 * never satisfied (length -1, only reported when nothing else is violated). `stopAtFirst`
 * stops after the level that settles the shortest violation (then `states` counts only what
 * was explored); throws when more than `limit` states are reached.
 */
export function interpreterBfs(model: Model, limit = 100_000, stopAtFirst = false): BfsResult {
  const all = instancesOf(model);
  const invs = model.properties.filter((p) => p.kind === 'invariant');
  const quis = model.properties.filter((p) => p.kind === 'quiescence');
  const covs = model.properties.filter((p) => p.kind === 'cover');
  const hasDeadlock = model.properties.some((p) => p.kind === 'deadlock');
  const covered = new Set<number>();
  const depth = new Map<string, number>();
  const found = new Map<number, Set<string>>();
  const note = (len: number, kind: string) => {
    if (!found.has(len)) found.set(len, new Set());
    found.get(len)!.add(kind);
  };
  let transitions = 0;
  let frontier: State[] = [initialState(model)];
  depth.set(key(frontier[0]), 0);
  let d = 0;
  while (frontier.length) {
    const next: State[] = [];
    for (const s of frontier) {
      const ev = (e: Parameters<typeof evaluate>[1]) => evaluate(model, e, s, {}) !== 0;
      if (invs.some((p) => p.kind === 'invariant' && !ev(p.expr))) note(d, 'invariant');
      const fin = isFinal(model, s);
      if (fin && quis.some((p) => p.kind === 'quiescence' && !ev(p.expr))) note(d, 'quiescence');
      covs.forEach((p, i) => { if (p.kind === 'cover' && ev(p.expr)) covered.add(i); });
      const succ = interpSuccessors(model, s, all);
      if (succ.length === 0 && !fin && hasDeadlock) note(d, 'deadlock');
      for (const x of succ) {
        transitions++;
        if (x.status !== 0) { note(d + 1, x.status > 0 ? 'requires' : 'bounds'); continue; }
        const k = key(x.state);
        if (depth.has(k)) continue;
        depth.set(k, d + 1);
        next.push(x.state);
        if (depth.size > limit) throw new Error(`interpreterBfs: more than ${limit} states`);
      }
    }
    // With stopAtFirst: once the shortest violation is no longer than this level, every kind at
    // that length has been seen (state kinds at d, step kinds at d, noted from level d - 1).
    if (stopAtFirst && [...found.keys()].some((len) => len <= d)) break;
    frontier = next;
    if (frontier.length) d++;
  }
  let minViolation = found.size ? Math.min(...found.keys()) : undefined;
  let kinds = minViolation === undefined ? new Set<string>() : found.get(minViolation)!;
  if (minViolation === undefined && covered.size < covs.length) { minViolation = -1; kinds = new Set(['cover']); }
  return { states: depth.size, transitions, minViolation, kinds, depth, maxDepth: d };
}

/** The steps of a result's trace as `action@thread` (or `action(params)`, or the bare action). */
export function traceSteps(r: Result): string[] {
  return (r.trace?.steps ?? []).map((s) => {
    if (s.thread) return `${s.action}@${s.thread}`;
    const ps = Object.values(s.params);
    return ps.length ? `${s.action}(${ps.join(',')})` : s.action;
  });
}

/** An instance as `action@thread` (or `action(params)`, or the bare action name). */
export function instanceLabel(inst: Instance): string {
  const a = inst.action;
  const tp = a.threadParam === undefined ? -1 : a.params.findIndex((p) => p.name === a.threadParam);
  if (tp >= 0) return `${a.name}@${showValue(a.params[tp].sort, inst.params[tp])}`;
  if (a.params.length) return `${a.name}(${inst.params.map((v, i) => showValue(a.params[i].sort, v)).join(',')})`;
  return a.name;
}

/**
 * The explicit engine's own result (no trace minimisation), its path replayed on the
 * interpreter (throws if it does not replay) and rendered; `steps` labels the path.
 */
export function explicit(model: Model, opts: ExplicitOptions = {}): { raw: RawResult; steps: string[]; trace?: Trace } {
  const raw = checkExplicit(model, opts);
  const all = instancesOf(model);
  if (!raw.path) return { raw, steps: [] };
  const states = replayPath(model, raw.path, raw.violation, all);
  return { raw, steps: raw.path.map((id) => instanceLabel(all[id])), trace: renderTrace(model, raw.path, states, all) };
}

/** A result without its timing figures (which differ run to run). */
export function timeless(r: Result): unknown {
  const { seconds: _s, statesPerSecond: _p, ...stats } = r.stats;
  return { ...r, stats };
}

export { compileModel };

/**
 * The states the interpreter reaches from the initial state (depth first, at most `max`), with
 * the compiled model `c` compared on each: its successors, and with `props` its properties (as
 * vitest expectations). Returns [states, successors, bad], bad counting the successors with a
 * non-zero status.
 *
 * @example
 * expect(walkAgreement(m, compileModel(m, TINY), { max: 300 })[0]).toBeGreaterThan(3);
 */
export function walkAgreement(m: Model, c: CompiledModel, opts: { max?: number; props?: boolean } = {}): [number, number, number] {
  const max = opts.max ?? Infinity;
  const seen = new Set<string>();
  const queue: State[] = [initialState(m)];
  let succs = 0, bad = 0;
  while (queue.length && seen.size < max) {
    const s = queue.pop()!;
    const k = key(s);
    if (seen.has(k)) continue;
    seen.add(k);
    const mine = interpSuccessors(m, s);
    expect(showSuccs(compiledSuccessors(m, c, s)), m.name).toEqual(showSuccs(mine));
    if (opts.props) expect(compiledProps(m, c, s)).toEqual(interpProps(m, s));
    for (const x of mine) {
      succs++;
      if (x.status !== 0) bad++;
      else queue.push(x.state);
    }
  }
  return [seen.size, succs, bad];
}

/**
 * Every reachable state, compiled with the default options, successors and properties compared.
 *
 * @example
 * expect(exhaustiveAgreement(m)).toEqual([4, 6, 0]);
 */
export function exhaustiveAgreement(m: Model): [number, number, number] {
  return walkAgreement(m, compileModel(m), { props: true });
}

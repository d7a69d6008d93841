/**
 * Minimisation after shortest: among all traces of the shortest length that violate the same
 * property, pick one with the fewest threads involved, then the fewest context switches.
 *
 * Exact, not heuristic. For k = 0, 1, … it runs a breadth-first search restricted to the steps
 * of each k-thread subset (steps of thread-less actions are always allowed), up to the
 * shortest depth L. The first k with a violation of the property at depth L is the minimum
 * number of threads. Each search also keeps, per (state, thread of the last step), the fewest
 * switches of any path from the initial state along breadth-first layers; that is every
 * shortest path, since a state on a shortest violating path always sits at its BFS depth
 * (reaching it sooner would give a shorter violation). The cheapest end over all k-subsets is
 * the minimum number of switches. Every candidate is replayed on the interpreter.
 *
 * Bounded: when the searches together store more than `maxStates` states (or run more than
 * `maxSearches` searches) the engine's own shortest trace is kept and the result says so.
 */
import type { Model } from '../model/lang/ir.ts';
import { cardinality } from '../model/lang/ir.ts';
import type { CompiledModel } from './compile.ts';
import type { RawViolation } from './explicit.ts';
import { StateStore } from './visited.ts';
import { evaluate, initialState, instancesOf, type Instance } from './interpreter.ts';
import { fromSlots, toSlots } from './layout.ts';
import type { Minimisation } from './result.ts';
import { replayPath } from './replay.ts';
import { pathFigures, threadOfInstance } from './figures.ts';

export interface MinimiseOptions {
  /** States the restricted searches may store in total (default 2,000,000). */
  maxStates?: number;
  /** Restricted searches (thread subsets) at most (default 1,000). */
  maxSearches?: number;
}

export interface Minimised {
  path: number[];
  violation: RawViolation;
  info: Minimisation;
}

const INF = 0x3fffffff;

interface End {
  cost: number;
  path: number[];
  violation: RawViolation;
}

/**
 * Minimise a shortest violating path found by the explicit engine.
 *
 * @example
 * const raw = checkExplicit(model, {}, compiled);
 * if (raw.verdict === 'violation' && raw.path) {
 *   const m = minimiseViolation(model, compiled, raw.path, raw.violation!);
 *   // m.path has raw.path.length steps; m.info.threads <= the original's
 * }
 */
export function minimiseViolation(
  model: Model, c: CompiledModel, path: number[], violation: RawViolation, opts: MinimiseOptions = {},
  all: Instance[] = c.instances ?? instancesOf(model),
): Minimised {
  const maxStates = opts.maxStates ?? 2_000_000;
  const maxSearches = opts.maxSearches ?? 1000;
  const n = model.threadSort ? cardinality(model.threadSort) : 0;
  const before = pathFigures(model, path, all);
  const L = path.length;
  const base = { threadsTotal: n, before, searches: 0, states: 0, replayed: 0 };
  const keep = (reason?: string): Minimised => ({
    path, violation, info: { exact: reason === undefined, threads: before.threads, switches: before.switches, ...base, ...(reason ? { reason } : {}) },
  });
  if (L === 0 || violation.kind === 'cover') return keep();
  if (n > 30) return keep(`${n} threads: too many to minimise over`);

  const W = c.layout.words;
  const NL = n + 2; // labels: 0 = no step yet, 1..n = thread, n+1 = a step with no thread
  const thr = new Int32Array(all.length);
  all.forEach((inst, i) => (thr[i] = threadOfInstance(model, inst)));
  const v = new Int32Array(c.layout.slots.length);
  const nn = new Int32Array(c.layout.slots.length);
  const buf = new Int32Array(W);
  const init = toSlots(model, c.layout, initialState(model));
  const stepTarget = violation.kind === 'requires' || violation.kind === 'bounds';
  const wantId = violation.kind === 'requires' ? all[path[L - 1]].action.requires[violation.requirement].id : undefined;

  // Does the (unpacked) state `v` violate the target state property?
  const stateHit = (): boolean => {
    switch (violation.kind) {
      case 'invariant': {
        const first = c.checkInvariants(v);
        if (first === violation.index) return true;
        if (first < 0 || first > violation.index) return false;
        return !holds(violation.index, 'invariant');
      }
      case 'quiescence': {
        if (!c.isFinal(v)) return false;
        const first = c.checkQuiescence(v);
        if (first === violation.index) return true;
        if (first < 0 || first > violation.index) return false;
        return !holds(violation.index, 'quiescence');
      }
      case 'deadlock':
        return !c.isFinal(v) && c.successors(v, nn, () => {}) === 0;
      default:
        return false;
    }
  };
  const holds = (index: number, kind: 'invariant' | 'quiescence'): boolean => {
    const p = model.properties.filter((x) => x.kind === kind)[index];
    if (!p || !('expr' in p)) return true;
    return evaluate(model, p.expr, fromSlots(model, c.layout, v), {}) !== 0;
  };

  let used = 0;
  let searches = 0;
  let limited: string | undefined;

  /** Cheapest violating end within the thread subset `mask`, or undefined. */
  const search = (mask: number): End | undefined => {
    searches++;
    const store = new StateStore(W, 1 << 10);
    let cap = 1 << 10;
    let sw = new Int32Array(cap * NL).fill(INF);
    let bk = new Int32Array(cap * NL);
    let bi = new Int32Array(cap * NL);
    const ensure = () => {
      if (store.count <= cap) return;
      const ncap = Math.max(cap * 2, store.count);
      const s2 = new Int32Array(ncap * NL).fill(INF); s2.set(sw); sw = s2;
      const b2 = new Int32Array(ncap * NL); b2.set(bk); bk = b2;
      const i2 = new Int32Array(ncap * NL); i2.set(bi); bi = i2;
      cap = ncap;
    };
    const allowed = (inst: number) => thr[inst] < 0 || ((mask >>> thr[inst]) & 1) === 1;
    const labelOf = (inst: number) => (thr[inst] < 0 ? n + 1 : thr[inst] + 1);
    const switchCost = (from: number, to: number) => (from !== 0 && from !== to ? 1 : 0);

    c.pack(init, buf, 0);
    store.insert(buf, 0, -1, -1);
    sw[0] = 0;
    let levelStart = 0, levelEnd = 1, cur = 0;
    const lastLayer = stepTarget ? L - 1 : L;
    const expand = (inst: number, status: number) => {
      if (limited || !allowed(inst) || status !== 0) return; // a violation before depth L cannot exist
      c.pack(nn, buf, 0);
      let w = store.insert(buf, 0, cur, inst);
      if (w < 0) {
        w = -w - 1;
        if (w < levelEnd) return; // reached sooner: not on a shortest path
      } else {
        if (used + store.count > maxStates) { limited = `minimisation stopped at its limit of ${maxStates} states`; return; }
        ensure();
      }
      const lab = labelOf(inst);
      const to = w * NL + lab;
      for (let l = 0; l < NL; l++) {
        const s = sw[cur * NL + l];
        if (s >= INF) continue;
        const cost = s + switchCost(l, lab);
        if (cost < sw[to]) { sw[to] = cost; bk[to] = cur * NL + l; bi[to] = inst; }
      }
    };
    const back = (state: number, label: number, steps: number): number[] => {
      const p: number[] = [];
      for (let i = 0; i < steps; i++) {
        const key = state * NL + label;
        p.push(bi[key]);
        state = (bk[key] / NL) | 0;
        label = bk[key] % NL;
      }
      return p.reverse();
    };

    try {
      for (let depth = 0; depth < lastLayer; depth++) {
        for (cur = levelStart; cur < levelEnd; cur++) {
          c.unpack(store.arena, cur * W, v);
          c.successors(v, nn, expand);
          if (limited) return undefined;
        }
        levelStart = levelEnd;
        levelEnd = store.count;
        if (levelStart === levelEnd) return undefined;
      }
      let best: { cost: number; state: number; label: number; inst: number; status: number } | undefined;
      for (cur = levelStart; cur < levelEnd; cur++) {
        c.unpack(store.arena, cur * W, v);
        if (stepTarget) {
          c.successors(v, nn, (inst, status) => {
            if (!allowed(inst) || status === 0) return;
            if (violation.kind === 'bounds' ? status !== -1 : status < 0 || all[inst].action.requires[status - 1].id !== wantId) return;
            const lab = labelOf(inst);
            for (let l = 0; l < NL; l++) {
              const s = sw[cur * NL + l];
              if (s >= INF) continue;
              const cost = s + switchCost(l, lab);
              if (!best || cost < best.cost) best = { cost, state: cur, label: l, inst, status };
            }
          });
        } else if (stateHit()) {
          for (let l = 0; l < NL; l++) {
            const s = sw[cur * NL + l];
            if (s < INF && (!best || s < best.cost)) best = { cost: s, state: cur, label: l, inst: -1, status: 0 };
          }
        }
      }
      if (!best) return undefined;
      const b = best as { cost: number; state: number; label: number; inst: number; status: number };
      if (stepTarget) {
        const p = [...back(b.state, b.label, L - 1), b.inst];
        const vio: RawViolation = violation.kind === 'requires' ? { kind: 'requires', requirement: b.status - 1 } : { kind: 'bounds' };
        return { cost: b.cost, path: p, violation: vio };
      }
      return { cost: b.cost, path: back(b.state, b.label, L), violation };
    } finally {
      used += store.count;
    }
  };

  let replayed = 0;
  for (let k = 0; k <= n; k++) {
    const found: End[] = [];
    for (const mask of subsets(n, k)) {
      if (searches >= maxSearches) { limited = `minimisation stopped at its limit of ${maxSearches} searches`; break; }
      const end = search(mask);
      if (limited) break;
      if (!end) continue;
      // Replay every candidate and confirm the figures the search claims.
      replayPath(model, end.path, end.violation, all);
      replayed++;
      const f = pathFigures(model, end.path, all);
      if (end.path.length !== L || f.threads !== k || f.switches !== end.cost) {
        throw new Error(`minimisation: candidate has ${end.path.length} steps, ${f.threads} threads, ${f.switches} switches; the search claimed ${L}, ${k}, ${end.cost}`);
      }
      found.push(end);
    }
    if (limited) break;
    if (found.length) {
      const best = found.reduce((a, b) => (b.cost < a.cost ? b : a));
      // Among equals, the engine's own trace is the least surprising choice.
      if (before.threads === k && before.switches === best.cost) {
        return { path, violation, info: { exact: true, threads: k, threadsTotal: n, switches: best.cost, before, searches, states: used, replayed } };
      }
      return {
        path: best.path, violation: best.violation,
        info: { exact: true, threads: k, threadsTotal: n, switches: best.cost, before, searches, states: used, replayed },
      };
    }
  }
  const kept = keep(limited ?? 'no restricted search found the violation again');
  kept.info.searches = searches;
  kept.info.states = used;
  kept.info.replayed = replayed;
  return kept;
}

/** Bit masks of the k-element subsets of 0..n-1, in lexicographic order of their elements. */
export function* subsets(n: number, k: number): Generator<number> {
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  for (;;) {
    yield idx.reduce((m, i) => m | (1 << i), 0);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

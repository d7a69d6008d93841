/**
 * The parallel explicit search (`--workers N`): level-synchronous BFS whose levels are expanded
 * by the lead and N-1 helper threads sharing the visited set (SharedArrayBuffers, see
 * expand.ts), then merged by the lead in chunk order. The merge replays the one-thread engine's
 * bookkeeping (checker/explicit.ts) event by event: states get the same numbers and parents,
 * the first violation is the same shortest one (a dead end in level d beats every violation on
 * the way to level d+1; among equals the first in sequential order), limits stop at the same
 * state, and the figures (states, transitions, depth, bytes) are the same. Only timings and the
 * `workers` figure differ.
 *
 * A search starts in the one-thread engine and comes here at a level boundary once a helper is
 * ready and the search is worth sharing (handover.ts): `resume` carries its stored states and
 * figures. Tests come here from the first level (`waitForHelpers`).
 */
import { CUT_TAG } from '../../properties/isolate.ts';
import type { Model } from '../../model/lang/ir.ts';
import type { CompiledModel } from '../compile.ts';
import { initialState } from '../interpreter.ts';
import { toSlots } from '../layout.ts';
import { concretePath, type Canonicaliser } from '../symmetry.ts';
import { hashWords, PAGE_STATES, stateBytes, storeBytes, tableSlots, viaBytesFor } from '../visited.ts';
import type { ExplicitOptions, RawResult, RawViolation } from '../explicit.ts';
import { EV_BAD, ENTRY, ENTRY_META, Expander, MAX_CHUNKS, PROPERTY_ERROR, CTRL, chunkRange, tagged, placeInitial, sharedArrays as arrays, sharedInts as shared, type ChunkOutput, type SharedArrays } from './expand.ts';
import { HelperPool } from './pool.ts';
import type { HandoverTuning, Resume } from './handover.ts';

/** Tuning of the parallel search (tests force helpers onto tiny models with these). */
export interface ParallelTuning extends HandoverTuning {
  /** Start in the parallel search and wait for the helpers before the first level (default false: the one-thread search first, handover.ts). */
  waitForHelpers?: boolean;
  /** Expand a level alone when its frontier is smaller than this (default 256). */
  minFrontier?: number;
  /** Fewest frontier states per chunk (default 64). */
  minChunk?: number;
  /** Frontier states per chunk aimed at (default 512). */
  chunkSize?: number;
  /**
   * Let the lead expand again a chunk a helper has not finished once no chunk is left (default
   * false: on the loaded 2-core machine the duplicated work cost more than the waiting it saved,
   * 30.8 s against 24.4 s of expansion for mm with 8 senders).
   */
  backups?: boolean;
}

/** Table slots for `ids` ids: at most 4/5 full, as the one-thread table, and every id+1 fits under its mask. */
function tableSizeFor(ids: number): number {
  return pow2AtLeast(Math.ceil((ids * 5) / 4) + 1);
}

function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Search `model` with `workers` threads (the lead and workers-1 helpers). Results equal
 * `checkExplicit(model, { ...opts, workers: 1 })` apart from seconds and `workers`.
 *
 * @example
 * const r = checkParallel(model, { workers: 2 }, compileModel(model), canonicaliser(model, layout));
 */
export function checkParallel(model: Model, opts: ExplicitOptions, c: CompiledModel, sym: Canonicaliser | undefined, tuning: ParallelTuning = {}, resume?: Resume): RawResult {
  const t0 = resume?.t0 ?? performance.now();
  const W = c.layout.words;
  const nslots = c.layout.slots.length;
  const maxBytes = opts.maxBytes ?? 4 * 2 ** 30;
  const minFrontier = tuning.minFrontier ?? 256;
  const minChunk = tuning.minChunk ?? 64;
  const chunkSize = tuning.chunkSize ?? 512;
  const helpersWanted = Math.max(0, (opts.workers ?? 1) - 1);
  const covProps = model.properties.filter((p) => p.kind === 'cover');
  const allCovers = covProps.length ? (2 ** covProps.length - 1) : 0;
  const hasDeadlock = model.properties.some((p) => p.kind === 'deadlock');
  const ctrlLocal = new Int32Array(new SharedArrayBuffer(CTRL.size * 4));
  const expander = new Expander(c, sym, covProps.length);
  let pool: HelperPool | undefined = resume?.pool;
  let helpersUsed = 0;

  // The stored states: arena (by id), order (BFS number -> id) and table shared, parent/via
  // the lead's own. `nextId`: the ids handed out, the next level's base.
  let cap = pow2AtLeast(Math.max(1 << 12, 2 * (resume?.store?.count ?? 0)));
  let arenaCap = cap;
  let count = 0;
  let nextId = 0;
  const viaBytes = viaBytesFor(c.instances.length); // the one-thread store's: its byte figure and memory limit
  let vslots = tableSlots(1); // and its table's slots
  let parent = new Int32Array(cap);
  let via = new Int32Array(cap);
  let entryCap = 1 << 12;
  let a = arrays(shared(arenaCap * W), shared(cap), shared(resume?.store ? resume.store.tableSize : tableSizeFor(arenaCap + entryCap)), shared(entryCap * ENTRY_META));
  /** Where stored state `idx`'s words start in the arena. */
  const wordsAt = (idx: number) => a.order[idx] * W;

  let covered = resume?.covered ?? 0;
  const fired = resume ? Uint8Array.from(resume.fired) : new Uint8Array(model.actions.length);
  let transitions = resume?.transitions ?? 0;
  let depth = resume?.depth ?? 0;
  let exact = true;
  const init = toSlots(model, c.layout, initialState(model));

  const storedPath = (idx: number): number[] => {
    const p: number[] = [];
    for (let i = idx; parent[i] >= 0; i = parent[i]) p.push(via[i]);
    return p.reverse();
  };
  const concrete = (idx: number, last?: { inst: number; status: number }): { path: number[]; status?: number } => {
    if (!sym) return { path: last ? [...storedPath(idx), last.inst] : storedPath(idx), status: last?.status };
    const chain: number[] = [];
    for (let i = idx; parent[i] >= 0; i = parent[i]) chain.push(i);
    const reps = chain.reverse().map((i) => { const r = new Int32Array(nslots); c.unpack(a.arena, wordsAt(i), r); return r; });
    const requirement = last && last.status > 0 ? c.instances[last.inst].action.requires[last.status - 1].id : undefined;
    return concretePath(c, sym, init, reps, last ? { status: last.status, requirement } : undefined);
  };
  const pathTo = (idx: number) => concrete(idx).path;
  const seconds = () => (performance.now() - t0) / 1000;
  const finish = (r: Partial<RawResult> & Pick<RawResult, 'verdict'>): RawResult => {
    pool?.close();
    if (sym && !sym.exact) exact = false;
    return {
      states: count, transitions, depth, seconds: seconds(),
      bytesPerState: stateBytes(W, viaBytes),
      bytesAllocated: storeBytes(W, count, viaBytes),
      unreachedActions: model.actions.filter((x, i) => !fired[i] && !x.tags.includes(CUT_TAG)).map((x) => x.name),
      ...(model.symmetry ? { symmetry: sym ? { on: true, members: model.symmetry.members, orbits: count, exact } : { on: false, members: model.symmetry.members } } : {}),
      workers: 1 + helpersUsed,
      ...r,
    };
  };

  /** Rebuild the table from the stored states (after growth, or to drop an aborted level's entries). */
  const rebuildTable = (size: number) => {
    // Always a new table: a helper a level behind may still be reading the old one.
    const table = shared(size);
    const m = size - 1;
    const { arena, order } = a;
    for (let i = 0; i < count; i++) {
      const id = order[i];
      const h = hashWords(arena, id * W, W);
      let s = h & m;
      while (table[s] !== 0) s = (s + 1) & m;
      table[s] = tagged(h, m, id);
    }
    a = arrays(a.arena, a.order, table, a.entries);
  };
  /** Room for `entries` new states in this level: entry records, arena, order and table. */
  const reserve = (entries: number) => {
    let changed = false;
    if (entries > entryCap) {
      entryCap = pow2AtLeast(entries);
      a = arrays(a.arena, a.order, a.table, shared(entryCap * ENTRY_META));
      changed = true;
    }
    if (nextId + entryCap > arenaCap) {
      arenaCap = pow2AtLeast(nextId + entryCap);
      const arena = shared(arenaCap * W); arena.set(a.arena.subarray(0, nextId * W));
      a = arrays(arena, a.order, a.table, a.entries);
      changed = true;
    }
    if (count + entryCap > cap) {
      const ncap = pow2AtLeast(count + entryCap);
      const order = shared(ncap); order.set(a.order.subarray(0, count));
      const p = new Int32Array(ncap); p.set(parent.subarray(0, count)); parent = p;
      const v = new Int32Array(ncap); v.set(via.subarray(0, count)); via = v;
      cap = ncap;
      a = arrays(a.arena, order, a.table, a.entries);
      changed = true;
    }
    const tsize = tableSizeFor(nextId + entryCap);
    if (tsize > a.table.length) { rebuildTable(tsize); changed = true; }
    return changed;
  };

  if (resume) {
    // The one-thread search's states, numbered as it numbered them: id = number.
    const store = resume.store!;
    resume.store = undefined;
    count = nextId = store.count;
    for (let i = 0; i < count; i++) a.order[i] = i;
    // Its table as it is (same slots, same slot format); rebuilt should the sizes ever differ.
    if (!store.copyInto(a.arena, a.table)) rebuildTable(a.table.length);
    store.links.copyInto(parent, via, count);
    vslots = tableSlots(count);
  } else {
    // The initial state: stored as state 0, then judged like any new state.
    placeInitial(c, sym, init, a);
    parent[0] = -1; via[0] = -1;
    count = 1;
    nextId = 1;
    const v = new Int32Array(nslots);
    c.unpack(a.arena, 0, v);
    const inv = c.checkInvariants(v);
    if (inv >= 0) return finish({ verdict: 'violation', violation: { kind: 'invariant', index: inv }, path: [] });
    if (c.isFinal(v)) {
      const q = c.checkQuiescence(v);
      if (q >= 0) return finish({ verdict: 'violation', violation: { kind: 'quiescence', index: q }, path: [] });
    }
    if (allCovers) covered |= c.covers(v);
  }

  let levelStart = resume?.levelStart ?? 0;
  let levelEnd = resume?.levelEnd ?? count;
  let lastProgress = t0;
  let lastNew = levelEnd - levelStart;
  const pace = new Pace(resume?.alone);
  let timeUp = false;
  const tick = () => {
    const now = performance.now();
    if (opts.maxSeconds !== undefined && now - t0 > opts.maxSeconds * 1000) {
      timeUp = true;
      Atomics.store(ctrlLocal, CTRL.stop, 1);
      if (pool) Atomics.store(pool.ctrl, CTRL.stop, 1);
    }
    if (opts.onProgress && now - lastProgress > 1000) {
      lastProgress = now;
      const s = (now - t0) / 1000;
      opts.onProgress({ states: count, depth, statesPerSecond: count / s, seconds: s });
    }
  };
  const timeLimit = () => finish({ verdict: 'incomplete', reason: `stopped at --max-seconds ${opts.maxSeconds}` });

  try {
    while (levelStart < levelEnd) {
      // Here from the first level only with waitForHelpers (tests); otherwise the handover brought the pool.
      if (!pool && helpersWanted > 0) {
        pool = new HelperPool(model, sym !== undefined, helpersWanted);
        if (tuning.waitForHelpers) pool.waitSettled();
      }
      tick();
      if (timeUp) return timeLimit();
      const frontier = levelEnd - levelStart;
      const helpers = pool && !pool.retired && frontier >= minFrontier ? pool.ready() : 0;
      // Many small chunks: a thread the machine's load holds back delays the level by one chunk at most.
      const chunks = helpers > 0 ? Math.max(1, Math.min(MAX_CHUNKS, Math.max(2 * (helpers + 1), Math.ceil(frontier / chunkSize)), Math.floor(frontier / minChunk))) : 1;
      reserve(Math.max(entryCap, 3 * lastNew));
      const tLevel = performance.now();
      const parallelLevel = chunks > 1 && pool !== undefined;
      // Expand the level; an entry arena too small for it is grown and the level expanded again.
      let outs: ChunkOutput[];
      let used = ctrlLocal;
      for (;;) {
        ctrlLocal[CTRL.base] = nextId;
        if (chunks > 1 && pool) {
          helpersUsed = Math.max(helpersUsed, helpers);
          const ctrl = pool.ctrl;
          used = ctrl;
          ctrl[CTRL.base] = nextId; // published to the helpers by pool.level's Atomics.store of the generation
          outs = pool.level(a, levelStart, levelEnd, chunks, entryCap, tuning.backups === true, (k, gen, abandon) => {
            const [from, to] = chunkRange(levelStart, levelEnd, chunks, k);
            return expander.expand(a, ctrl, gen, k, from, to, model.actions.length, tick, abandon);
          });
        } else {
          ctrlLocal[CTRL.entryCap] = entryCap;
          Atomics.store(ctrlLocal, CTRL.entries, 0);
          Atomics.store(ctrlLocal, CTRL.overflow, 0);
          outs = [expander.expand(a, ctrlLocal, 0, 0, levelStart, levelEnd, model.actions.length, tick)];
        }
        const failed = outs.find((o) => o.failure);
        if (failed) throw new Error(`parallel search: a helper failed: ${failed.failure}`);
        if (timeUp) return timeLimit();
        if (!outs.some((o) => o.aborted)) break;
        // Overflow: drop this level's entries from the table and make room for twice as many.
        rebuildTable(a.table.length);
        reserve(entryCap * 2);
      }
      if (frontier >= minFrontier && !tuning.waitForHelpers) pace.level(parallelLevel, frontier, performance.now() - tLevel, pool);
      outs.sort((x, y) => x.chunk - y.chunk);
      for (const o of outs) {
        if (!o.exact) exact = false;
      }

      // The merge: the one-thread engine's bookkeeping, in its order.
      const before = count;
      const L: Ledger = { count, transitions, covered, vslots, parent, via };
      const m = mergeLevel(outs, a, nextId, L, { maxStates: opts.maxStates, maxBytes, W, viaBytes, allCovers, hasDeadlock });
      ({ count, transitions, covered, vslots } = L);
      if (m.end?.kind === 'property-error') judgeAgain(m.end.idx); // throws the model error
      let pending: { violation: RawViolation; path: number[] } | undefined;
      const p = m.pending;
      if (p?.kind === 'bad') {
        const at = concrete(p.cur, { inst: p.inst, status: p.status });
        pending = { violation: at.status! > 0 ? { kind: 'requires', requirement: at.status! - 1 } : { kind: 'bounds' }, path: at.path };
      } else if (p) {
        pending = { violation: p.verdict > 0 ? { kind: 'invariant', index: p.verdict - 1 } : { kind: 'quiescence', index: -p.verdict - 1 }, path: pathTo(p.idx) };
      }
      if (m.end?.kind === 'deadlock') {
        firedUpTo(m.end.cur, -1);
        return finish({ verdict: 'violation', violation: { kind: 'deadlock' }, path: pathTo(m.end.cur) });
      }
      if (m.end?.kind === 'limit') {
        firedUpTo(m.end.cur, m.end.inst);
        return finish({ verdict: 'incomplete', reason: m.end.reason });
      }
      if (pending) {
        firedUpTo(p!.cur, p!.inst);
        depth++;
        return finish({ verdict: 'violation', violation: pending.violation, path: pending.path, depth: pending.path.length });
      }
      for (const o of outs) for (let i = 0; i < fired.length; i++) fired[i] |= o.fired[i];
      lastNew = count - before;
      // The ids this level handed out (a few claimed by a chunk and then lost stay unused).
      nextId += Math.min(Atomics.load(used, CTRL.entries), entryCap);
      levelStart = levelEnd;
      levelEnd = count;
      if (levelStart < levelEnd) depth++;
    }
  } finally {
    pool?.close();
  }
  if (covered !== allCovers) {
    const index = covProps.findIndex((_, i) => !(covered & (1 << i)));
    return finish({ verdict: 'violation', violation: { kind: 'cover', index } });
  }
  return finish({ verdict: 'pass' });

  /**
   * The actions the one-thread engine marks as fired in the level that stopped: every step of
   * the states before `cur`, and `cur`'s steps up to instance `inst` (none for a dead end).
   */
  function judgeAgain(idx: number): never {
    const v = new Int32Array(nslots);
    c.unpack(a.arena, wordsAt(idx), v);
    c.checkInvariants(v);
    if (c.isFinal(v)) c.checkQuiescence(v);
    c.covers(v);
    throw new Error(`parallel search: state ${idx} was judged faulty on a helper but not here`);
  }

  function firedUpTo(cur: number, inst: number): void {
    const v = new Int32Array(nslots), n = new Int32Array(nslots);
    for (let s = levelStart; s <= cur; s++) {
      c.unpack(a.arena, wordsAt(s), v);
      c.successors(v, n, (i) => { if (s < cur || i <= inst) fired[c.instances[i].actionIndex] = 1; });
    }
  }
}

/** The lead's running totals, advanced by the merge (an object, so the merge is a small function of its own that V8 compiles once, not a loop in checkParallel's body, recompiled whole on each on-stack replacement). */
interface Ledger { count: number; transitions: number; covered: number; vslots: number; parent: Int32Array; via: Int32Array }

/** Where a level's merge stopped early, or what it found on the way (see mergeLevel). */
interface Merged {
  /** The first violation in sequential order: a step's requirement or bounds (`bad`), or a new state's own verdict. */
  pending?: { kind: 'bad'; cur: number; inst: number; status: number } | { kind: 'state'; idx: number; verdict: number; cur: number; inst: number };
  /** The merge stopped here: a dead end, a limit, or a state judged faulty by a helper. */
  end?: { kind: 'deadlock'; cur: number } | { kind: 'limit'; reason: string; cur: number; inst: number } | { kind: 'property-error'; idx: number };
}

/**
 * Merge a level's chunk results (sorted by chunk) in the one-thread engine's order: count
 * transitions, store each new state at its first discovery (numbers, parents, via), and find the
 * first violation, dead end or limit as the one-thread search meets them. After a violation the
 * merge goes on only to count transitions and find a dead end of this level (which wins).
 */
function mergeLevel(outs: ChunkOutput[], a: SharedArrays, levelBase: number, L: Ledger,
  k: { maxStates?: number; maxBytes: number; W: number; viaBytes: number; allCovers: number; hasDeadlock: boolean }): Merged {
  const { entries, order } = a;
  const { parent, via } = L;
  const R = ENTRY_META;
  let pending: Merged['pending'];
  for (const o of outs) {
    const { info, events, nevents, chunk } = o;
    let e = 0;
    for (let j = 0; j < info.length; j++) {
      const cur = o.from + j;
      L.transitions += info[j] > 0 ? info[j] : 0;
      for (; e < nevents && events[e * 4] === j; e++) {
        if (pending) continue;
        const kind = events[e * 4 + 1], x = events[e * 4 + 2], y = events[e * 4 + 3];
        if (kind === EV_BAD) { pending = { kind: 'bad', cur, inst: x, status: y }; continue; }
        const meta = x * R;
        if (entries[meta + ENTRY.owner] !== chunk) continue; // an earlier chunk found it first, or stored already
        const count = L.count;
        if (k.maxStates !== undefined && count >= k.maxStates) return { pending, end: { kind: 'limit', reason: `stopped at --max-states ${k.maxStates}`, cur, inst: y } };
        // The one-thread store grows here (a page, or a table twice as large): past the limit, it stops.
        if (count % PAGE_STATES === 0 || (count + 1) * 5 > L.vslots * 4) {
          if (storeBytes(k.W, count + 1, k.viaBytes) > k.maxBytes) return { pending, end: { kind: 'limit', reason: 'stopped at the memory limit for stored states', cur, inst: y } };
          L.vslots = tableSlots(count + 1);
        }
        L.count = count + 1;
        order[count] = levelBase + x; // its words stay where the expansion wrote them
        parent[count] = cur;
        via[count] = y;
        const verdict = entries[meta + ENTRY.verdict];
        if (verdict === PROPERTY_ERROR) return { end: { kind: 'property-error', idx: count } };
        entries[meta + ENTRY.owner] = -1; // stored: a second record of it (a chunk expanded twice) is skipped
        if (verdict !== 0) pending = { kind: 'state', idx: count, verdict, cur, inst: y };
        else if (k.allCovers) L.covered |= entries[meta + ENTRY.cover];
      }
      if (info[j] === -1 && k.hasDeadlock) return { pending, end: { kind: 'deadlock', cur } };
    }
  }
  return { pending };
}

/**
 * Whether the helpers pay: the time per frontier state of the one-thread search's last level
 * before the handover (and of levels the lead expanded alone) against levels shared with the
 * helpers, the first shared one left out. On a machine whose other work leaves
 * the helpers little time, sharing a level is slower than not; after three shared levels that
 * are not clearly faster, the helpers are let go and the lead goes on alone. Results are the
 * same either way; only the time differs.
 */
class Pace {
  private alone: { states: number; ms: number };
  private shared = { states: 0, ms: 0, levels: 0 };

  /** `alone`: levels the lead expanded on its own before (the one-thread search's last, on a handover). */
  constructor(alone = { states: 0, ms: 0 }) {
    this.alone = alone.ms > 0 ? { ...alone } : { states: 0, ms: 0 };
  }

  level(parallel: boolean, states: number, ms: number, pool: HelperPool | undefined): void {
    const t = parallel ? this.shared : this.alone;
    t.states += states;
    t.ms += ms;
    if (!parallel || !pool || this.alone.states === 0) return;
    // The first shared level is left out: the threads' caches and code are still cold.
    if (++this.shared.levels === 1) { this.shared.states = 0; this.shared.ms = 0; return; }
    if (this.shared.levels < 3) return;
    const aloneRate = this.alone.states / this.alone.ms, sharedRate = this.shared.states / this.shared.ms;
    if (sharedRate < 1.15 * aloneRate) pool.retire();
  }
}

/**
 * The explicit-state engine: level-by-level breadth-first search over bit-packed states.
 * The first violation reported is at minimal depth: while expanding level d, a dead end at
 * level d (trace length d) beats any violation on the way to level d+1, and the level is
 * finished before a length d+1 violation is reported. Deterministic: instances are tried in
 * canonical order and states are numbered in discovery order.
 */
import { CUT_TAG } from '../properties/isolate.ts';
import type { Model } from '../model/lang/ir.ts';
import { compileModel, type CompiledModel } from './compile.ts';
import { PagedStore, stateBytes, viaBytesFor } from './visited.ts';
import { initialState } from './interpreter.ts';
import { toSlots } from './layout.ts';
import { canonicaliser, concretePath, type Canonicaliser } from './symmetry.ts';
import { checkSymmetry } from '../model/lang/symmetry.ts';
import { ModelError } from '../model/lang/expr.ts';
import { checkParallel, type ParallelTuning } from './parallel/search.ts';
import { HandoverPlan, type Resume } from './parallel/handover.ts';
import { fingerprintStore, type FingerprintStats } from './fingerprint.ts';

export interface ExplicitOptions {
  maxStates?: number;
  maxSeconds?: number;
  /** Byte limit for stored states (default 4 GiB). */
  maxBytes?: number;
  /** Store one state per orbit when the model declares interchangeable members (default true). */
  symmetry?: boolean;
  /**
   * Threads searching (default 1). With more, each BFS level is expanded by helper threads
   * sharing the visited set (checker/parallel/search.ts); results are identical apart from
   * timings. Helpers start only once the search has run a moment (a small model never pays).
   * Example: `checkExplicit(model, { workers: os.availableParallelism() })`.
   */
  workers?: number;
  /** Tuning of the parallel search (tests use it to force helpers onto small models). */
  parallel?: ParallelTuning;
  /**
   * Hash compaction (`check --fingerprint`, one thread only): store a 64-bit fingerprint per
   * state instead of the state, and full states only for the BFS levels being expanded
   * (checker/fingerprint.ts). A state may be omitted (with the probability the result gives),
   * so a pass is probabilistic; a violation's trace is real.
   */
  fingerprint?: boolean;
  /** Called about once a second. */
  onProgress?: (p: { states: number; depth: number; statesPerSecond: number; seconds: number }) => void;
}

/** What the violation is, before it is turned into a readable result. */
export type RawViolation =
  | { kind: 'invariant' | 'quiescence'; index: number }
  | { kind: 'deadlock' }
  | { kind: 'requires'; requirement: number }
  | { kind: 'bounds' }
  | { kind: 'cover'; index: number };

export interface RawResult {
  verdict: 'pass' | 'violation' | 'incomplete';
  reason?: string;
  violation?: RawViolation;
  /** Instance ids from the initial state; for requires/bounds the last is the offending step. */
  path?: number[];
  states: number;
  transitions: number;
  depth: number;
  seconds: number;
  /** Bytes one stored state costs: its packed words, parent and action links, two hash-table slots (visited.ts stateBytes). */
  bytesPerState: number;
  /** Bytes the visited set has allocated (pages of states and a table; visited.ts storeBytes). */
  bytesAllocated: number;
  unreachedActions: string[];
  /** Present when the model declares symmetry: whether it was used, and what was stored. */
  symmetry?: SymmetryStats;
  /** Threads that searched (the lead and its helpers); absent when helpers were not asked for. */
  workers?: number;
  /** Present for a hash-compaction run (`fingerprint: true`): the fingerprint width and the omission bound. */
  fingerprint?: FingerprintStats;
}

export interface SymmetryStats {
  on: boolean;
  /** The interchangeable members. */
  members: string[];
  /** States stored, one per orbit when `exact`. */
  orbits?: number;
  /** Whether every stored state is its orbit's one representative (see checker/symmetry.ts). */
  exact?: boolean;
}

const honoured = new WeakMap<Model, boolean>();
/**
 * Whether the model still honours its declared symmetry. `build()` checks a user's declaration;
 * this catches a model derived from it that no longer does (a probe for one concrete state, say),
 * which is then searched without reduction: slower, never wrong.
 */
function honoursSymmetry(model: Model): boolean {
  let ok = honoured.get(model);
  if (ok === undefined) {
    try { checkSymmetry(model); ok = true; } catch (err) { if (!(err instanceof ModelError)) throw err; ok = false; }
    honoured.set(model, ok);
  }
  return ok;
}

/**
 * The visited set as the breadth-first search sees it: the exact paged store (visited.ts) or hash
 * compaction's fingerprints (fingerprint.ts). States are numbered in insertion order; the search
 * itself (below) is the same for both.
 */
export interface SearchStore {
  readonly count: number;
  /** Bytes allocated (the memory limit's figure). */
  readonly bytes: number;
  /** Bytes one more stored state costs, for the result. */
  readonly bytesPerState: number;
  /** The new state's index, or a negative number when it is stored already. Throws RangeError('memory'). */
  insert(buf: Int32Array, off: number, parent: number, via: number): number;
  /** Whether the state in `buf` at `off` is stored. */
  has(buf: Int32Array, off: number): boolean;
  /** Where state `idx` of the level being expanded is packed: `c.unpack(page(idx), offset(idx), slots)`. */
  page(idx: number): Int32Array;
  offset(idx: number): number;
  /** The states inserted since the last call become the level to expand. */
  nextLevel(): void;
  /** The instances leading from the initial state to state `idx`. */
  pathTo(idx: number): number[];
  /** The stored (canonical) states along that path, the initial state left out: symmetry's concretePath walks them. */
  representatives(idx: number): Int32Array[];
  /** What the store adds to the result (the fingerprint figures). */
  resultFields(): Partial<RawResult>;
}

/** The exact store (visited.ts's PagedStore): every state kept, packed. */
function exactStore(c: CompiledModel, store: PagedStore): SearchStore {
  const W = c.layout.words;
  const nslots = c.layout.slots.length;
  return {
    get count() { return store.count; },
    get bytes() { return store.bytes; },
    bytesPerState: stateBytes(W, store.viaBytes),
    insert: (buf, off, parent, via) => store.insert(buf, off, parent, via),
    has: (buf, off) => store.find(buf, off) >= 0,
    page: (idx) => store.page(idx),
    offset: (idx) => store.offset(idx),
    nextLevel: () => {},
    pathTo: (idx) => store.links.pathTo(idx),
    representatives: (idx) => {
      const chain: number[] = [];
      for (let i = idx; store.parentOf(i) >= 0; i = store.parentOf(i)) chain.push(i);
      return chain.reverse().map((i) => { const r = new Int32Array(nslots); c.unpack(store.page(i), store.offset(i), r); return r; });
    },
    resultFields: () => ({}),
  };
}

export function checkExplicit(model: Model, opts: ExplicitOptions = {}, compiled: CompiledModel = compileModel(model)): RawResult {
  const t0 = performance.now();
  const c = compiled;
  const sym = model.symmetry && opts.symmetry !== false && honoursSymmetry(model) ? canonicaliser(model, c.layout) : undefined;
  if (opts.fingerprint && (opts.workers ?? 1) > 1) throw new Error('fingerprint mode searches with one thread: workers must be 1');
  const init = toSlots(model, c.layout, initialState(model));
  const maxBytes = opts.maxBytes ?? 4 * 2 ** 30;
  if (opts.fingerprint) return search(model, opts, c, sym, init, fingerprintStore(c, sym, init, maxBytes), t0) as RawResult;
  let paged: PagedStore | undefined = new PagedStore(c.layout.words, viaBytesFor(c.instances.length), maxBytes);
  const workers = opts.workers ?? 1;
  if (workers === 1) return search(model, opts, c, sym, init, exactStore(c, paged), t0) as RawResult;
  const tuning = opts.parallel ?? {};
  // Tests force the helpers onto the first level of tiny models: straight to the parallel search.
  if (tuning.waitForHelpers) return checkParallel(model, opts, c, sym, tuning);
  // Otherwise on one thread first, in this engine; the parallel search takes over (handover.ts).
  const plan = new HandoverPlan(model, sym !== undefined, workers - 1, t0, tuning);
  try {
    const r = search(model, opts, c, sym, init, exactStore(c, paged), t0, plan);
    if (!('handover' in r)) return { ...r, workers: 1 };
    const resume: Resume = { ...r.handover, store: paged, pool: plan.pool!, t0 };
    paged = undefined; // the parallel search copies the states and lets the store go
    return checkParallel(model, opts, c, sym, tuning, resume);
  } finally {
    plan.close(); // helpers booted for a search that ended (or threw) before the handover, or after it
  }
}

/** The one-thread search stopped at a level boundary for the parallel search to go on (handover.ts). */
type Handed = { handover: Omit<Resume, 'store' | 'pool' | 't0'> };

/** The breadth-first search of checkExplicit over `store`, from the initial state `init` (slots), started at `t0`. */
function search(model: Model, opts: ExplicitOptions, c: CompiledModel, sym: Canonicaliser | undefined, init: Int32Array, store: SearchStore, t0: number, plan?: HandoverPlan): RawResult | Handed {
  const W = c.layout.words;
  const nslots = c.layout.slots.length;
  const v = new Int32Array(nslots);
  const n = new Int32Array(nslots);
  const buf = new Int32Array(W);
  const covProps = model.properties.filter((p) => p.kind === 'cover');
  const allCovers = covProps.length ? (2 ** covProps.length - 1) : 0;
  let covered = 0;
  const fired = new Uint8Array(model.actions.length);
  let transitions = 0;
  let depth = 0;

  // Under symmetry the stored states are representatives: walk them again on the real model.
  const concrete = (idx: number, last?: { inst: number; status: number }): { path: number[]; status?: number } => {
    if (!sym) return { path: last ? [...store.pathTo(idx), last.inst] : store.pathTo(idx), status: last?.status };
    const requirement = last && last.status > 0 ? c.instances[last.inst].action.requires[last.status - 1].id : undefined;
    return concretePath(c, sym, init, store.representatives(idx), last ? { status: last.status, requirement } : undefined);
  };
  const pathTo = (idx: number) => concrete(idx).path;
  const seconds = () => (performance.now() - t0) / 1000;
  const finish = (r: Partial<RawResult> & Pick<RawResult, 'verdict'>): RawResult => ({
    states: store.count, transitions, depth, seconds: seconds(),
    bytesPerState: store.bytesPerState,
    bytesAllocated: store.bytes,
    // A cut's stutter (properties/isolate.ts) is never enabled when nothing is cut: not news.
    unreachedActions: model.actions.filter((a, i) => !fired[i] && !a.tags.includes(CUT_TAG)).map((a) => a.name),
    ...(model.symmetry ? { symmetry: sym ? { on: true, members: model.symmetry.members, orbits: store.count, exact: sym.exact } : { on: false, members: model.symmetry.members } } : {}),
    ...store.resultFields(),
    ...r,
  });

  // A newly discovered state: invariants, then quiescence if final. Returns a violation or undefined.
  const checkState = (slots: Int32Array): RawViolation | undefined => {
    const inv = c.checkInvariants(slots);
    if (inv >= 0) return { kind: 'invariant', index: inv };
    if (c.isFinal(slots)) {
      const q = c.checkQuiescence(slots);
      if (q >= 0) return { kind: 'quiescence', index: q };
    }
    if (allCovers) covered |= c.covers(slots);
    return undefined;
  };

  const init0 = Int32Array.from(init);
  if (sym) sym.canon(init0);
  c.pack(init0, buf, 0);
  store.insert(buf, 0, -1, -1);
  store.nextLevel();
  c.unpack(store.page(0), store.offset(0), v);
  const v0 = checkState(v);
  if (v0) return finish({ verdict: 'violation', violation: v0, path: [] });

  let levelStart = 0;
  let levelEnd = store.count;
  let lastProgress = t0;
  let pending: { violation: RawViolation; path: number[] } | undefined;
  let limit: string | undefined;
  let cur = 0;

  const emit = (inst: number, status: number) => {
    transitions++;
    if (pending || limit) return;
    fired[c.instances[inst].actionIndex] = 1;
    if (status !== 0) {
      const at = concrete(cur, { inst, status });
      const violation: RawViolation = at.status! > 0 ? { kind: 'requires', requirement: at.status! - 1 } : { kind: 'bounds' };
      pending = { violation, path: at.path };
      return;
    }
    if (sym) sym.canon(n);
    c.pack(n, buf, 0);
    // Only a new state passes the limit: a run that stores exactly maxStates states is exhaustive.
    if (opts.maxStates !== undefined && store.count >= opts.maxStates && !store.has(buf, 0)) {
      limit = `stopped at --max-states ${opts.maxStates}`;
      return;
    }
    let idx: number;
    try {
      idx = store.insert(buf, 0, cur, inst);
    } catch (err) {
      if (err instanceof RangeError && err.message === 'memory') { limit = 'stopped at the memory limit for stored states'; return; }
      throw err;
    }
    if (idx < 0) return;
    const bad = checkState(n);
    if (bad) pending = { violation: bad, path: pathTo(idx) };
  };

  // The previous level's frontier and time: the handover's growth test, and the parallel
  // search's measure of whether its helpers pay.
  let previous = 0, previousMs = 0, tLevel = plan ? performance.now() : 0;
  while (levelStart < levelEnd) {
    if (plan) {
      const now = performance.now();
      if (levelStart > 0) previousMs = now - tLevel;
      tLevel = now;
      if (plan.due(levelEnd - levelStart, previous, depth)) {
        return { handover: { levelStart, levelEnd, depth, transitions, fired, covered, alone: { states: previous, ms: previousMs } } };
      }
    }
    previous = levelEnd - levelStart;
    for (cur = levelStart; cur < levelEnd; cur++) {
      c.unpack(store.page(cur), store.offset(cur), v);
      const enabledCount = c.successors(v, n, emit);
      if (enabledCount === 0 && !c.isFinal(v) && model.properties.some((p) => p.kind === 'deadlock')) {
        return finish({ verdict: 'violation', violation: { kind: 'deadlock' }, path: pathTo(cur) });
      }
      if (limit) return finish({ verdict: 'incomplete', reason: limit });
      if ((cur & 1023) === 0) {
        const now = performance.now();
        if (opts.maxSeconds !== undefined && now - t0 > opts.maxSeconds * 1000) {
          return finish({ verdict: 'incomplete', reason: `stopped at --max-seconds ${opts.maxSeconds}` });
        }
        if (opts.onProgress && now - lastProgress > 1000) {
          lastProgress = now;
          const s = (now - t0) / 1000;
          opts.onProgress({ states: store.count, depth, statesPerSecond: store.count / s, seconds: s });
        }
      }
    }
    if (pending) {
      depth++;
      return finish({ verdict: 'violation', violation: pending.violation, path: pending.path, depth: pending.path.length });
    }
    levelStart = levelEnd;
    levelEnd = store.count;
    store.nextLevel();
    if (levelStart < levelEnd) depth++;
  }
  if (covered !== allCovers) {
    const index = covProps.findIndex((_, i) => !(covered & (1 << i)));
    return finish({ verdict: 'violation', violation: { kind: 'cover', index } });
  }
  return finish({ verdict: 'pass' });
}

/**
 * When the one-thread search hands its work to the parallel one (`--workers N`, N > 1). A search
 * starts on one thread, in the one-thread engine (checker/explicit.ts), the faster of the two on
 * one thread; once it has run `startAfterMs` the helpers boot on the other cores (each compiles
 * the model and warms up, warm-up.ts), and at the first level boundary where one is ready and the
 * search is still worth sharing, the stored states move to the shared arrays (a copy of the
 * words, links and hash table: milliseconds) and the parallel search goes on from that level
 * (checker/parallel/search.ts). A search done before then never pays for the helpers, and its
 * results are the one-thread engine's, whatever N.
 *
 * Worth sharing: the frontier is large enough to split and still growing fast (at least GROWTH
 * times the previous level), or the search has run HANDOVER_ANYWAY_MS and its levels are not
 * shrinking. On the 2-core machine a
 * shared level pays only once levels are large, and the first shared levels are slow (both
 * threads compile the parallel code): near the peak of a search of half a second (mm shape,
 * 7 senders: levels of 47,755 then 48,090 states when a helper was ready) sharing cost more than
 * it saved, while a search still growing by a third per level (8 senders: 74,896 then 101,334)
 * has most of its work ahead.
 */
import type { Model } from '../../model/lang/ir.ts';
import type { PagedStore } from '../visited.ts';
import { HelperPool } from './pool.ts';

/** A frontier grows at least this much per level for a handover before HANDOVER_ANYWAY_MS. */
export const GROWTH = 1.2;
/**
 * After this long, a search hands over unless its levels shrink (by more than SHRINKING): a
 * long search has its work ahead still. At 1 s, vma with 8 threads handed over just past its
 * peak (levels of 137,916 then 136,147 states), with 0.7 s left: the first shared level took
 * 0.23 s against 0.12 s alone, and the search 1.70 s against 1.55 s on one thread.
 */
export const HANDOVER_ANYWAY_MS = 2000;
/** A level smaller than this share of the one before: the search is winding down. */
export const SHRINKING = 0.9;
/** Fewest frontier states for a handover. */
export const MIN_HANDOVER_FRONTIER = 4096;
/**
 * The helpers boot once the search has run this long. Measured on the 2-core machine (medians
 * of 5, search seconds, 1 worker / 2 workers booting at 100 ms / at 250 ms): mm shape 7 senders
 * 0.47 / 0.52 / 0.50; vma 7 threads 0.27 / 0.31 / 0.29; binder 5 0.75 / 0.75 / 0.74; mm 8
 * senders 3.8 / 2.92 / 2.94.
 */
export const START_AFTER_MS = 250;

/** Where the one-thread search stopped: the level about to be expanded, and its figures so far. */
export interface Resume {
  /** The one-thread search's states; the parallel search copies them and drops this (memory). */
  store?: PagedStore;
  levelStart: number;
  levelEnd: number;
  depth: number;
  transitions: number;
  fired: Uint8Array;
  covered: number;
  /** The last level the one-thread search expanded: its frontier and milliseconds (do the helpers pay?). */
  alone: { states: number; ms: number };
  /** The helpers, booted and at least one ready. */
  pool: HelperPool;
  /** When the search started (performance.now()). */
  t0: number;
}

/** Settings of the handover (tests boot the helpers at once and hand over at a given depth). */
export interface HandoverTuning {
  /**
   * Boot the helpers once the search has run this long (default START_AFTER_MS: their start-up
   * runs on the other cores while the one-thread search goes on; a search done sooner never
   * starts them).
   */
  startAfterMs?: number;
  /** Hand over before expanding the level at this depth (waiting for a helper to be ready), whatever its size. */
  handoverAtDepth?: number;
}

/**
 * The one-thread search's side of the handover: asked at each level boundary, it boots the
 * helpers once and says when to hand over.
 *
 * @example
 * const plan = new HandoverPlan(model, false, 1, performance.now());
 * if (plan.due(levelEnd - levelStart, previousFrontier, depth)) ...; // then checkParallel(..., resume)
 * plan.close();                                                       // a search that never handed over
 */
export class HandoverPlan {
  pool?: HelperPool;
  private readonly startAfterMs: number;

  constructor(private readonly model: Model, private readonly symmetry: boolean, private readonly helpers: number,
    private readonly t0: number, private readonly tuning: HandoverTuning = {}) {
    this.startAfterMs = tuning.startAfterMs ?? START_AFTER_MS;
  }

  /** Whether to hand over before expanding the level at `depth` of `frontier` states (the level before had `previous`). */
  due(frontier: number, previous: number, depth: number): boolean {
    const ms = performance.now() - this.t0;
    if (ms < this.startAfterMs) return false;
    if (!this.pool) this.pool = new HelperPool(this.model, this.symmetry, this.helpers);
    if (this.tuning.handoverAtDepth !== undefined) {
      if (depth !== this.tuning.handoverAtDepth) return false;
      this.pool.waitSettled();
      return this.pool.ready() > 0;
    }
    if (this.pool.ready() === 0 || frontier < MIN_HANDOVER_FRONTIER) return false;
    return frontier >= GROWTH * previous || (ms >= HANDOVER_ANYWAY_MS && frontier >= SHRINKING * previous);
  }

  /** Let the helpers go (the search ended before a handover). */
  close(): void {
    this.pool?.close();
  }
}

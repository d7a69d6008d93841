/**
 * Expanding one chunk of a BFS level, the part of the parallel search every thread runs: each
 * successor is canonicalised, packed and looked up in the shared visited set; a state new in
 * this level gets the next free record of the shared arena (its id: the level's base plus its
 * entry number), its words written there, and is claimed in the shared hash table by
 * compare-and-swap. Nothing is numbered here: the lead numbers the chunks' discoveries afterwards
 * in chunk order (checker/parallel/search.ts), which is the one-thread engine's order, in
 * `order` (BFS number -> id); the words never move and the table is never rewritten, so the
 * merge touches neither.
 *
 * Table values: 0 empty; else the bits under the table's mask hold id+1 (the table is at most
 * 4/5 full of the ids handed out), and the bits above are the state's hash's own (`tagged`),
 * as in the one-thread table: a probe compares a state's words only when they match, not on
 * every occupied slot (a cache miss each). An id at or above the level's base is an entry of
 * this level.
 * Per entry (in the level's `entries`), `owner` is the lowest chunk that found it (lowered by compare-and-swap), and the lead
 * keeps the owner's record only: the first discovery in sequential order. A chunk records an
 * entry the first time it meets it while owning it; `seen` holds the token of the expansion that
 * last recorded it, so that a chunk expanded twice (the lead re-expands a chunk whose helper the
 * machine's load holds back, and the first result wins) records every entry in each expansion.
 * The judgement of a new state (invariants, quiescence, covers) is written before the claim
 * publishes it, so it is there whichever expansion's result the lead uses.
 */
import type { CompiledModel } from '../compile.ts';
import type { Canonicaliser } from '../symmetry.ts';
import { hashWords } from '../visited.ts';

/** Indices into the shared control array (an Int32Array over a SharedArrayBuffer). */
export const CTRL = {
  /** Bumped by the lead for every command; helpers wait on it. */
  gen: 0,
  /** 1 = expand a level, 2 = quit. */
  cmd: 1,
  /** (level generation << 16) | next chunk to claim. */
  next: 2,
  /** Chunks finished in this level. */
  done: 3,
  /** Entries allocated in this level. */
  entries: 4,
  /** Set when the entry arena is full: the level is redone with more room. */
  overflow: 5,
  /** Set to stop early (the time limit). */
  stop: 6,
  /** Helpers that have compiled the model and wait for work. */
  ready: 7,
  levelStart: 8,
  levelEnd: 9,
  chunks: 10,
  entryCap: 11,
  /** Helpers that failed to start. */
  failed: 12,
  /** Expansion tokens handed out (each expansion of a chunk has its own). */
  token: 13,
  /** Helpers claiming or expanding a chunk. */
  busy: 15,
  /** The id of this level's entry 0. */
  base: 14,
  size: 16,
} as const;

export const CMD_LEVEL = 1;
export const CMD_QUIT = 2;
/** Most chunks per level: the chunk number is the low 16 bits of `next`. */
export const MAX_CHUNKS = 0xffff;
/** Level generations wrap at this (a helper is never more than one level behind). */
export const GEN_MASK = 0x7fff;

/** The table value of the state with id `id` whose words hash to `hash`, in a table of mask `mask`. */
export function tagged(hash: number, mask: number, id: number): number {
  return (hash & ~mask) | (id + 1);
}

/** Frontier states [from, to) of chunk `k` of `chunks` over level [start, end): contiguous, in order. */
export function chunkRange(start: number, end: number, chunks: number, k: number): [number, number] {
  const len = end - start;
  return [start + Math.floor((k * len) / chunks), start + Math.floor(((k + 1) * len) / chunks)];
}

/** The shared arrays of the search, all over SharedArrayBuffers (sent to helpers when replaced). */
export interface SharedArrays {
  /** States by id, `words` words each (a few ids, claimed and then lost, stay unused). */
  arena: Int32Array;
  /** The id of each stored state, in the one-thread engine's numbering. */
  order: Int32Array;
  /** Open-addressing table, a power of two long. */
  table: Int32Array;
  /** This level's new states: ENTRY_META ints each (see ENTRY), by entry number. */
  entries: Int32Array;
}

/** An Int32Array of `n` ints (at least 1) over a new SharedArrayBuffer. */
export const sharedInts = (n: number) => new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4));

/**
 * The shared arrays, always built here: one object shape, so the code that reads them keeps one
 * map (a spread `{ ...a, table }` made another and deoptimised it).
 */
export function sharedArrays(arena: Int32Array, order: Int32Array, table: Int32Array, entries: Int32Array): SharedArrays {
  return { arena, order, table, entries };
}

/**
 * Store `init` (slots; canonicalised by `sym` first) as state 0: its words at id 0, BFS number
 * 0, and its table slot. The parallel search and a helper's warm-up start from it.
 *
 * @example
 * placeInitial(c, sym, toSlots(model, c.layout, initialState(model)), a);
 */
export function placeInitial(c: CompiledModel, sym: Canonicaliser | undefined, init: Int32Array, a: SharedArrays): void {
  const W = c.layout.words;
  const init0 = Int32Array.from(init);
  if (sym) sym.canon(init0);
  const packed = new Int32Array(W);
  c.pack(init0, packed, 0); // pack only ever writes plain arrays: its feedback stays one kind
  a.arena.set(packed, 0);
  a.order[0] = 0;
  const m = a.table.length - 1;
  const h = hashWords(a.arena, 0, W);
  a.table[h & m] = tagged(h, m, 0);
}

/** Entry numbers a thread takes at a time (the rest of its last block stays unused). */
const ENTRY_BLOCK = 64;

/** Ints per entry: what the lead needs of a new state besides its words. */
export const ENTRY_META = 4;
/** Offsets in an entry's record. */
export const ENTRY = {
  /** Lowest chunk that found it; -1 once the lead has stored it. */
  owner: 0,
  /** Token of the expansion that last recorded it. */
  seen: 1,
  /** The new state's own verdict: 0 fine, i+1 invariant i, -(q+1) quiescence q, PROPERTY_ERROR. */
  verdict: 2,
  /** Cover properties the new state satisfies (bit i: cover i). */
  cover: 3,
} as const;

/** A property read outside a sort: the lead judges the state again to raise the model error. */
export const PROPERTY_ERROR = 0x7fffffff;

/** Event kinds in `ChunkOutput.events` (4 ints each: local state, kind, a, b). */
export const EV_NEW = 0; // a = entry, b = instance
export const EV_BAD = 1; // a = instance, b = status (r+1: requirement r failed; -1: out of its sort)

/** What one chunk found, in the order the one-thread engine meets it. */
export interface ChunkOutput {
  gen: number;
  chunk: number;
  from: number;
  /** Per frontier state: successors emitted, or -1 for none while not final (a dead end). */
  info: Int32Array;
  events: Int32Array;
  nevents: number;
  /** Actions that fired (the lead needs them only for a run that ends in pass). */
  fired: Uint8Array;
  /** False once the canonicaliser chose a representative without trying every renaming. */
  exact: boolean;
  /** Stopped early (entry arena full, or the time limit). */
  aborted: boolean;
  /** A helper's own failure (a protocheck bug), re-thrown by the lead. */
  failure?: string;
}

/** One thread's expander: its compiled model, canonicaliser and scratch vectors. */
export class Expander {
  private readonly W: number;
  private readonly v: Int32Array;
  private readonly n: Int32Array;
  private readonly buf: Int32Array;
  private readonly hasCovers: boolean;
  private spare = -1;
  /**
   * Per block of entry numbers (this thread's own view): the token of the expansion that took it,
   * and the stamp of the level attempt (`attempt`) in which this thread took it.
   */
  private blockToken = new Int32Array(0);
  private blockAttempt = new Int32Array(0);
  /** This thread's level attempts: a new one when the level's base or its entry array changes (a redo gets a new array). */
  private attempt = 0;
  private attemptOf: { entries?: Int32Array; base: number } = { base: -1 };

  constructor(private readonly c: CompiledModel, private readonly sym: Canonicaliser | undefined, coverCount: number) {
    this.W = c.layout.words;
    this.v = new Int32Array(c.layout.slots.length);
    this.n = new Int32Array(c.layout.slots.length);
    this.buf = new Int32Array(this.W);
    this.hasCovers = coverCount > 0;
  }

  /**
   * Expand frontier states [from, to) as chunk `chunk`. `tick(done)` is called every 1024 states
   * (the lead's time limit and progress); the chunk stops early when `ctrl` says stop or overflow.
   */
  expand(
    a: SharedArrays, ctrl: Int32Array, gen: number, chunk: number, from: number, to: number, actions: number,
    tick?: (done: number) => void, abandon?: () => boolean,
  ): ChunkOutput {
    const { c, W, v, n, buf } = this;
    const token = Atomics.add(ctrl, CTRL.token, 1) + 1;
    const info = new Int32Array(to - from);
    let events = new Int32Array(1024);
    let ne = 0;
    const fired = new Uint8Array(actions);
    const entryCap = ctrl[CTRL.entryCap];
    let aborted = false;
    let local = 0;
    let blockNext = 0, blockEnd = 0;
    const push = (kind: number, x: number, y: number) => {
      if ((ne + 1) * 4 > events.length) { const e = new Int32Array(events.length * 2); e.set(events); events = e; }
      const o = ne * 4;
      events[o] = local; events[o + 1] = kind; events[o + 2] = x; events[o + 3] = y;
      ne++;
    };
    const { table, arena, entries, order } = a;
    const R = ENTRY_META;
    const tmask = table.length - 1;
    const levelBase = ctrl[CTRL.base];
    if (this.blockToken.length * ENTRY_BLOCK < entryCap) {
      this.blockToken = new Int32Array(Math.ceil(entryCap / ENTRY_BLOCK));
      this.blockAttempt = new Int32Array(this.blockToken.length);
    }
    if (this.attemptOf.entries !== entries || this.attemptOf.base !== levelBase) {
      this.attemptOf = { entries, base: levelBase };
      this.attempt++;
    }
    const { blockToken, blockAttempt, attempt } = this;
    const equal = (arr: Int32Array, base: number) => {
      for (let i = 0; i < W; i++) if (arr[base + i] !== buf[i]) return false;
      return true;
    };
    const emit = (inst: number, status: number) => {
      if (aborted) return;
      fired[c.instances[inst].actionIndex] = 1;
      if (status !== 0) { push(EV_BAD, inst, status); return; }
      if (this.sym) this.sym.canon(n);
      c.pack(n, buf, 0);
      const hash = hashWords(buf, 0, W);
      let slot = hash & tmask;
      for (;;) {
        // A plain read: a slot is written once (0 to its value, by compare-and-swap), so a value
        // read is the value; 0 may be stale, and the compare-and-swap below then tells.
        let t = table[slot];
        if (t !== 0 && ((t ^ hash) & ~tmask) !== 0) { slot = (slot + 1) & tmask; continue; } // another state's tag
        if (t === 0) {
          let e = this.spare;
          if (e < 0) {
            if (blockNext === blockEnd) {
              // Entry numbers a block at a time: one shared counter bumped per new state was a
              // contended cache line between the threads (mm shape, 8 senders: 3.3 -> 3.0 s).
              const b = Atomics.add(ctrl, CTRL.entries, ENTRY_BLOCK);
              if (b >= entryCap) { Atomics.store(ctrl, CTRL.overflow, 1); aborted = true; return; }
              blockNext = b;
              blockEnd = Math.min(b + ENTRY_BLOCK, entryCap);
              const block = (b / ENTRY_BLOCK) | 0;
              blockToken[block] = token;
              blockAttempt[block] = attempt;
            }
            e = blockNext++;
          }
          const id = levelBase + e, at = id * W, base = e * R;
          for (let i = 0; i < W; i++) arena[at + i] = buf[i];
          entries[base + ENTRY.owner] = chunk;
          entries[base + ENTRY.seen] = token;
          this.judge(entries, base);
          // Words and judgement are written before the claim publishes them (Atomics order them).
          t = Atomics.compareExchange(table, slot, 0, tagged(hash, tmask, id));
          if (t === 0) {
            this.spare = -1;
            push(EV_NEW, e, inst);
            return;
          }
          this.spare = e; // lost the race: keep the entry for the next new state
          if (((t ^ hash) & ~tmask) !== 0) { slot = (slot + 1) & tmask; continue; }
        }
        const id = (t & tmask) - 1;
        if (id < levelBase) {
          if (equal(arena, id * W)) return;
        } else {
          const e = id - levelBase;
          const base = e * R, block = (e / ENTRY_BLOCK) | 0;
          // Another thread's words of this level are read after an atomic read of the slot that
          // published them (the claim's compare-and-swap orders them); this thread's own need
          // none, and skipping it pays (an Atomics call per hit: mm shape, 8 senders, alone:
          // 0.4 s of 4.2).
          const mine = blockAttempt[block] === attempt;
          if (!mine) t = Atomics.load(table, slot);
          if (equal(arena, id * W)) {
            // An entry this expansion made: it is recorded, or a lower chunk owns it; either way
            // nothing to do, and its record (a cache miss) is not read. (Tokens are unique within
            // an attempt only: each control array counts its own, so the attempt is checked too;
            // a token left from the warm-up's private array once matched and lost a state.)
            if (mine && blockToken[block] === token) return;
            // Lower the owner to this chunk; record the entry once per expansion while owning it.
            const ow = base + ENTRY.owner;
            let o = Atomics.load(entries, ow);
            while (o > chunk) {
              const was = Atomics.compareExchange(entries, ow, o, chunk);
              if (was === o) { o = chunk; break; }
              o = was;
            }
            if (o === chunk && entries[base + ENTRY.seen] !== token) { entries[base + ENTRY.seen] = token; push(EV_NEW, e, inst); }
            return;
          }
        }
        slot = (slot + 1) & tmask;
      }
    };
    for (let cur = from; cur < to; cur++, local++) {
      if ((local & 63) === 0) {
        if (Atomics.load(ctrl, CTRL.stop) || Atomics.load(ctrl, CTRL.overflow) || abandon?.()) { aborted = true; break; }
        if (tick && (local & 1023) === 0) tick(local);
      }
      c.unpack(arena, order[cur] * W, v);
      const k = c.successors(v, n, emit);
      if (aborted) break;
      info[local] = k === 0 && !c.isFinal(v) ? -1 : k;
    }
    // A spare entry is claimed by nobody: the lead ignores entries no chunk recorded.
    this.spare = -1;
    return { gen, chunk, from, info, events, nevents: ne, fired, exact: this.sym ? this.sym.exact : true, aborted };
  }

  /**
   * Take the entry blocks this thread has taken so far for another thread's: the warm-up (see
   * warm-up.ts) expands a level's chunks in turn with this in between, so that the code for a
   * state another thread found in this level runs before V8 optimises it.
   */
  forgetBlocks(): void {
    this.attempt++;
  }

  /** The new state's invariants, quiescence and covers (the state is in `this.n`), into the record at `meta`. */
  private judge(entries: Int32Array, meta: number): void {
    const { c, n } = this;
    try {
      let verdict = 0;
      const inv = c.checkInvariants(n);
      if (inv >= 0) verdict = inv + 1;
      else if (c.isFinal(n)) {
        const q = c.checkQuiescence(n);
        if (q >= 0) verdict = -(q + 1);
      }
      entries[meta + ENTRY.verdict] = verdict;
      entries[meta + ENTRY.cover] = verdict === 0 && this.hasCovers ? c.covers(n) : 0;
    } catch {
      entries[meta + ENTRY.verdict] = PROPERTY_ERROR;
    }
  }
}

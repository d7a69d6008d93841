/**
 * Hash compaction (`check --fingerprint`): the explicit engine's breadth-first search with a
 * visited set of 64-bit fingerprints (two independent 32-bit hashes of the packed state) instead
 * of the states. Full states are kept only for the level being expanded and the next one, in
 * pages recycled from level to level; every state ever reached costs its fingerprint (8 bytes in
 * a table at most 4/5 full) and its parent and via links (4 + 1..4 bytes).
 *
 * Two states with the same fingerprint are taken for one, so a state (and what only it leads
 * to) may be omitted: the result gives the bound `omissionProbability(states)` and a `pass` is
 * probabilistic. A violation is real: its trace is rebuilt by replaying the via chain from the
 * initial state (and canonicalising under symmetry, as checker/symmetry.ts's concretePath
 * expects), and checker/check.ts replays it on the interpreter as every trace is.
 *
 * The search is the one of checker/explicit.ts step for step (same numbering, same first
 * violation, same limits), so without a collision every figure but the bytes is the same.
 *
 * @example
 * const r = checkExplicit(model, { fingerprint: true });
 * r.fingerprint; // { bits: 64, omissionProbability: 3.1e-14 }
 */
import { CUT_TAG } from '../properties/isolate.ts';
import type { Model } from '../model/lang/ir.ts';
import type { CompiledModel } from './compile.ts';
import { initialState } from './interpreter.ts';
import { toSlots } from './layout.ts';
import { concretePath, type Canonicaliser } from './symmetry.ts';
import { hashWords, LinkPages, PAGE_STATES, viaBytesFor } from './visited.ts';
import type { ExplicitOptions, RawResult, RawViolation } from './explicit.ts';

export interface FingerprintStats {
  bits: 64;
  /**
   * Upper bound on the probability that a state was omitted: n(n-1)/2^65 for n stored states,
   * the chance that two of n uniformly hashed states share a 64-bit fingerprint (birthday bound).
   */
  omissionProbability: number;
}

/**
 * The birthday bound for `n` states and 64-bit fingerprints: n(n-1)/2 pairs, each equal with
 * probability 2^-64, so at most n(n-1)/2^65 (≈ n²/2^65).
 *
 * @example
 * omissionProbability(7_000_000); // ≈ 1.33e-6
 */
export function omissionProbability(n: number): number {
  return (n * (n - 1)) / 2 ** 65;
}

/** A second hash of `words` words, independent of hashWords (other seed, multipliers and finaliser). */
export function hashWords2(buf: Int32Array, off: number, words: number): number {
  let h = 0x9747b28c | 0;
  for (let i = 0; i < words; i++) {
    h = Math.imul(h ^ buf[off + i], 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const PAGE_SHIFT = Math.log2(PAGE_STATES);

/** The fingerprint table is 2^PART_BITS parts, chosen by the second hash's top bits. */
const PART_BITS = 6;
const PARTS = 1 << PART_BITS;
/** Slots of a part at first (two words each); a part doubles when more than 4/5 full. */
const MIN_PART_SLOTS = 1 << 7;

/**
 * The set of fingerprints with the states' links. The table is PARTS open-addressing parts,
 * each doubled on its own when more than 4/5 full, so growing copies 1/64 of the table at a
 * time (never the old and new whole table side by side). Bytes: the parts (8 per slot) and the
 * links' pages; `maxBytes` covers them and the level pages the caller adds through `extra`.
 */
export class FingerprintSet {
  readonly links: LinkPages;
  count = 0;
  private parts: Int32Array[] = [];
  private fill = new Int32Array(PARTS);
  private tableBytes = PARTS * MIN_PART_SLOTS * 8;

  constructor(readonly words: number, viaBytes: 1 | 2 | 4, private maxBytes = Infinity, private extra: () => number = () => 0) {
    this.links = new LinkPages(viaBytes);
    this.links.addPage();
    for (let i = 0; i < PARTS; i++) this.parts.push(new Int32Array(2 * MIN_PART_SLOTS));
  }

  get bytes(): number {
    return this.tableBytes + this.links.bytes;
  }

  /** Whether the fingerprint of the state in `buf` at `off` is in the set. */
  has(buf: Int32Array, off: number): boolean {
    const h1 = hashWords(buf, off, this.words) | 0;
    const h2 = fp2(buf, off, this.words);
    const t = this.parts[h2 >>> (32 - PART_BITS)], mask = (t.length >> 1) - 1;
    for (let slot = h1 & mask; ; slot = (slot + 1) & mask) {
      const a = t[2 * slot], b = t[2 * slot + 1];
      if (a === 0 && b === 0) return false;
      if (a === h1 && b === h2) return true;
    }
  }

  /** Add the state's fingerprint: its new index, or -1 when the fingerprint is there already. Throws RangeError('memory'). */
  insert(buf: Int32Array, off: number, parent: number, via: number): number {
    const h1 = hashWords(buf, off, this.words) | 0;
    const h2 = fp2(buf, off, this.words);
    const part = h2 >>> (32 - PART_BITS);
    let t = this.parts[part], mask = (t.length >> 1) - 1;
    let slot = h1 & mask;
    for (;; slot = (slot + 1) & mask) {
      const a = t[2 * slot], b = t[2 * slot + 1];
      if (a === 0 && b === 0) break;
      if (a === h1 && b === h2) return -1;
    }
    const idx = this.count;
    const needPage = idx === this.links.pages * PAGE_STATES;
    const needTable = (this.fill[part] + 1) * 5 > (mask + 1) * 4;
    if (needPage || needTable) {
      // A doubled part is allocated before the old one is dropped: count both.
      const more = (needPage ? PAGE_STATES * (4 + this.links.viaBytes) : 0) + (needTable ? t.length * 4 * 2 : 0);
      if (this.bytes + this.extra() + more > this.maxBytes) throw new RangeError('memory');
      if (needPage) this.links.addPage();
      if (needTable) {
        t = this.grow(part);
        mask = (t.length >> 1) - 1;
        slot = h1 & mask;
        while (t[2 * slot] !== 0 || t[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      }
    }
    this.count++;
    this.fill[part]++;
    t[2 * slot] = h1;
    t[2 * slot + 1] = h2;
    this.links.set(idx, parent, via);
    return idx;
  }

  /** Part `p` with twice the slots, filled from the old one (fingerprints are all that is kept). */
  private grow(p: number): Int32Array {
    const old = this.parts[p];
    const slots = old.length; // twice the old slot count
    const table = new Int32Array(2 * slots);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i], b = old[i + 1];
      if (a === 0 && b === 0) continue;
      let s = a & mask;
      while (table[2 * s] !== 0 || table[2 * s + 1] !== 0) s = (s + 1) & mask;
      table[2 * s] = a;
      table[2 * s + 1] = b;
    }
    this.parts[p] = table;
    this.tableBytes += old.length * 4;
    return table;
  }
}

/** The second fingerprint word; (0, 0) marks an empty slot, so a zero second word of a zero first one becomes 1. */
function fp2(buf: Int32Array, off: number, words: number): number {
  const h2 = hashWords2(buf, off, words) | 0;
  return h2 === 0 && (hashWords(buf, off, words) | 0) === 0 ? 1 : h2;
}

/**
 * Full states of two BFS levels: the one being expanded (`cur`) and the one being discovered
 * (`next`), in pages of PAGE_STATES states; a finished level's pages are reused by the next.
 */
class LevelQueue {
  private cur: Int32Array[] = [];
  private next: Int32Array[] = [];
  private free: Int32Array[] = [];
  private nextCount = 0;
  /** Pages ever allocated. */
  allocated = 0;

  constructor(private words: number, private maxBytes: number, private others: () => number) {}

  get bytes(): number {
    return this.allocated * PAGE_STATES * this.words * 4;
  }

  /** State `j` of the level being expanded: its page and offset. */
  page(j: number): Int32Array {
    return this.cur[j >>> PAGE_SHIFT];
  }

  offset(j: number): number {
    return (j & (PAGE_STATES - 1)) * this.words;
  }

  /** Append a state to the next level. Throws RangeError('memory') when a new page would pass the limit. */
  push(buf: Int32Array, off: number): void {
    const j = this.nextCount;
    if (j === this.next.length * PAGE_STATES) {
      let p = this.free.pop();
      if (!p) {
        if (this.others() + this.bytes + PAGE_STATES * this.words * 4 > this.maxBytes) throw new RangeError('memory');
        p = new Int32Array(PAGE_STATES * this.words);
        this.allocated++;
      }
      this.next.push(p);
    }
    const page = this.next[j >>> PAGE_SHIFT], base = (j & (PAGE_STATES - 1)) * this.words;
    for (let i = 0; i < this.words; i++) page[base + i] = buf[off + i];
    this.nextCount++;
  }

  /** The next level becomes the one to expand. */
  advance(): void {
    this.free.push(...this.cur);
    this.cur = this.next;
    this.next = [];
    this.nextCount = 0;
  }
}

/** The explicit search (checker/explicit.ts) over fingerprints; called by checkExplicit for `fingerprint: true`. */
export function checkFingerprint(model: Model, opts: ExplicitOptions, c: CompiledModel, sym: Canonicaliser | undefined): RawResult {
  const t0 = performance.now();
  const W = c.layout.words;
  const nslots = c.layout.slots.length;
  const maxBytes = opts.maxBytes ?? 4 * 2 ** 30;
  const viaBytes = viaBytesFor(c.instances.length);
  let queue: LevelQueue | undefined = undefined;
  const store = new FingerprintSet(W, viaBytes, maxBytes, () => queue?.bytes ?? 0);
  queue = new LevelQueue(W, maxBytes, () => store.bytes);
  const q = queue;
  const v = new Int32Array(nslots);
  const n = new Int32Array(nslots);
  const buf = new Int32Array(W);
  const covProps = model.properties.filter((p) => p.kind === 'cover');
  const allCovers = covProps.length ? (2 ** covProps.length - 1) : 0;
  let covered = 0;
  const fired = new Uint8Array(model.actions.length);
  let transitions = 0;
  let depth = 0;
  const init = toSlots(model, c.layout, initialState(model));
  const init0 = Int32Array.from(init);
  if (sym) sym.canon(init0);

  const storedPath = (idx: number): number[] => store.links.pathTo(idx);
  // Under symmetry the stored states were representatives: rebuild them by replaying the via
  // chain from the initial representative, then walk them again on the real model.
  const concrete = (idx: number, last?: { inst: number; status: number }): { path: number[]; status?: number } => {
    if (!sym) return { path: last ? [...storedPath(idx), last.inst] : storedPath(idx), status: last?.status };
    const reps: Int32Array[] = [];
    let rep: Int32Array = init0;
    const succ = new Int32Array(nslots);
    for (const inst of storedPath(idx)) {
      let next = undefined as Int32Array | undefined;
      c.successors(rep, succ, (i, st) => { if (i === inst && st === 0) next = Int32Array.from(succ); });
      if (!next) throw new Error(`fingerprint: instance ${inst} is not a step of the stored representative`);
      sym.canon(next);
      reps.push(next);
      rep = next;
    }
    const requirement = last && last.status > 0 ? c.instances[last.inst].action.requires[last.status - 1].id : undefined;
    return concretePath(c, sym, init, reps, last ? { status: last.status, requirement } : undefined);
  };
  const pathTo = (idx: number) => concrete(idx).path;
  const seconds = () => (performance.now() - t0) / 1000;
  const finish = (r: Partial<RawResult> & Pick<RawResult, 'verdict'>): RawResult => ({
    states: store.count, transitions, depth, seconds: seconds(),
    // Old levels: links and two fingerprint slots.
    bytesPerState: 4 + viaBytes + 16,
    bytesAllocated: store.bytes + q.bytes,
    unreachedActions: model.actions.filter((a, i) => !fired[i] && !a.tags.includes(CUT_TAG)).map((a) => a.name),
    ...(model.symmetry ? { symmetry: sym ? { on: true, members: model.symmetry.members, orbits: store.count, exact: sym.exact } : { on: false, members: model.symmetry.members } } : {}),
    fingerprint: { bits: 64, omissionProbability: omissionProbability(store.count) },
    ...r,
  });

  const checkState = (slots: Int32Array): RawViolation | undefined => {
    const inv = c.checkInvariants(slots);
    if (inv >= 0) return { kind: 'invariant', index: inv };
    if (c.isFinal(slots)) {
      const qi = c.checkQuiescence(slots);
      if (qi >= 0) return { kind: 'quiescence', index: qi };
    }
    if (allCovers) covered |= c.covers(slots);
    return undefined;
  };

  c.pack(init0, buf, 0);
  store.insert(buf, 0, -1, -1);
  q.push(buf, 0);
  q.advance();
  c.unpack(q.page(0), 0, v);
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
    if (opts.maxStates !== undefined && store.count >= opts.maxStates && !store.has(buf, 0)) {
      limit = `stopped at --max-states ${opts.maxStates}`;
      return;
    }
    let idx: number;
    try {
      idx = store.insert(buf, 0, cur, inst);
      if (idx >= 0) q.push(buf, 0);
    } catch (err) {
      if (err instanceof RangeError && err.message === 'memory') { limit = 'stopped at the memory limit for stored states'; return; }
      throw err;
    }
    if (idx < 0) return;
    const bad = checkState(n);
    if (bad) pending = { violation: bad, path: pathTo(idx) };
  };

  while (levelStart < levelEnd) {
    for (cur = levelStart; cur < levelEnd; cur++) {
      const j = cur - levelStart;
      c.unpack(q.page(j), q.offset(j), v);
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
    q.advance();
    if (levelStart < levelEnd) depth++;
  }
  if (covered !== allCovers) {
    const index = covProps.findIndex((_, i) => !(covered & (1 << i)));
    return finish({ verdict: 'violation', violation: { kind: 'cover', index } });
  }
  return finish({ verdict: 'pass' });
}

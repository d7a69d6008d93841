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
 * The search is checker/explicit.ts's own (this file gives it a SearchStore): same numbering,
 * same first violation, same limits, so without a collision every figure but the bytes is the same.
 *
 * @example
 * const r = checkExplicit(model, { fingerprint: true });
 * r.fingerprint; // { bits: 64, omissionProbability: 3.1e-14 }
 */
import type { CompiledModel } from './compile.ts';
import type { Canonicaliser } from './symmetry.ts';
import { hashWords, LinkPages, PAGE_STATES, viaBytesFor } from './visited.ts';
import type { SearchStore } from './explicit.ts';

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

/**
 * The visited set of checkExplicit's search for `fingerprint: true`: fingerprints and links of
 * every state, full states of the level being expanded and the next. `init` is the model's
 * initial state (slots, not yet canonical).
 */
export function fingerprintStore(c: CompiledModel, sym: Canonicaliser | undefined, init: Int32Array, maxBytes: number): SearchStore {
  const W = c.layout.words;
  const nslots = c.layout.slots.length;
  const viaBytes = viaBytesFor(c.instances.length);
  let queue: LevelQueue | undefined = undefined;
  const set = new FingerprintSet(W, viaBytes, maxBytes, () => queue?.bytes ?? 0);
  queue = new LevelQueue(W, maxBytes, () => set.bytes);
  const q = queue;
  // The first state of the level being expanded, and of the level being discovered.
  let expandStart = 0;
  let nextStart = 0;
  return {
    get count() { return set.count; },
    get bytes() { return set.bytes + q.bytes; },
    // Old levels: links and two fingerprint slots.
    bytesPerState: 4 + viaBytes + 16,
    insert: (buf, off, parent, via) => {
      const idx = set.insert(buf, off, parent, via);
      if (idx >= 0) q.push(buf, off);
      return idx;
    },
    has: (buf, off) => set.has(buf, off),
    page: (idx) => q.page(idx - expandStart),
    offset: (idx) => q.offset(idx - expandStart),
    nextLevel: () => {
      q.advance();
      expandStart = nextStart;
      nextStart = set.count;
    },
    pathTo: (idx) => set.links.pathTo(idx),
    // The stored states were representatives: rebuild them by replaying the via chain from the
    // initial representative.
    representatives: (idx) => {
      const reps: Int32Array[] = [];
      let rep: Int32Array = Int32Array.from(init);
      if (sym) sym.canon(rep);
      const succ = new Int32Array(nslots);
      for (const inst of set.links.pathTo(idx)) {
        let next = undefined as Int32Array | undefined;
        c.successors(rep, succ, (i, st) => { if (i === inst && st === 0) next = Int32Array.from(succ); });
        if (!next) throw new Error(`fingerprint: instance ${inst} is not a step of the stored representative`);
        if (sym) sym.canon(next);
        reps.push(next);
        rep = next;
      }
      return reps;
    },
    resultFields: () => ({ fingerprint: { bits: 64, omissionProbability: omissionProbability(set.count) } }),
  };
}

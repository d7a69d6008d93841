/**
 * The visited sets: PagedStore (the explicit engine's: states in fixed pages, an exact hash
 * table at most 4/5 full, narrow links) and StateStore (one doubling arena, for small searches).
 * Both are exact: no state is ever lost to a hash collision.
 */
/** Hash of the `words` words of `buf` at `off` (FNV-1a steps, then a murmur3 finaliser). */
export function hashWords(buf: Int32Array, off: number, words: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words; i++) {
    h = Math.imul(h ^ buf[off + i], 0x01000193);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** States per page of the paged stores (their state words, parents and links grow one page at a time). */
export const PAGE_STATES = 1 << 12;
const PAGE_SHIFT = 12;
const PAGE_MASK = PAGE_STATES - 1;
/** Slots of a paged store's first hash table; it doubles when more than 4/5 full. */
export const MIN_TABLE_SLOTS = 1 << 13;

/** Bytes of one `via` link: the narrowest unsigned array that holds every instance id. */
export function viaBytesFor(instances: number): 1 | 2 | 4 {
  return instances <= 1 << 8 ? 1 : instances <= 1 << 16 ? 2 : 4;
}

/**
 * Slots of the hash table of a store holding `count` states: a power of two at most 4/5 full.
 * (At 3/4, the old and new tables side by side while the table doubles took a run that stopped
 * just after a doubling to 40.0 B of peak RSS per state at 12.6 M states; at 4/5 both the peak
 * and the average are lower, and probes stay short: a slot's tag bits spare most state reads.)
 */
export function tableSlots(count: number): number {
  let slots = MIN_TABLE_SLOTS;
  while (count * 5 > slots * 4) slots *= 2;
  return slots;
}

/**
 * Bytes one state costs in the exact store, as `bytesPerState` reports it: its packed words, its
 * parent (4) and via (`viaBytes`) links, and two hash-table slots (the table is between 2/5 and
 * 4/5 full, 1.25 to 2.5 slots per state).
 */
export function stateBytes(words: number, viaBytes: number): number {
  return words * 4 + 4 + viaBytes + 8;
}

/**
 * Bytes a PagedStore of `words`-word states (via links of `viaBytes`) holds once it stores
 * `count` states: whole pages of PAGE_STATES states (words, parent, via; at least one page),
 * plus a table of `tableSlots(count)` 4-byte slots. The parallel engine reports (and limits
 * memory by) this figure, so its results match the one-thread engine's byte for byte.
 *
 * @example
 * storeBytes(1, 4096, 1); // 4096 * (4 + 4 + 1) + 8192 * 4 = 69,632
 */
export function storeBytes(words: number, count: number, viaBytes: number): number {
  const pages = Math.max(1, Math.ceil(count / PAGE_STATES));
  return pages * PAGE_STATES * (words * 4 + 4 + viaBytes) + tableSlots(count) * 4;
}

type ViaArray = Uint8Array | Uint16Array | Int32Array;

/**
 * The parent and via links of stored states, numbered in discovery order, in pages of
 * PAGE_STATES (growing never copies). `via` is as narrow as the instance count allows.
 */
export class LinkPages {
  private parents: Int32Array[] = [];
  private vias: ViaArray[] = [];

  constructor(readonly viaBytes: 1 | 2 | 4) {}

  /** Pages allocated. */
  get pages(): number {
    return this.parents.length;
  }

  /** Bytes held: pages times the links of PAGE_STATES states. */
  get bytes(): number {
    return this.parents.length * PAGE_STATES * (4 + this.viaBytes);
  }

  /** Allocate one more page (the caller checks its memory limit first). */
  addPage(): void {
    this.parents.push(new Int32Array(PAGE_STATES));
    this.vias.push(this.viaBytes === 1 ? new Uint8Array(PAGE_STATES) : this.viaBytes === 2 ? new Uint16Array(PAGE_STATES) : new Int32Array(PAGE_STATES));
  }

  /** Set state `idx`'s links; its page must be allocated. A `via` of -1 (initial states) is never read back. */
  set(idx: number, parent: number, via: number): void {
    this.parents[idx >>> PAGE_SHIFT][idx & PAGE_MASK] = parent;
    this.vias[idx >>> PAGE_SHIFT][idx & PAGE_MASK] = via;
  }

  /** Parent state index (-1 for initial states). */
  parentOf(idx: number): number {
    return this.parents[idx >>> PAGE_SHIFT][idx & PAGE_MASK];
  }

  /** The instance that led from the parent to state `idx` (meaningless for initial states). */
  viaOf(idx: number): number {
    return this.vias[idx >>> PAGE_SHIFT][idx & PAGE_MASK];
  }

  /** Copy the links of states [0, count) into `parent` and `via` (the parallel search's, on a handover). */
  copyInto(parent: Int32Array, via: Int32Array, count: number): void {
    for (let p = 0; p * PAGE_STATES < count; p++) {
      const n = Math.min(PAGE_STATES, count - p * PAGE_STATES);
      parent.set(this.parents[p].subarray(0, n), p * PAGE_STATES);
      via.set(this.vias[p].subarray(0, n), p * PAGE_STATES);
    }
  }

  /** Instance ids from an initial state to state `idx`. */
  pathTo(idx: number): number[] {
    const p: number[] = [];
    for (let i = idx; this.parentOf(i) >= 0; i = this.parentOf(i)) p.push(this.viaOf(i));
    return p.reverse();
  }
}

/**
 * The explicit engine's visited set: states in pages of PAGE_STATES (also the BFS queue, since
 * states are appended in discovery order), links in LinkPages, and an exact open-addressing
 * table kept at most 4/5 full. A slot holds state index + 1 in its low bits (the slot-number
 * bits: an index is below the table size) and the state hash's other bits above them, so a
 * probe past another state rarely reads that state's words. Growth adds a page (never copying a state)
 * or doubles the table (rehashing from the pages), so the store holds about
 * `words * 4 + 5 + 4/load` bytes per state plus at most one page of slack. Its byte figure is
 * always `storeBytes(words, count, viaBytes)`. No state is ever lost to a hash collision.
 *
 * @example
 * const s = new PagedStore(W, viaBytesFor(c.instances.length));
 * const idx = s.insert(buf, 0, -1, -1); // new: its index; present: -(index + 1)
 * c.unpack(s.page(idx), s.offset(idx), slots);
 */
export class PagedStore {
  readonly links: LinkPages;
  count = 0;
  private pages: Int32Array[] = [];
  private table: Int32Array;
  private mask: number;
  private pageWords: number;

  constructor(readonly words: number, readonly viaBytes: 1 | 2 | 4, private maxBytes = Infinity) {
    this.links = new LinkPages(viaBytes);
    this.pageWords = PAGE_STATES * words;
    this.addPage();
    this.table = new Int32Array(MIN_TABLE_SLOTS);
    this.mask = MIN_TABLE_SLOTS - 1;
  }

  /** Slots of its hash table. */
  get tableSize(): number {
    return this.table.length;
  }

  /** Bytes held by the store's arrays: always `storeBytes(words, count, viaBytes)`. */
  get bytes(): number {
    return this.pages.length * this.pageWords * 4 + this.links.bytes + this.table.length * 4;
  }

  /** The page holding state `idx`'s words, at `offset(idx)`. */
  page(idx: number): Int32Array {
    return this.pages[idx >>> PAGE_SHIFT];
  }

  offset(idx: number): number {
    return (idx & PAGE_MASK) * this.words;
  }

  parentOf(idx: number): number {
    return this.links.parentOf(idx);
  }

  viaOf(idx: number): number {
    return this.links.viaOf(idx);
  }

  /**
   * Copy the stored states' words, state i at word i * words, into `arena`; and, when
   * `table.length` is this store's table size, its hash table into `table` (a slot is the hash's
   * bits above the mask with the index + 1 below them: the parallel search's slot for id = index).
   * Returns whether the table was copied. The handover to the parallel search (checker/explicit.ts).
   */
  copyInto(arena: Int32Array, table: Int32Array): boolean {
    for (let p = 0; p < this.pages.length && p * PAGE_STATES < this.count; p++) {
      const n = Math.min(PAGE_STATES, this.count - p * PAGE_STATES);
      arena.set(this.pages[p].subarray(0, n * this.words), p * this.pageWords);
    }
    if (table.length !== this.table.length) return false;
    table.set(this.table);
    return true;
  }

  private addPage(): void {
    this.pages.push(new Int32Array(this.pageWords));
    this.links.addPage();
  }

  private equalAt(idx: number, buf: Int32Array, off: number): boolean {
    const a = this.pages[idx >>> PAGE_SHIFT], base = (idx & PAGE_MASK) * this.words;
    for (let i = 0; i < this.words; i++) if (a[base + i] !== buf[off + i]) return false;
    return true;
  }

  /** Index of the state in `buf` at `off`, or -1 when it is not stored. */
  find(buf: Int32Array, off: number): number {
    const hash = hashWords(buf, off, this.words), mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const t = this.table[slot];
      if (t === 0) return -1;
      if (((t ^ hash) & ~mask) === 0 && this.equalAt((t & mask) - 1, buf, off)) return (t & mask) - 1;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Insert the state in `buf` at `off`. Returns its index, or -(index+1) when already present.
   * Throws RangeError('memory') when storing it needs a page or a larger table that would take
   * the store past its byte limit (a state already stored never throws).
   */
  insert(buf: Int32Array, off: number, parent: number, via: number): number {
    const hash = hashWords(buf, off, this.words), mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const t = this.table[slot];
      if (t === 0) break;
      if (((t ^ hash) & ~mask) === 0 && this.equalAt((t & mask) - 1, buf, off)) return -(t & mask);
      slot = (slot + 1) & mask;
    }
    const idx = this.count;
    const needPage = idx === this.pages.length * PAGE_STATES;
    const needTable = (idx + 1) * 5 > this.table.length * 4;
    if (needPage || needTable) {
      if (storeBytes(this.words, idx + 1, this.viaBytes) > this.maxBytes) throw new RangeError('memory');
      if (needPage) this.addPage();
      if (needTable) {
        this.rehash(this.table.length * 2);
        slot = hash & this.mask;
        while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      }
    }
    this.count++;
    const page = this.pages[idx >>> PAGE_SHIFT], base = (idx & PAGE_MASK) * this.words;
    for (let i = 0; i < this.words; i++) page[base + i] = buf[off + i]; // no subarray: nothing for the GC per state
    this.links.set(idx, parent, via);
    this.table[slot] = (hash & ~this.mask) | (idx + 1);
    return idx;
  }

  /** A new table of `size` slots, filled from the pages (the old one is dropped first). */
  private rehash(size: number): void {
    this.table = new Int32Array(0);
    const table = new Int32Array(size);
    const mask = size - 1, W = this.words;
    for (let i = 0; i < this.count; i++) {
      const hash = hashWords(this.pages[i >>> PAGE_SHIFT], (i & PAGE_MASK) * W, W);
      let slot = hash & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = (hash & ~mask) | (i + 1);
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * A visited set in one growable arena (doubling), for the small searches of the trace
 * minimiser and the DOT renderer, which read `arena`, `parent` and `via` directly.
 */
export class StateStore {
  arena: Int32Array;
  /** Parent state index (-1 for initial states) and the instance that led here. */
  parent: Int32Array;
  via: Int32Array;
  count = 0;
  private table: Int32Array; // state index + 1; 0 = empty
  private mask: number;

  constructor(readonly words: number, initialCapacity = 1 << 12, private maxBytes = Infinity) {
    this.arena = new Int32Array(initialCapacity * words);
    this.parent = new Int32Array(initialCapacity);
    this.via = new Int32Array(initialCapacity);
    this.table = new Int32Array(initialCapacity * 2);
    this.mask = initialCapacity * 2 - 1;
  }

  /** Bytes held by the store's arrays. */
  get bytes(): number {
    return (this.arena.length + this.parent.length + this.via.length + this.table.length) * 4;
  }

  private hash(buf: Int32Array, off: number): number {
    return hashWords(buf, off, this.words);
  }

  private equalAt(idx: number, buf: Int32Array, off: number): boolean {
    const a = this.arena, base = idx * this.words;
    for (let i = 0; i < this.words; i++) if (a[base + i] !== buf[off + i]) return false;
    return true;
  }

  /** Whether the store can take one more state without passing its byte limit. */
  canGrow(): boolean {
    if (this.count < this.parent.length) return true;
    return this.bytes * 2 <= this.maxBytes;
  }

  /** Index of the state in `buf` at `off`, or -1 when it is not stored. */
  find(buf: Int32Array, off: number): number {
    let slot = this.hash(buf, off) & this.mask;
    for (;;) {
      const t = this.table[slot];
      if (t === 0) return -1;
      if (this.equalAt(t - 1, buf, off)) return t - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Insert the state in `buf` at `off`. Returns its index, or -(index+1) when already present.
   * Throws RangeError('memory') when growing would pass the byte limit.
   */
  insert(buf: Int32Array, off: number, parent: number, via: number): number {
    let slot = this.hash(buf, off) & this.mask;
    for (;;) {
      const t = this.table[slot];
      if (t === 0) break;
      if (this.equalAt(t - 1, buf, off)) return -t;
      slot = (slot + 1) & this.mask;
    }
    if (this.count === this.parent.length) {
      if (!this.canGrow()) throw new RangeError('memory');
      this.grow();
      return this.insert(buf, off, parent, via);
    }
    const idx = this.count++;
    this.arena.set(buf.subarray(off, off + this.words), idx * this.words);
    this.parent[idx] = parent;
    this.via[idx] = via;
    this.table[slot] = idx + 1;
    return idx;
  }

  private grow(): void {
    const cap = this.parent.length * 2;
    const arena = new Int32Array(cap * this.words);
    arena.set(this.arena);
    this.arena = arena;
    const p = new Int32Array(cap); p.set(this.parent); this.parent = p;
    const v = new Int32Array(cap); v.set(this.via); this.via = v;
    this.table = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = this.hash(this.arena, i * this.words) & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = i + 1;
    }
  }
}

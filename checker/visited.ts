/**
 * The visited set: states stored back to back in one growable Int32Array arena (the arena is
 * also the BFS queue, since states are appended in discovery order), indexed by an exact
 * open-addressing hash table. No state is ever lost to a hash collision.
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

/**
 * Bytes a StateStore of `words`-word states holds once it stores `count` states: capacity
 * starts at 4096 and doubles when full. The parallel engine reports (and limits memory by) this
 * figure, so its results match the one-thread engine's byte for byte.
 */
export function storeBytes(words: number, count: number, initialCapacity = 1 << 12): number {
  let cap = initialCapacity;
  while (cap < count) cap *= 2;
  return cap * (words + 4) * 4;
}

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

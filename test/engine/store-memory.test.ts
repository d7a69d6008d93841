/**
 * The exact store (checker/visited.ts PagedStore): states in pages of 4096, links as narrow as
 * the instance count allows, a table doubled when more than 4/5 full. Its byte figure equals
 * `storeBytes` (hand-derived at a few sizes), no state is lost or renumbered across pages and
 * table growth, the memory limit stops at the first state needing a page or table past it, and
 * the parallel search (same figure) stops at the same state when the limit falls on a table
 * doubling rather than a page.
 */
import { describe, expect, it } from 'vitest';
import { PagedStore, storeBytes, stateBytes, tableSlots, viaBytesFor, LinkPages } from '../../checker/visited.ts';
import { checkExplicit, type ExplicitOptions } from '../../checker/explicit.ts';
import { runCheck } from '../../checker/check.ts';
import { counters } from './models.ts';
import { rawWithout } from './timeless.ts';

const FORCED: ExplicitOptions = { workers: 2, parallel: { startAfterMs: 0, waitForHelpers: true, minFrontier: 2, minChunk: 1, chunkSize: 2 } };


/** Insert states 0..n-1 (two words: i, i*7) into `s`, parent i-1, via i. */
function fill(s: PagedStore, from: number, to: number): void {
  const buf = new Int32Array(2);
  for (let i = from; i < to; i++) {
    buf[0] = i; buf[1] = i * 7;
    expect(s.insert(buf, 0, i - 1, i % 256)).toBe(i);
  }
}

describe('storeBytes: pages of 4096 states and a table at most 4/5 full', () => {
  it('via links: 1 byte up to 256 instances, 2 up to 65,536, else 4', () => {
    expect([viaBytesFor(1), viaBytesFor(256), viaBytesFor(257), viaBytesFor(65_536), viaBytesFor(65_537), viaBytesFor(200_000)]).toEqual([1, 1, 2, 2, 4, 4]);
  });

  it('the table: 8192 slots up to 6553 states (4/5 of 8192 is 6553.6), then doubling past 4/5', () => {
    expect([tableSlots(0), tableSlots(6553), tableSlots(6554), tableSlots(13_107), tableSlots(13_108), tableSlots(20_417_535)])
      .toEqual([8192, 8192, 16_384, 16_384, 32_768, 2 ** 25]);
  });

  it('by hand: 2-word states, 1-byte via (4096 × 13 B a page) plus 4 B a slot', () => {
    const page = 4096 * (8 + 4 + 1); // 53,248
    expect(storeBytes(2, 0, 1)).toBe(page + 8192 * 4); // 86,016: one page at least
    expect(storeBytes(2, 4096, 1)).toBe(86_016);
    expect(storeBytes(2, 4097, 1)).toBe(2 * page + 8192 * 4); // 139,264
    expect(storeBytes(2, 6553, 1)).toBe(139_264);
    expect(storeBytes(2, 6554, 1)).toBe(2 * page + 16_384 * 4); // 172,032
    expect(storeBytes(3, 20_417_535, 1)).toBe(4985 * 4096 * 17 + 2 ** 25 * 4); // mm n=9: 481,333,248
    expect(stateBytes(3, 1)).toBe(25);
  });
});

describe('PagedStore', () => {
  it('bytes equal storeBytes at every growth, states and links intact across pages and table doublings', () => {
    const s = new PagedStore(2, 1);
    for (const [from, to] of [[0, 1], [1, 4096], [4096, 4097], [4097, 6553], [6553, 6554], [6554, 13_000]]) {
      fill(s, from, to);
      expect(s.bytes, `${to} states`).toBe(storeBytes(2, to, 1));
    }
    expect(s.bytes).toBe(4 * 53_248 + 16_384 * 4);
    const buf = new Int32Array(2);
    for (const i of [0, 1, 4095, 4096, 6552, 6553, 8191, 8192, 12_999]) {
      buf[0] = i; buf[1] = i * 7;
      expect(s.find(buf, 0)).toBe(i);
      expect(s.insert(buf, 0, 0, 0)).toBe(-(i + 1));
      expect([s.parentOf(i), s.viaOf(i)]).toEqual([i - 1, i % 256]);
      expect(Array.from(s.page(i).subarray(s.offset(i), s.offset(i) + 2))).toEqual([i, i * 7]);
    }
    buf[0] = 1; buf[1] = 8;
    expect(s.find(buf, 0)).toBe(-1);
    expect(s.count).toBe(13_000);
  });

  it('links: 2- and 4-byte via hold the largest instance ids, paths run back to the initial state', () => {
    const l2 = new LinkPages(2), l4 = new LinkPages(4);
    l2.addPage(); l2.addPage(); l4.addPage();
    l2.set(0, -1, -1); l2.set(5000, 0, 65_535);
    l4.set(1, -1, -1); l4.set(7, 1, 199_999); l4.set(9, 7, 3);
    expect([l2.parentOf(5000), l2.viaOf(5000), l4.viaOf(7)]).toEqual([0, 65_535, 199_999]);
    expect(l4.pathTo(9)).toEqual([199_999, 3]);
    expect([l2.bytes, l4.bytes]).toEqual([2 * 4096 * 6, 4096 * 8]);
  });

  it('the memory limit: the first state needing a page past it throws, a stored one never does', () => {
    // One page of 2-word states and the first table: 86,016 B; a second page makes 139,264.
    const s = new PagedStore(2, 1, 100_000);
    fill(s, 0, 4096);
    const buf = Int32Array.from([4096, 4096 * 7]);
    expect(() => s.insert(buf, 0, 0, 0)).toThrow(RangeError);
    expect([s.count, s.bytes]).toEqual([4096, 86_016]);
    buf[0] = 5; buf[1] = 35;
    expect(s.insert(buf, 0, 0, 0)).toBe(-6);
  });

  it('the memory limit on a table doubling: stops at 6553 states', () => {
    const s = new PagedStore(2, 1, 150_000); // 6553 states: 139,264 B; 6554: 172,032
    fill(s, 0, 6553);
    expect(() => s.insert(Int32Array.from([6553, 6553 * 7]), 0, 0, 0)).toThrow('memory');
    expect(s.count).toBe(6553);
  });
});

describe('the engine\'s figures', () => {
  it('counts unchanged past pages and table doublings; bytes as derived (3 counters 0..19: 8000 one-word states)', () => {
    const r = runCheck(counters(3, 19));
    // 2 pages of 4096 × (4 + 4 + 1) B and 16,384 table slots of 4 B.
    expect([r.verdict, r.stats.states, r.stats.transitions, r.stats.depth, r.stats.bytesAllocated, r.stats.bytesPerState])
      .toEqual(['pass', 8000, 22_800, 57, 2 * 4096 * 9 + 16_384 * 4, 4 + 4 + 1 + 8]);
  });

  it('memory limit on a page: 2 counters 0..99 (10,000 states) stop at 4096 under 100,000 B, one and two threads alike', () => {
    const m = counters(2, 99);
    const one = checkExplicit(m, { maxBytes: 100_000 });
    expect([one.verdict, one.reason, one.states, one.bytesAllocated]).toEqual(['incomplete', 'stopped at the memory limit for stored states', 4096, 4096 * 9 + 8192 * 4]);
    expect(rawWithout(checkExplicit(m, { ...FORCED, maxBytes: 100_000 }))).toEqual(rawWithout(one));
  });

  it('memory limit on a table doubling: stop at 6553 states under 120,000 B, one and two threads alike', () => {
    // 6553 states: 2 pages (73,728 B) + 8192 slots (32,768 B) = 106,496; the 6554th needs 16,384 slots: 139,264.
    const m = counters(2, 99);
    const one = checkExplicit(m, { maxBytes: 120_000 });
    expect([one.verdict, one.states, one.bytesAllocated]).toEqual(['incomplete', 6553, 106_496]);
    expect(rawWithout(checkExplicit(m, { ...FORCED, maxBytes: 120_000 }))).toEqual(rawWithout(one));
    const all = checkExplicit(m, { maxBytes: 200_000 });
    expect([all.verdict, all.states, all.bytesAllocated]).toEqual(['pass', 10_000, 3 * 4096 * 9 + 16_384 * 4]);
    expect(rawWithout(checkExplicit(m, { ...FORCED, maxBytes: 200_000 }))).toEqual(rawWithout(all));
  });
});

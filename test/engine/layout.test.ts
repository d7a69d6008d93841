/**
 * Bit-packed states: any value of every declared sort survives toSlots -> pack -> unpack ->
 * fromSlots, slots never straddle words, and a model whose state needs two words is counted
 * like any other.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { model, range, bool, enumeration, scalarset, guard, set, and, not, type Sort, type Model } from '../../model/lang/index.ts';
import { cardinality, sortValues } from '../../model/lang/ir.ts';
import { compileModel } from '../../checker/compile.ts';
import { fromSlots, toSlots } from '../../checker/layout.ts';
import { runCheck } from '../../checker/check.ts';
import type { State } from '../../checker/interpreter.ts';

const sortArb: fc.Arbitrary<Sort> = fc.oneof(
  fc.constant(bool),
  fc.record({ lo: fc.integer({ min: -40, max: 40 }), width: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 2 ** 30 })) })
    .map(({ lo, width }) => range(lo, lo + width)),
  fc.integer({ min: 1, max: 9 }).map((n) => enumeration(`E${n}`, Array.from({ length: n }, (_, i) => `v${i}`))),
);
const indexArb = fc.array(fc.oneof(fc.constant(bool), fc.integer({ min: 1, max: 3 }).map((n) => scalarset(`S${n}`, n))), { maxLength: 2 });

describe('layout', () => {
  it('pack/unpack round-trips every value (random declarations)', () => {
    const decls = fc.array(fc.record({ sort: sortArb, index: indexArb }), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(decls, fc.infiniteStream(fc.nat()), (ds, picks) => {
      const m = model('layout');
      ds.forEach((d, i) => m.var(`v${i}`, d.sort, d.sort.kind === 'range' ? d.sort.lo : 0, d.index));
      m.action('noop', { body: [guard(true)] });
      const built: Model = m.build();
      const c = compileModel(built);
      // Slots fit their words.
      for (const s of c.layout.slots) expect(s.shift + s.bits).toBeLessThanOrEqual(32);
      // A random state: each cell one of its sort's values (ends of ranges likely).
      const it = picks[Symbol.iterator]();
      const s: State = {};
      for (const d of built.vars) {
        const cells = d.index.reduce((n, x) => n * cardinality(x), 1);
        s[d.name] = Array.from({ length: cells }, () => {
          const k = it.next().value as number;
          if (d.sort.kind === 'range') return [d.sort.lo, d.sort.hi, d.sort.lo + (k % (d.sort.hi - d.sort.lo + 1))][k % 3];
          const vals = sortValues(d.sort);
          return vals[k % vals.length];
        });
      }
      const words = new Int32Array(c.layout.words + 2);
      c.pack(toSlots(built, c.layout, s), words, 1);
      const back = new Int32Array(c.layout.slots.length);
      c.unpack(words, 1, back);
      expect(fromSlots(built, c.layout, back)).toEqual(s);
      // Packing writes only its own words.
      expect(words[0]).toBe(0);
      expect(words[c.layout.words + 1]).toBe(0);
    }), { numRuns: 150 });
  });

  it('a 40-bool chain needs two words: 41 states, 40 transitions', () => {
    // set<i> sets b_i once b_{i-1} is set (b_0 freely): the reachable states are the 41
    // prefixes b_0..b_{k-1} set, one step each; 40 bits do not fit one 32-bit word.
    const m = model('chain');
    const bs = Array.from({ length: 40 }, (_, i) => m.var(`b${i}`, bool, false));
    bs.forEach((b, i) => m.action(`set${i}`, { body: [guard(and(i ? bs[i - 1] : true, not(b))), set(b, true)] }));
    m.final(bs[39]);
    const built = m.build();
    expect(compileModel(built).layout.words).toBe(2);
    const r = runCheck(built);
    expect([r.verdict, r.stats.states, r.stats.transitions, r.stats.depth]).toEqual(['pass', 41, 40, 40]);
  });
});

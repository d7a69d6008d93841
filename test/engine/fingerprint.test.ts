/**
 * `fingerprint: true` (hash compaction, checker/fingerprint.ts): on every built-in model variant
 * at its smallest bounds (symmetry on where declared), on random symmetric models and on small
 * models without symmetry, the same states, transitions, depth, verdict, property, minimised
 * trace and unreached actions as the exact store (no collision at these sizes); limits stop at the same state; the omission bound
 * n(n-1)/2^65 on hand cases; the second hash differs from the first; the verdict line of a pass
 * and of a cover never reached says they are probabilistic, a plain violation's does not.
 */
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../model/registry.ts';
import { runCheck } from '../../checker/check.ts';
import { checkExplicit } from '../../checker/explicit.ts';
import { hashWords2, omissionProbability, FingerprintSet } from '../../checker/fingerprint.ts';
import { hashWords } from '../../checker/visited.ts';
import type { Result } from '../../checker/result.ts';
import { counters, mutex, philosophers, requiresModel, boundsModel, coverModel } from './models.ts';
import { symmetricModel } from './symmetric-models.ts';
import { verdictLine } from '../../counterexamples/verdict-text.ts';

/** What must not depend on how states are stored: everything but timings, bytes and the fingerprint figure. */
function same(r: Result): unknown {
  const { seconds: _s, statesPerSecond: _p, bytesPerState: _b, bytesAllocated: _a, ...stats } = r.stats;
  const { fingerprint: _f, ...rest } = r;
  return { ...rest, stats };
}

describe('fingerprint mode: the exact search\'s results', () => {
  for (const def of builtinModels) {
    it(`${def.name}: every variant at its smallest bounds`, () => {
      const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.min]));
      for (const v of def.variants) {
        const model = def.build(v.name, bounds);
        const exact = runCheck(model, { variant: v.name });
        const fp = runCheck(model, { variant: v.name, fingerprint: true });
        expect(same(fp), `${def.name}/${v.name}`).toEqual(same(exact));
        expect(exact.fingerprint).toBeUndefined();
        expect(fp.fingerprint).toEqual({ bits: 64, omissionProbability: omissionProbability(fp.stats.states) });
      }
    });
  }

  it('random symmetric models: the same representatives, orbits and traces', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { model } = symmetricModel(seed);
      const exact = runCheck(model);
      const fp = runCheck(model, { fingerprint: true });
      expect(same(fp), `seed ${seed}`).toEqual(same(exact));
      expect(fp.stats.symmetry?.on).toBe(true);
    }
  });

  it('invariant, requires, bounds, deadlock and cover violations: the same first violation and path', () => {
    for (const m of [mutex(true), philosophers(3, false), philosophers(4, true), requiresModel(), boundsModel(), coverModel('vacuous'), coverModel('reachable')]) {
      const a = checkExplicit(m), b = checkExplicit(m, { fingerprint: true });
      expect([b.verdict, b.violation, b.path, b.states, b.transitions, b.depth, b.unreachedActions], m.name)
        .toEqual([a.verdict, a.violation, a.path, a.states, a.transitions, a.depth, a.unreachedActions]);
    }
  });

  it('past a page and a table doubling: 3 counters 0..19, 8000 states, 3 × 19 × 400 = 22,800 transitions, pass', () => {
    const r = checkExplicit(counters(3, 19), { fingerprint: true });
    expect([r.verdict, r.states, r.transitions, r.depth]).toEqual(['pass', 8000, 22_800, 57]);
  });

  it('--max-states stops at the same state with the same figures', () => {
    const m = counters(3, 3); // 64 states
    for (const maxStates of [1, 17, 63, 64]) {
      const a = checkExplicit(m, { maxStates }), b = checkExplicit(m, { maxStates, fingerprint: true });
      expect([b.verdict, b.reason, b.states, b.transitions, b.depth]).toEqual([a.verdict, a.reason, a.states, a.transitions, a.depth]);
    }
  });

  it('the memory limit stops a run incomplete, within the limit', () => {
    // 10,000 states: the first link page (4096 × 5 B) and table (8192 slots × 8 B) take 86,016 B,
    // the level pages 4096 × 4 B each; a second link page and a doubled table cannot fit in 120,000 B.
    const r = checkExplicit(counters(2, 99), { fingerprint: true, maxBytes: 120_000 });
    expect([r.verdict, r.reason]).toEqual(['incomplete', 'stopped at the memory limit for stored states']);
    expect(r.bytesAllocated).toBeLessThanOrEqual(120_000);
    expect(r.states).toBeLessThan(10_000);
    expect(checkExplicit(counters(2, 99), { fingerprint: true }).states).toBe(10_000);
  });

  it('fingerprint mode with more than one worker is refused', () => {
    expect(() => checkExplicit(counters(1, 1), { fingerprint: true, workers: 2 })).toThrow('fingerprint mode searches with one thread: workers must be 1');
  });
});

describe('the verdict line of a fingerprint run', () => {
  it('pass: PASS (probabilistic) with the bound; exact mode keeps the plain line', () => {
    const m = counters(2, 2); // 9 states: 9 × 8 / 2^65 = 2.0e-18
    expect(verdictLine(runCheck(m, { fingerprint: true }))).toBe('PASS (probabilistic) counters: no violation in any reached state (hash compaction: a state omitted with probability ≤ 2.0e-18)');
    expect(verdictLine(runCheck(m))).toBe('PASS counters: no violation in any reachable state (exhaustive within the bounds)');
  });

  it('a cover never reached is probabilistic too; a violation with a trace is not', () => {
    // x in 0..3 reaches 0, 1, 2: 3 states, 3 × 2 / 2^65 = 1.6e-19.
    expect(verdictLine(runCheck(coverModel('vacuous'), { fingerprint: true })))
      .toBe('VIOLATION cover: x.three: never reached: no reachable state satisfies "x reaches 3" (probabilistic: hash compaction, a state omitted with probability ≤ 1.6e-19)');
    const bad = runCheck(mutex(true), { fingerprint: true });
    expect(verdictLine(bad)).toBe(verdictLine(runCheck(mutex(true))));
    expect(bad.trace?.steps.length).toBeGreaterThan(0);
  });
});

describe('the omission bound and the fingerprints', () => {
  it('n(n-1)/2^65: 0 for one state, 2^-64 for two, 7,000,000 states about 1.33e-6', () => {
    expect(omissionProbability(1)).toBe(0);
    expect(omissionProbability(2)).toBe(2 ** -64);
    expect(omissionProbability(2 ** 20)).toBe(2 ** 20 * (2 ** 20 - 1) / 2 ** 65);
    expect(omissionProbability(7_000_000).toExponential(2)).toBe('1.33e-6');
  });

  it('the two 32-bit hashes are different functions of the state', () => {
    const buf = Int32Array.from([1, 2, 3]);
    expect(hashWords2(buf, 0, 3)).not.toBe(hashWords(buf, 0, 3));
    expect(hashWords2(buf, 0, 3)).toBe(hashWords2(Int32Array.from([9, 1, 2, 3]), 1, 3));
    expect(hashWords2(buf, 0, 3)).not.toBe(hashWords2(Int32Array.from([1, 2, 4]), 0, 3));
  });

  it('the set: a fingerprint stored once, links kept, across a page and table growth', () => {
    const s = new FingerprintSet(2, 2);
    const buf = new Int32Array(2);
    for (let i = 0; i < 10_000; i++) {
      buf[0] = i; buf[1] = -i;
      expect(s.insert(buf, 0, i - 1, i % 65_536)).toBe(i);
    }
    for (const i of [0, 4095, 4096, 6143, 6144, 9999]) {
      buf[0] = i; buf[1] = -i;
      expect(s.has(buf, 0)).toBe(true);
      expect(s.insert(buf, 0, 0, 0)).toBe(-1);
      expect([s.links.parentOf(i), s.links.viaOf(i)]).toEqual([i - 1, i % 65_536]);
    }
    buf[0] = 10_000; buf[1] = 0;
    expect(s.has(buf, 0)).toBe(false);
    // 3 link pages of 4096 × (4 + 2) B; the table's 64 parts of 128 slots each doubled once (about
    // 156 of the 10,000 fingerprints each: more than 4/5 of 128, at most 4/5 of 256): 16,384 slots of 8 B.
    expect([s.count, s.bytes]).toEqual([10_000, 3 * 4096 * 6 + 16_384 * 8]);
  });
});

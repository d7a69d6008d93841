/**
 * The handover (checker/parallel/handover.ts): a search with more than one worker starts in the
 * one-thread engine and hands its stored states to the parallel search at a level boundary.
 * Forced here at a given depth on small models (helpers then share every level of two states or
 * more), the results are the one-thread engine's exactly: states, numbering, figures, verdicts
 * and traces (JSON byte for byte apart from timings and the workers figure).
 */
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../model/registry.ts';
import { runCheck } from '../../checker/check.ts';
import { checkExplicit, type ExplicitOptions } from '../../checker/explicit.ts';
import { counters, philosophers, twoSteps, mutex } from './models.ts';
import { rawWithout, json } from './timeless.ts';

/** Helpers boot at once; the handover comes before the level at `depth`; then every level of 2 states or more is shared, in chunks of 2. */
const handoverAt = (depth: number): ExplicitOptions => ({
  workers: 2, parallel: { startAfterMs: 0, handoverAtDepth: depth, minFrontier: 2, minChunk: 1, chunkSize: 2 },
});



const SMALL: Record<string, Record<string, number>> = { 'api-task': { clients: 1 }, 'api-mm': { clients: 1 } };

describe('handover from the one-thread search to the parallel one', () => {
  it('3 threads running `a; b`, handed over before depth 2: 27 states, 54 transitions, depth 6, helpers used', () => {
    const r = checkExplicit(twoSteps(3), handoverAt(2));
    expect([r.verdict, r.states, r.transitions, r.depth, r.workers]).toEqual(['pass', 27, 54, 6, 2]);
    expect(rawWithout(r)).toEqual(rawWithout(checkExplicit(twoSteps(3))));
  });

  it('at every depth of 4 philosophers, and of 2 counters 0..4: the one-thread result', () => {
    for (const m of [philosophers(4, true), philosophers(4, false), counters(2, 4), mutex(true)]) {
      const one = checkExplicit(m);
      for (let d = 1; d <= one.depth; d++) {
        expect(rawWithout(checkExplicit(m, handoverAt(d))), `${m.name} at depth ${d}`).toEqual(rawWithout(one));
      }
    }
  });

  it('a state limit met after the handover stops at the same state', () => {
    const m = philosophers(4, true);
    const one = checkExplicit(m, { maxStates: 40 });
    expect(one.verdict).toBe('incomplete');
    expect(rawWithout(checkExplicit(m, { ...handoverAt(2), maxStates: 40 }))).toEqual(rawWithout(one));
  });

  for (const def of builtinModels) {
    it(`${def.name}: every variant, handed over before depth 2, gives the one-thread JSON`, () => {
      const bounds = { ...Object.fromEntries(def.bounds.map((b) => [b.name, b.default])), ...SMALL[def.name] };
      for (const v of def.variants) {
        const m = def.build(v.name, bounds);
        const one = runCheck(m, { variant: v.name, workers: 1 });
        const two = runCheck(m, { variant: v.name, ...handoverAt(2) });
        expect(json(two), `${def.name}/${v.name}`).toBe(json(one));
        // A variant searched to the end past depth 3 was handed over and shared a level.
        if (one.verdict === 'pass' && one.stats.depth > 3) expect(two.stats.workers, `${def.name}/${v.name}`).toBe(2);
      }
    });
  }

  it('without the test settings, a search done within START_AFTER_MS never boots a helper: workers 1', () => {
    const r = checkExplicit(counters(2, 3), { workers: 2 });
    expect([r.states, r.workers]).toEqual([16, 1]);
  });
});

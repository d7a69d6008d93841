/** The same model checked twice (or rebuilt and checked) gives identical counts and traces. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runCheck } from '../../checker/check.ts';
import { checkExplicit } from '../../checker/explicit.ts';
import { mutex, philosophers, counters } from './models.ts';
import { randomModels, buildRandomModel } from './random-models.ts';
import { timeless } from './helpers.ts';

describe('determinism', () => {
  for (const [name, make] of [
    ['broken mutex', () => mutex(true)],
    ['philosophers N=3', () => philosophers(3, false)],
    ['counters', () => counters(3, 3)],
  ] as const) {
    it(`${name}: identical results from one model twice and from a rebuilt model`, () => {
      const m = make();
      const a = runCheck(m), b = runCheck(m), c = runCheck(make());
      expect(timeless(b)).toEqual(timeless(a));
      expect(timeless(c)).toEqual(timeless(a));
      // Guard against comparing two empty results.
      expect(a.stats.states).toBeGreaterThan(1);
    });
  }

  it('random models: identical raw results (states, transitions, depth, path)', () => {
    fc.assert(fc.property(randomModels(), ({ spec, model }) => {
      const strip = (r: ReturnType<typeof checkExplicit>) => ({ ...r, seconds: 0 });
      expect(strip(checkExplicit(buildRandomModel(spec)))).toEqual(strip(checkExplicit(model)));
    }), { numRuns: 50 });
  });
});

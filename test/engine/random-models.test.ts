/** The random-model arbitrary itself: options are honoured and it yields every outcome. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkExplicit } from '../../checker/explicit.ts';
import { randomModels, randomModelSpec } from './random-models.ts';

describe('randomModels()', () => {
  it('without arrays or requires: no arr, no parameters, no requirements', () => {
    for (const { model } of fc.sample(randomModels({ arrays: false, requires: false, maxActions: 2 }), 100)) {
      expect(model.vars.some((v) => v.name === 'arr')).toBe(false);
      expect(model.actions.length).toBeLessThanOrEqual(2);
      for (const a of model.actions) {
        expect(a.params).toEqual([]);
        expect(a.requires).toEqual([]);
      }
    }
  });

  it('specs are plain JSON (printable, replayable)', () => {
    for (const spec of fc.sample(randomModelSpec(), 50)) expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('300 models give passes and every kind of state and step violation', () => {
    // A fixed seed: this checks the generator's spread, not the engine (quiescence failures
    // are the rarest outcome, about 2%).
    const seen = new Set<string>();
    for (const { model } of fc.sample(randomModels(), { numRuns: 300, seed: 7 })) {
      const r = checkExplicit(model);
      seen.add(r.verdict === 'pass' ? 'pass' : r.violation!.kind);
    }
    for (const k of ['pass', 'invariant', 'deadlock', 'quiescence', 'requires', 'bounds']) expect(seen).toContain(k);
  });
});

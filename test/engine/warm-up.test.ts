/**
 * A helper's warm-up (checker/parallel/warm-up.ts) searches the model on its own, each level in
 * two chunks as if on two threads. Searched to the end, it stores exactly the reachable states:
 * the paths for a state the "other thread" found (owner lowered, entry recorded once) neither
 * lose a state nor store one twice.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../checker/compile.ts';
import { checkExplicit } from '../../checker/explicit.ts';
import { canonicaliser } from '../../checker/symmetry.ts';
import { Expander } from '../../checker/parallel/expand.ts';
import { warmUp } from '../../checker/parallel/warm-up.ts';
import { builtinModels } from '../../model/registry.ts';
import { counters, philosophers, twoSteps } from './models.ts';

const search = (m: Parameters<typeof compileModel>[0], symmetric = false, cap?: number) => {
  const c = compileModel(m);
  const sym = symmetric && m.symmetry ? canonicaliser(m, c.layout) : undefined;
  return warmUp(m, c, sym, new Expander(c, sym, 0), 60_000, cap);
};

describe('helper warm-up', () => {
  it('3 threads running `a; b`: all 27 states (3 program counters of 3 values)', () => {
    expect(search(twoSteps(3))).toBe(27);
  });

  it('2 counters 0..3: all 16 states; 4 philosophers: the one-thread count', () => {
    expect(search(counters(2, 3))).toBe(16);
    const p = philosophers(4, true);
    expect(search(p)).toBe(checkExplicit(p).states);
  });

  it('every built-in passing variant at its default bounds: the one-thread count, with and without symmetry', () => {
    for (const def of builtinModels.filter((d) => ['mm', 'page', 'task'].includes(d.name))) {
      const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
      const v = def.variants.find((x) => x.expect === 'pass')!;
      const m = def.build(v.name, bounds);
      expect(search(m), def.name).toBe(checkExplicit(m, { symmetry: false }).states);
      if (m.symmetry) expect(search(m, true), `${def.name} with symmetry`).toBe(checkExplicit(m).states);
    }
  });

  it('stops when its arrays are full: no more states than they hold', () => {
    const n = search(twoSteps(6), false, 100);
    expect(n).toBeGreaterThan(1);
    expect(n).toBeLessThanOrEqual(100);
  });
});

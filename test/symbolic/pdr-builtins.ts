/**
 * Shared by the pdr-builtins-*.test.ts files: every passing variant of the given built-in
 * protocol models, at default bounds, proves under `--engine pdr`, its invariant re-checked by
 * SMT and on every concrete reachable state (counted here by a search of our own).
 */
import { describe, expect, it } from 'vitest';
import { runPdr } from '../../checker/symbolic/pdr.ts';
import { reachableStates } from '../../checker/symbolic/reach.ts';
import { findBuiltin } from '../../model/registry.ts';

export function provesEveryPassingVariant(names: string[]): void {
  describe('pdr: every passing variant at default bounds proves', () => {
    for (const name of names) {
      const def = findBuiltin(name)!;
      const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
      for (const v of def.variants.filter((x) => x.expect === 'pass')) {
        it(`${name}/${v.name}: proved, re-checked by SMT and on every reachable state`, async () => {
          const model = def.build(v.name, bounds);
          const r = await runPdr(model);
          expect(r.reason).toBeUndefined();
          expect(r.verdict).toBe('proved');
          const reach = reachableStates(model, 1_000_000);
          expect(reach.complete).toBe(true);
          expect(r.proof!.recheck).toEqual({ smt: 'valid', explicitStates: reach.states.length, explicitComplete: true });
          expect(r.proof!.invariant.length).toBeGreaterThan(0);
        }, 600_000);
      }
    }
  });
}

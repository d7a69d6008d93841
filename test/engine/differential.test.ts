/**
 * Differential: on every state reached by random walks, the compiled engine's successors (the
 * set of (instance id, status, successor state)) equal the interpreter's (canFire, then step),
 * and so do the property figures (first failing invariant and quiescence, final, covers).
 * Runs over random small models, every built-in model and variant in the registry, and the
 * tiny models of the other engine tests (so the model list is never empty).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Model } from '../../model/lang/ir.ts';
import { builtinModels } from '../../model/registry.ts';
import type { ModelDef } from '../../model/lang/define.ts';
import { compileModel } from '../../checker/compile.ts';
import { initialState, instancesOf, type State } from '../../checker/interpreter.ts';
import { compiledProps, compiledSuccessors, interpProps, interpSuccessors, showSuccs } from './helpers.ts';
import { randomModels } from './random-models.ts';
import { tinyModels } from './models.ts';

/** Walk from the initial state, choosing among fine successors by `choices`; compare at each state. */
function walkAndCompare(model: Model, choices: number[], c = compileModel(model), all = instancesOf(model)): number {
  let s: State = initialState(model);
  let compared = 0;
  for (const ch of [...choices, -1]) {
    const mine = interpSuccessors(model, s, all);
    const theirs = compiledSuccessors(model, c, s);
    expect(showSuccs(theirs)).toEqual(showSuccs(mine));
    expect(compiledProps(model, c, s)).toEqual(interpProps(model, s));
    compared++;
    const fine = mine.filter((x) => x.status === 0);
    if (ch < 0 || fine.length === 0) break;
    s = fine[ch % fine.length].state;
  }
  return compared;
}

const walk = fc.array(fc.nat({ max: 1000 }), { minLength: 0, maxLength: 40 });

describe('interpreter vs compiled successors', () => {
  it('random small models (150 models, one walk each)', () => {
    fc.assert(fc.property(randomModels(), walk, ({ model }, choices) => {
      walkAndCompare(model, choices);
    }), { numRuns: 150 });
  });

  const defs: ModelDef[] = [...builtinModels, ...tinyModels];
  it(`model list: ${builtinModels.length} built-in + ${tinyModels.length} test definitions`, () => {
    expect(defs.length).toBeGreaterThanOrEqual(tinyModels.length);
    expect(tinyModels.length).toBeGreaterThan(0);
  });
  for (const def of defs) {
    for (const variant of def.variants) {
      it(`${def.name}/${variant.name} (default bounds, 20 walks)`, () => {
        const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
        const model = def.build(variant.name, bounds);
        const c = compileModel(model);
        const all = instancesOf(model);
        let compared = 0;
        fc.assert(fc.property(walk, (choices) => { compared += walkAndCompare(model, choices, c, all); }), { numRuns: 20 });
        expect(compared).toBeGreaterThanOrEqual(20);
      });
    }
  }
});

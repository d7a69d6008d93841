/**
 * Every bug variant the round-trip tests run on: each registry variant whose expectation is a
 * violation (at its default bounds), plus the tiny bug models of this folder, so the list is
 * never empty.
 */
import type { Model } from '../../model/lang/ir.ts';
import type { ModelDef } from '../../model/lang/define.ts';
import { builtinModels } from '../../model/registry.ts';
import { runCheck } from '../../checker/check.ts';
import type { Result } from '../../checker/result.ts';
import { bugModels } from './models.ts';

export interface BugVariant {
  name: string;
  model: Model;
  result: Result;
}

function variantsOf(def: ModelDef): BugVariant[] {
  const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
  return def.variants.filter((v) => v.expect.startsWith('violation')).map((v) => {
    const model = def.build(v.name, bounds);
    return { name: `${def.name}/${v.name}`, model, result: runCheck(model, { variant: v.name }) };
  });
}

export const registryVariants = (): BugVariant[] => builtinModels.flatMap(variantsOf);
export const ownVariants = (): BugVariant[] => variantsOf(bugModels);
export const allBugVariants = (): BugVariant[] => [...registryVariants(), ...ownVariants()];

/**
 * `expect: "proved:any"` in a ci config: the check runs `engine: pdr` for any number of the
 * model's interchangeable threads, as `check --engine pdr --bound NAME=any` does. NAME is the
 * bound that adds one symmetric member when raised by one (mm: `senders`).
 *
 * @example
 * { "model": "mm", "variant": "fixed", "engine": "pdr", "expect": "proved:any" }
 */
import type { ModelDef } from '../../model/lang/define.ts';
import type { Model } from '../../model/lang/ir.ts';
import { EXIT } from '../../checker/result.ts';
import { grownModel, smallerModel } from '../commands/any-bound.ts';

/** What `runEngine` needs to prove for any number of members (EngineOptions.anyMembers). */
export interface AnyMembers { bound: string; grown: Model; min: number; smaller?: Model }

/** The bound counting the members, and the model with one more; errors carry EXIT.badOption. */
export function anyMembersFor(def: ModelDef, variant: string, bounds: Record<string, number>, model: Model, engine: string, restrict: (m: Model) => Model): AnyMembers {
  const fail = (msg: string) => Object.assign(new Error(`expect proved:any: ${msg}`), { exitCode: EXIT.badOption });
  if (engine !== 'pdr') throw fail(`needs "engine": "pdr" (got ${engine})`);
  const members = model.symmetry?.members.length ?? 0;
  if (!members) throw fail(`model ${def.name}/${variant} declares no interchangeable threads (m.symmetric)`);
  const b = def.bounds.find((x) => x.max > bounds[x.name] && (def.build(variant, { ...bounds, [x.name]: bounds[x.name] + 1 }).symmetry?.members.length ?? 0) === members + 1);
  if (!b) throw fail(`no bound of ${def.name} counts its interchangeable threads (${model.symmetry!.members.join(', ')})`);
  try {
    const smaller = smallerModel(def, bounds, b.name, (x) => def.build(variant, x)).smaller;
    return { bound: b.name, min: b.min, grown: restrict(grownModel(def, variant, bounds, b.name, model, (x) => def.build(variant, x))), ...(smaller ? { smaller: restrict(smaller) } : {}) };
  } catch (err) {
    throw fail((err as Error).message.replace(/^--bound \S+=any: /, ''));
  }
}

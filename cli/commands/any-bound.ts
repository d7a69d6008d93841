/**
 * `--bound NAME=any` for `check --engine pdr`: prove for any number of a model's interchangeable
 * threads (checker/symbolic/any-threads.ts). The bound is taken out of the other bounds (the
 * model is built, and searched explicitly, at its default), checked to count the symmetric
 * members, and the counter abstraction is tried on the main thread so that a model it does not
 * fit is a one-line error naming the variable, exit EXIT.badOption.
 *
 * @example
 * const any = takeAnyBound(def, flags, engine); // 'senders' for --bound senders=any, else undefined
 */
import type { ModelDef } from '../../model/lang/define.ts';
import type { Model } from '../../model/lang/ir.ts';
import { EXIT } from '../../checker/result.ts';
import { counterSystem, CounterAbstractionError } from '../../checker/symbolic/counter-abstraction.ts';
import { CliError } from '../errors.ts';
import { ANY_BOUND } from './options.ts';

/** The bound given as `any` (removed from `flags.bound`), or undefined; errors for a misuse. */
export function takeAnyBound(def: ModelDef, flags: { bound?: Record<string, number> }, engine: string): string | undefined {
  const names = Object.entries(flags.bound ?? {}).filter(([, v]) => v === ANY_BOUND).map(([k]) => k);
  if (names.length === 0) return undefined;
  if (names.length > 1) throw new CliError(`--bound ${names.join('=any, ')}=any: only one bound can be 'any'`, EXIT.badOption);
  const name = names[0];
  if (!def.bounds.some((b) => b.name === name)) {
    throw new CliError(`--bound ${name}=any: model ${def.name} has no bound '${name}' (its bounds: ${def.bounds.map((b) => b.name).join(', ') || 'none'})`, EXIT.badOption);
  }
  if (engine !== 'pdr') throw new CliError(`--bound ${name}=any needs --engine pdr (a proof for every number of ${name}); other engines check one number`, EXIT.badOption);
  const { [name]: _any, ...rest } = flags.bound!;
  flags.bound = rest;
  return name;
}

/**
 * The model with one member fewer, when the bound allows it (`{ smaller }`, else `{}`): its
 * reached states stand in for the larger model's when that search is too big to sample.
 */
export function smallerModel(def: ModelDef, bounds: Record<string, number>, name: string, build: (b: Record<string, number>) => Model): { smaller?: Model } {
  const b = def.bounds.find((x) => x.name === name)!;
  return bounds[name] - 1 >= Math.max(1, b.min) ? { smaller: build({ ...bounds, [name]: bounds[name] - 1 }) } : {};
}

/**
 * The model with one member more, after checking that `name` counts the model's symmetric
 * members and that the counter abstraction applies (else a CliError naming what stops it).
 */
export function grownModel(def: ModelDef, variant: string, bounds: Record<string, number>, name: string, model: Model, build: (b: Record<string, number>) => Model): Model {
  const b = def.bounds.find((x) => x.name === name)!;
  const members = model.symmetry?.members.length ?? 0;
  if (bounds[name] >= b.max) throw new CliError(`--bound ${name}=any: model ${def.name}'s default ${name}=${bounds[name]} is its maximum; nothing to compare with`, EXIT.badOption);
  const grown = build({ ...bounds, [name]: bounds[name] + 1 });
  if ((grown.symmetry?.members.length ?? 0) !== members + 1) {
    throw new CliError(`--bound ${name}=any: ${name} does not count the interchangeable threads of ${def.name}/${variant} (m.symmetric); only such a bound can be 'any'`, EXIT.badOption);
  }
  try {
    counterSystem(model, { grown, minMembers: b.min });
  } catch (err) {
    if (err instanceof CounterAbstractionError) throw new CliError(`--bound ${name}=any: ${err.message}`, EXIT.badOption);
    throw err;
  }
  return grown;
}

/**
 * Turning the symbolic engines' raw findings into the one Result shape: the property named,
 * the path replayed on the interpreter (a replay failure is an InternalError, never a verdict).
 */
import type { Model, Property } from '../../model/lang/ir.ts';
import { BOUNDS_PROPERTY, instancesOf, type Instance } from '../interpreter.ts';
import type { RawViolation } from '../explicit.ts';
import { InternalError } from '../check.ts';
import { replayPath, renderTrace } from '../../counterexamples/replay.ts';
import type { PropertyRef, Trace } from '../result.ts';

/** The property a raw violation names; for requires/bounds, `last` is the offending instance. */
export function propertyRef(model: Model, v: RawViolation, last?: Instance): PropertyRef {
  const nth = (kind: Property['kind'], i: number) => model.properties.filter((p) => p.kind === kind)[i];
  switch (v.kind) {
    case 'invariant': case 'quiescence': case 'cover': {
      const p = nth(v.kind, v.index);
      return { id: p.id, kind: v.kind, message: p.message, ...(p.loc ? { loc: p.loc } : {}) };
    }
    case 'deadlock': {
      const p = model.properties.find((x) => x.kind === 'deadlock')!;
      return { id: p.id, kind: 'deadlock', message: p.message };
    }
    case 'requires': {
      const r = last!.action.requires[v.requirement];
      return { id: r.id, kind: 'requires', message: r.message, action: last!.action.name, ...(r.loc ? { loc: r.loc } : {}) };
    }
    case 'bounds':
      return { ...BOUNDS_PROPERTY, kind: 'bounds', action: last!.action.name, ...(last!.action.loc ? { loc: last!.action.loc } : {}) };
  }
}

/** Replay a path found by Z3 and render it; throws InternalError if the interpreter disagrees. */
export function replayedTrace(model: Model, path: number[], claim: RawViolation, all: Instance[] = instancesOf(model)): Trace {
  let states;
  try {
    states = replayPath(model, path, claim, all);
  } catch (err) {
    throw new InternalError(`Z3 counterexample failed replay on the interpreter: ${(err as Error).message}`);
  }
  return renderTrace(model, path, states, all);
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

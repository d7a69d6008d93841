/**
 * Name the property a raw violation stands for, with its message and source location: one
 * place for every engine (explicit, BMC, induction), so their results read the same.
 *
 * @example
 * const p = propertyRef(model, { kind: 'requires', requirement: 0 }, lastInstance);
 */
import type { Model, Property } from '../model/lang/ir.ts';
import { BOUNDS_PROPERTY, type Instance } from './interpreter.ts';
import type { RawViolation } from './explicit.ts';
import type { PropertyRef } from './result.ts';
import { classOf } from '../properties/ref.ts';

/** The property a raw violation names; for requires/bounds, `last` is the offending instance. */
export function propertyRef(model: Model, v: RawViolation, last?: Instance): PropertyRef {
  const nth = (kind: Property['kind'], i: number) => model.properties.filter((p) => p.kind === kind)[i];
  switch (v.kind) {
    case 'invariant': case 'quiescence': case 'cover': {
      const p = nth(v.kind, v.index);
      return { id: p.id, kind: v.kind, class: classOf(p, v.kind), message: p.message, ...(p.loc ? { loc: p.loc } : {}) };
    }
    case 'deadlock': {
      const p = model.properties.find((x) => x.kind === 'deadlock')!;
      return { id: p.id, kind: 'deadlock', class: classOf(p, 'deadlock'), message: p.message, ...(p.loc ? { loc: p.loc } : {}) };
    }
    case 'requires': {
      const r = last!.action.requires[v.requirement];
      return { id: r.id, kind: 'requires', class: classOf(r, 'requires'), message: r.message, action: last!.action.name, ...(r.loc ? { loc: r.loc } : {}) };
    }
    case 'bounds':
      return { ...BOUNDS_PROPERTY, kind: 'bounds', class: classOf({}, 'bounds'), action: last!.action.name, ...(last!.action.loc ? { loc: last!.action.loc } : {}) };
  }
}

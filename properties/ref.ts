/**
 * The property reference every engine puts into a result: which property a violation broke,
 * its kind, class, message and where it was declared.
 *
 * @example
 * const ref: PropertyRef = { id: 'deadlock', kind: 'deadlock', class: 'liveness', message: 'no step is possible' };
 */
import type { PropertyClass } from './classes.ts';
import { defaultClass, type PropertyKind } from './kinds.ts';

/** Where a model element was defined (file, 1-based line and column). */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

export interface PropertyRef {
  id: string;
  kind: PropertyKind;
  class: PropertyClass;
  message: string;
  loc?: SourceLoc;
  /** For `requires`: the action whose requirement failed. */
  action?: string;
}

/** The class of a declared property: its own, else its kind's default. */
export function classOf(p: { class?: PropertyClass }, kind: PropertyKind): PropertyClass {
  return p.class ?? defaultClass(kind);
}

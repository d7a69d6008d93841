/**
 * Checking some properties alone. The isolated model checks only the chosen properties (plus
 * `bounds`, which every run keeps), and a step that would violate *another* `requires` of class
 * `unsound` or `liveness` is not taken: the path is cut there, because after undefined
 * behaviour (or in a hang) any later witness is meaningless. So a witness for P always shows P
 * as the first such violation on its path. A `warn` or `leak` requirement does not cut: the
 * kernel carries on after a WARN, so what follows one is real (drm_mm used after a takedown
 * that WARNed is its own use-after-free).
 *
 * A step that violates a chosen property and another one at once is still taken (it is a
 * witness of the chosen one). When `deadlock` is chosen, a state whose only possible steps were
 * cut is not a deadlock: each cut step leaves a stutter (a step that changes nothing and that no
 * shortest trace ever takes) in its place.
 *
 * properties/ sits below model/ (the primitives import the catalogue), so this file works on the
 * few IR fields it touches by their shape; the IR's `Model` has them.
 *
 * @example
 * const m = isolate(model, ['mm.pasid-use-after-free']);   // other requires become cuts
 * const raw = isolate(model, ['aref.leak'], { cut: false }); // every path, as before isolation
 */

import type { PropertyClass } from './classes.ts';
import type { PropertyKind } from './kinds.ts';
import { classOf } from './ref.ts';

/** The classes whose violation ends a path: undefined behaviour, and hangs. */
export const CUTTING_CLASSES: readonly PropertyClass[] = ['unsound', 'liveness'];

/** Whether violating this requirement cuts a path (a requirement without a class is `unsound`). */
export function cutsPath(r: { class?: PropertyClass }): boolean {
  return CUTTING_CLASSES.includes(r.class ?? 'unsound');
}

/** The IR expression nodes isolation builds (`and`, `or`, `not` over bool; model/lang/ir.ts). */
type BoolSort = { kind: 'bool' };
const BOOL: BoolSort = { kind: 'bool' };

interface RequirementShape<E> { id: string; expr: E; class?: PropertyClass }
interface ActionShape<E> {
  name: string;
  guard: E;
  requires: RequirementShape<E>[];
  assigns: unknown[];
  tags: string[];
}
interface PropertyShape { id: string; kind: string; class?: PropertyClass }

/** The parts of a model isolation reads and rewrites. */
export interface IsolableModel<E = unknown> {
  properties: PropertyShape[];
  actions: ActionShape<E>[];
}

/** The tag of the stutter left where a step was cut (reports leave these out of "never enabled" lists). */
export const CUT_TAG = 'isolation-cut';

export interface IsolateOptions {
  /** Cut paths at other properties' unsound/liveness `requires` (default true); false keeps every path. */
  cut?: boolean;
}

/** Every property id of a model: its state properties and the `requires` of its actions, in order. */
export function propertyIds(model: IsolableModel): string[] {
  const ids: string[] = [];
  const add = (id: string) => { if (!ids.includes(id)) ids.push(id); };
  model.properties.forEach((p) => add(p.id));
  model.actions.forEach((a) => a.requires.forEach((r) => add(r.id)));
  return ids;
}

/**
 * The property ids of a model whose class is one of `classes` (a `requires` without a class is
 * `unsound`; a state property without one has its kind's default).
 * Example: `isolate(model, propertyIdsOf(model, ['unsound']))` checks that no client reaches UB.
 */
export function propertyIdsOf(model: IsolableModel, classes: readonly PropertyClass[]): string[] {
  const ids: string[] = [];
  const add = (id: string, c: PropertyClass) => { if (classes.includes(c) && !ids.includes(id)) ids.push(id); };
  model.properties.forEach((p) => add(p.id, classOf(p, p.kind as PropertyKind)));
  model.actions.forEach((a) => a.requires.forEach((r) => add(r.id, r.class ?? 'unsound')));
  return ids;
}

/** The model with only the properties `ids` checked; see the file comment for cuts. */
export function isolate<M extends IsolableModel<E>, E>(model: M, ids: readonly string[], opts: IsolateOptions = {}): M {
  const keep = new Set(ids);
  const cut = opts.cut ?? true;
  const stutters = cut && model.properties.some((p) => p.kind === 'deadlock' && keep.has(p.id));
  const actions: ActionShape<E>[] = [];
  for (const a of model.actions) {
    const checked = a.requires.filter((r) => keep.has(r.id));
    const others = a.requires.filter((r) => !keep.has(r.id) && cutsPath(r));
    if (!cut || others.length === 0) {
      actions.push({ ...a, requires: checked });
      continue;
    }
    // Taken when a checked requirement fails (the witness step) or every other one holds.
    const othersHold = conj<E>(others.map((r) => r.expr));
    const allowed = checked.length ? disj<E>([neg<E>(conj<E>(checked.map((r) => r.expr))), othersHold]) : othersHold;
    actions.push({ ...a, guard: conj<E>([a.guard, allowed]), requires: checked });
    if (stutters) {
      actions.push({ ...a, name: `cut:${a.name}`, guard: conj<E>([a.guard, neg<E>(allowed)]), requires: [], assigns: [], tags: [CUT_TAG] });
    }
  }
  return { ...model, properties: model.properties.filter((p) => keep.has(p.id)), actions };
}

function conj<E>(args: E[]): E {
  return (args.length === 1 ? args[0] : { op: 'and', sort: BOOL, args }) as E;
}
function disj<E>(args: E[]): E {
  return { op: 'or', sort: BOOL, args } as E;
}
function neg<E>(a: E): E {
  return { op: 'not', sort: BOOL, a } as E;
}

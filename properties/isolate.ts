/**
 * Property by property: a copy of a model that checks only one property (plus `bounds`, which
 * every run keeps), so one violation does not hide another. `diff` uses it to set an old API
 * against a new one property by property.
 *
 * @example
 * for (const id of propertyIds(model)) console.log(id, runCheck(isolate(model, id)).verdict);
 */
import type { Model } from '../model/lang/ir.ts';

/** Every property id of a model: its state properties and the `requires` of its actions, in order. */
export function propertyIds(model: Model): string[] {
  const ids: string[] = [];
  const add = (id: string) => { if (!ids.includes(id)) ids.push(id); };
  model.properties.forEach((p) => add(p.id));
  model.actions.forEach((a) => a.requires.forEach((r) => add(r.id)));
  return ids;
}

/** The model with only property `id` checked. */
export function isolate(model: Model, id: string): Model {
  return {
    ...model,
    properties: model.properties.filter((p) => p.id === id),
    actions: model.actions.map((a) => ({ ...a, requires: a.requires.filter((r) => r.id === id) })),
  };
}

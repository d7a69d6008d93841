/**
 * A model's properties as a list: each id once, with its kind, class, message, every place it
 * is declared and, for kernel properties, the catalogue's note on what the kernel does there.
 *
 * @example
 * for (const p of describeProperties(model)) console.log(p.id, p.kind, p.class, p.locations[0]);
 */
import type { PropertyClass } from './classes.ts';
import type { PropertyKind } from './kinds.ts';
import { classOf } from './ref.ts';
import type { SourceLoc } from './ref.ts';
import { catalogueEntry } from './catalogue/index.ts';

interface Declared { id: string; message: string; class?: PropertyClass; loc?: SourceLoc }

/** The parts of a model this reads (the IR's Model has them). */
export interface DescribableModel {
  properties: (Declared & { kind: string })[];
  actions: { requires: Declared[] }[];
}

export interface PropertyInfo {
  id: string;
  kind: PropertyKind;
  class: PropertyClass;
  message: string;
  /** Every distinct place the property is declared (a requirement may sit in many steps). */
  locations: SourceLoc[];
  /** What the kernel does here (catalogue properties only). */
  kernel?: string;
}

/** Every property of the model, in the order engines check them (state properties, then requires). */
export function describeProperties(model: DescribableModel): PropertyInfo[] {
  const out = new Map<string, PropertyInfo>();
  const add = (d: Declared, kind: PropertyKind) => {
    let p = out.get(d.id);
    if (!p) {
      const entry = catalogueEntry(d.id);
      p = {
        id: d.id, kind, class: classOf(d, kind), message: entry?.message ?? d.message, locations: [],
        ...(entry ? { kernel: entry.kernel } : {}),
      };
      out.set(d.id, p);
    }
    if (d.loc && !p.locations.some((l) => l.file === d.loc!.file && l.line === d.loc!.line && l.column === d.loc!.column)) p.locations.push(d.loc);
  };
  model.properties.forEach((p) => add(p, p.kind as PropertyKind));
  model.actions.forEach((a) => a.requires.forEach((r) => add(r, 'requires')));
  return [...out.values()];
}

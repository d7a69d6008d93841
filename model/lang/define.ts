/**
 * A model definition: a family of models (variants) over named bounds. Built-in models and
 * user model files export one (a file may also export a built `Model`, taken as one variant).
 *
 * @example
 * export default defineModel({
 *   name: 'counter', doc: 'two counters',
 *   variants: [{ name: 'fixed', doc: 'stays in range', expect: 'pass' }],
 *   bounds: [{ name: 'threads', default: 2, min: 1, max: 8, doc: 'incrementing threads' }],
 *   build: (variant, b) => buildCounter(b.threads),
 * });
 */
import type { Model, PropertyClass } from './ir.ts';
import { ModelError } from './expr.ts';

export interface VariantDef {
  name: string;
  /** One line; a bug variant's begins with its K id (`K4 …`). */
  doc: string;
  /** What `npm start` expects: `pass`, or `violation:<property-id>`. */
  expect: 'pass' | `violation:${string}`;
  /**
   * More checks of this variant for `npm start`: only the properties of some classes (`sound`:
   * no `unsound` one), and/or the model without `mem::forget` calls (what a client reaches
   * without leaking by hand). Example: `{ classes: ['unsound', 'warn'], forget: false, expect: 'pass' }`.
   */
  also?: VariantCheck[];
}

/** A further expectation of a variant (see `VariantDef.also`). */
export interface VariantCheck {
  expect: 'pass' | `violation:${string}`;
  classes?: PropertyClass[];
  /** false: check the model without its generated `mem::forget` calls. */
  forget?: false;
}

export interface BoundDef {
  name: string;
  default: number;
  min: number;
  max: number;
  doc: string;
}

export interface ModelDef {
  name: string;
  doc: string;
  /** The first variant is the default. */
  variants: VariantDef[];
  bounds: BoundDef[];
  build(variant: string, bounds: Record<string, number>): Model;
}

/** Validate and return a model definition. */
export function defineModel(def: ModelDef): ModelDef {
  if (!def.variants.length) throw new ModelError(`model ${def.name} has no variants`);
  const names = new Set(def.variants.map((v) => v.name));
  if (names.size !== def.variants.length) throw new ModelError(`model ${def.name} repeats a variant name`);
  for (const b of def.bounds) {
    if (!(b.min <= b.default && b.default <= b.max)) throw new ModelError(`model ${def.name}: bound ${b.name} default outside ${b.min}..${b.max}`);
  }
  return def;
}

/** Wrap an already built model as a one-variant definition. */
export function singleModel(m: Model): ModelDef {
  return {
    name: m.name, doc: m.doc ?? '', bounds: [],
    variants: [{ name: 'default', doc: m.doc ?? '', expect: 'pass' }],
    build: () => m,
  };
}

export function isModelDef(x: unknown): x is ModelDef {
  return typeof x === 'object' && x !== null && 'variants' in x && 'build' in x && typeof (x as ModelDef).build === 'function';
}

/**
 * Bit-packed state layout. Every variable cell is a slot; a slot stores the ordinal of its
 * value (value - lo for ranges) in the fewest bits, and no slot straddles two 32-bit words,
 * so equal states are equal word sequences.
 */
import type { Model, Sort, VarDecl } from '../model/lang/ir.ts';
import { cardinality, cellCount } from '../model/lang/ir.ts';
import type { State } from './interpreter.ts';

export interface Slot {
  word: number;
  shift: number;
  bits: number;
  lo: number;
  card: number;
}

export interface Layout {
  slots: Slot[];
  /** First slot of each variable. */
  base: Map<string, number>;
  decl: Map<string, VarDecl>;
  words: number;
  bits: number;
}

function bitsFor(card: number): number {
  return card <= 1 ? 0 : Math.ceil(Math.log2(card));
}

function lowest(s: Sort): number {
  return s.kind === 'range' ? s.lo : 0;
}

export function layoutOf(model: Model): Layout {
  const slots: Slot[] = [];
  const base = new Map<string, number>();
  const decl = new Map<string, VarDecl>();
  let word = 0, used = 0, bits = 0;
  for (const v of model.vars) {
    base.set(v.name, slots.length);
    decl.set(v.name, v);
    const card = cardinality(v.sort);
    const b = bitsFor(card);
    if (b > 31) throw new Error(`${v.name}: sort too large to pack`);
    for (let c = 0; c < cellCount(v); c++) {
      if (used + b > 32) { word++; used = 0; }
      slots.push({ word, shift: used, bits: b, lo: lowest(v.sort), card });
      used += b;
      bits += b;
    }
  }
  return { slots, base, decl, words: Math.max(1, word + (used > 0 ? 1 : 0)), bits };
}

/** Flat slot values (real values, not ordinals) from an interpreter state. */
export function toSlots(model: Model, layout: Layout, s: State): Int32Array {
  const v = new Int32Array(layout.slots.length);
  for (const d of model.vars) {
    const b = layout.base.get(d.name)!;
    s[d.name].forEach((x, i) => (v[b + i] = x));
  }
  return v;
}

export function fromSlots(model: Model, layout: Layout, v: ArrayLike<number>): State {
  const s: State = {};
  for (const d of model.vars) {
    const b = layout.base.get(d.name)!;
    s[d.name] = Array.from({ length: cellCount(d) }, (_, i) => v[b + i]);
  }
  return s;
}

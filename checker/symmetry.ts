/**
 * Symmetry reduction for the explicit engine: every state is rewritten to one representative of
 * its orbit under renamings of the model's interchangeable members (`Model.symmetry`), so the
 * visited set holds orbits, not states. Traces stay concrete: `concretePath` walks the stored
 * representatives again on the unreduced model and picks, at each step, the first real step
 * whose successor has the next representative, so the trace is a path of the model itself, of
 * the same (shortest) length.
 *
 * The representative: members are sorted by a key that renaming cannot change (the values of
 * the cells each member indexes, with member-naming values read as "me" / "another"); members
 * with equal keys are tried in every order (up to `maxTries` renamings) and the smallest slot
 * vector wins. That is one representative per orbit. When equal keys leave more renamings than
 * `maxTries`, the stable order is kept: still a state of the orbit (sound, still shortest), but
 * an orbit may then be stored more than once; `exact` says whether that ever happened. Where
 * swapping two members with equal keys changes nothing (every cell a member indexes is in its
 * key and no cell holds a member's name), sorting alone is exact at any size.
 */
import type { Model, Sort } from '../model/lang/ir.ts';
import { cardinality } from '../model/lang/ir.ts';
import { tiedSorts, type TiedSort } from '../model/lang/symmetry.ts';
import type { CompiledModel } from './compile.ts';
import type { Layout } from './layout.ts';

export interface Canonicaliser {
  /** How many members are interchangeable. */
  readonly members: number;
  /** Rewrite the slot vector `v` (real values) in place into its orbit's representative. */
  canon(v: Int32Array): void;
  /** False once a representative was chosen without trying every renaming that could beat it. */
  exact: boolean;
}

/** Renaming of one tied sort's values, fast for values naming one member. */
class ValueMap {
  /** Per value: its one member, -1 for none, -2 for several. */
  readonly member: Int32Array;
  private one: Int32Array;
  constructor(readonly tied: TiedSort, private n: number) {
    const card = tied.members.length;
    this.member = new Int32Array(card);
    let ranks = 0;
    tied.members.forEach((m, v) => { this.member[v] = m.length === 0 ? -1 : m.length === 1 ? m[0] : -2; ranks = Math.max(ranks, tied.rank[v] + 1); });
    this.one = new Int32Array(ranks * n).fill(-1);
    tied.members.forEach((m, v) => { if (m.length === 1) this.one[tied.rank[v] * n + m[0]] = v; });
  }
  image(v: number, perm: Int32Array): number {
    const m = this.member[v];
    if (m === -1) return v;
    if (m >= 0) return this.one[this.tied.rank[v] * this.n + perm[m]];
    return this.tied.image(v, perm);
  }
}

/**
 * The canonicaliser of a model that declares symmetry, or undefined.
 *
 * @example
 * const c = canonicaliser(model, compiled.layout);
 * if (c) c.canon(slots); // slots now hold the orbit's representative
 */
export function canonicaliser(model: Model, layout: Layout, opts: { maxTries?: number } = {}): Canonicaliser | undefined {
  const sym = model.symmetry;
  if (!sym || sym.members.length < 2) return undefined;
  const n = sym.members.length;
  const maxTries = opts.maxTries ?? 720;
  const table = tiedSorts(sym);
  const maps = new Map<TiedSort, ValueMap>();
  const mapOf = (s: Sort): ValueMap | undefined => {
    const t = table(s);
    if (!t || !t.members.some((m) => m.length)) return undefined;
    let vm = maps.get(t);
    if (!vm) { vm = new ValueMap(t, n); maps.set(t, vm); }
    return vm;
  };

  // Per slot: its value map (or none) and, if it moves, its fixed offset plus its tied coordinates.
  const nslots = layout.slots.length;
  const valMap: (ValueMap | undefined)[] = new Array(nslots);
  const valueSlots: number[] = [];
  const moving: { slot: number; fixed: number; coords: { stride: number; code: number; map: ValueMap }[] }[] = [];
  // Key classes: a cell with one tied coordinate naming one member; class = (var, position, other coordinates, rank).
  const classOf = new Map<string, number>();
  const keyCells: { cls: number; member: number; slot: number }[] = [];
  let harmless = true;
  for (const d of model.vars) {
    const base = layout.base.get(d.name)!;
    const vm = mapOf(d.sort);
    const cards = d.index.map(cardinality);
    const idxMaps = d.index.map(mapOf);
    const strides = cards.map((_, j) => cards.slice(j + 1).reduce((a, b) => a * b, 1));
    const cells = cards.reduce((a, b) => a * b, 1);
    if (vm) harmless = false;
    for (let c = 0; c < cells; c++) {
      const k = base + c;
      valMap[k] = vm;
      const ords = cards.map((card, j) => Math.floor(c / strides[j]) % card);
      let fixed = base;
      const coords: { stride: number; code: number; map: ValueMap }[] = [];
      ords.forEach((o, j) => {
        const m = idxMaps[j];
        if (m && m.member[o] !== -1) coords.push({ stride: strides[j], code: o, map: m });
        else fixed += o * strides[j];
      });
      if (coords.length) moving.push({ slot: k, fixed, coords });
      else if (vm) valueSlots.push(k);
      if (coords.length === 1 && coords[0].map.member[coords[0].code] >= 0) {
        const j = ords.findIndex((o, jj) => idxMaps[jj] === coords[0].map && o === coords[0].code);
        const ck = `${d.name}|${j}|${ords.map((o, jj) => (jj === j ? '*' : o)).join(',')}|${coords[0].map.tied.rank[coords[0].code]}`;
        if (!classOf.has(ck)) classOf.set(ck, classOf.size);
        keyCells.push({ cls: classOf.get(ck)!, member: coords[0].map.member[coords[0].code], slot: k });
      } else if (coords.length) harmless = false;
    }
  }
  const C = classOf.size;
  const keySlot = new Int32Array(n * C).fill(-1);
  for (const kc of keyCells) keySlot[kc.member * C + kc.cls] = kc.slot;
  // The moving slots flattened: slot, fixed offset, and a run of tied coordinates each.
  const M = moving.length;
  const movSlot = Int32Array.from(moving.map((mv) => mv.slot));
  const movFixed = Int32Array.from(moving.map((mv) => mv.fixed));
  const movStart = new Int32Array(M + 1);
  moving.forEach((mv, i) => (movStart[i + 1] = movStart[i] + mv.coords.length));
  const coStride = Int32Array.from(moving.flatMap((mv) => mv.coords.map((co) => co.stride)));
  const coCode = Int32Array.from(moving.flatMap((mv) => mv.coords.map((co) => co.code)));
  const coMap = moving.flatMap((mv) => mv.coords.map((co) => co.map));

  const keys = new Int32Array(n * C);
  const order = new Int32Array(n);
  const perm = new Int32Array(n);
  const tmp = new Int32Array(nslots);
  const best = new Int32Array(nslots);

  // The key of member i: invariant under renaming (a member's name reads as "me" or "another").
  const fillKeys = (v: Int32Array) => {
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < C; c++) {
        const k = keySlot[i * C + c];
        let x = k < 0 ? 0 : v[k];
        const vm = k < 0 ? undefined : valMap[k];
        if (vm) {
          const m = vm.member[x];
          if (m === -2) x = -1_000_000;
          else if (m >= 0) x = -2 - 2 * vm.tied.rank[x] - (m === i ? 0 : 1);
        }
        keys[i * C + c] = x;
      }
    }
  };
  const cmpKeys = (a: number, b: number) => {
    for (let c = 0; c < C; c++) {
      const d = keys[a * C + c] - keys[b * C + c];
      if (d) return d;
    }
    return 0;
  };
  /** dst = the state `src` with member order[p] renamed p. */
  const apply = (src: Int32Array, dst: Int32Array) => {
    for (let p = 0; p < n; p++) perm[order[p]] = p;
    dst.set(src);
    for (let i = 0; i < valueSlots.length; i++) { const k = valueSlots[i]; dst[k] = valMap[k]!.image(src[k], perm); }
    for (let i = 0; i < M; i++) {
      let off = movFixed[i];
      for (let j = movStart[i]; j < movStart[i + 1]; j++) off += coMap[j].image(coCode[j], perm) * coStride[j];
      const k = movSlot[i];
      const vm = valMap[k];
      dst[off] = vm ? vm.image(src[k], perm) : src[k];
    }
  };
  const less = (a: Int32Array, b: Int32Array) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  };
  const groupStart: number[] = [];
  const groupEnd: number[] = [];

  const self: Canonicaliser = {
    members: n,
    exact: true,
    canon(v: Int32Array) {
      fillKeys(v);
      // Insertion sort of the members by key (stable; n is small).
      let identity = true;
      for (let i = 0; i < n; i++) {
        let j = i;
        while (j > 0 && cmpKeys(order[j - 1], i) > 0) { order[j] = order[j - 1]; j--; }
        order[j] = i;
        if (j !== i) identity = false;
      }
      // Runs of members with equal keys.
      groupStart.length = 0; groupEnd.length = 0;
      let tries = 1;
      for (let s = 0; s < n;) {
        let e = s + 1;
        while (e < n && cmpKeys(order[s], order[e]) === 0) e++;
        if (e - s > 1) { groupStart.push(s); groupEnd.push(e); for (let f = 2; f <= e - s; f++) tries *= f; }
        s = e;
      }
      const groups = groupStart.length;
      if (!groups || harmless || tries > maxTries) {
        if (groups && !harmless) self.exact = false;
        if (identity) return;
        apply(v, tmp);
        v.set(tmp);
        return;
      }
      // Every order within the groups; keep the smallest result.
      let first = true;
      const visit = (g: number) => {
        if (g === groups) {
          apply(v, tmp);
          if (first || less(tmp, best)) { best.set(tmp); first = false; }
          return;
        }
        permute(order, groupStart[g], groupEnd[g], () => visit(g + 1));
      };
      visit(0);
      v.set(best);
    },
  };
  return self;
}

/** Call `f` once for every ordering of `a[s..e)` (Heap's algorithm; `a` restored after). */
function permute(a: Int32Array, s: number, e: number, f: () => void): void {
  const k = e - s;
  const c = new Int32Array(k);
  f();
  let i = 1;
  while (i < k) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      const t = a[s + j]; a[s + j] = a[s + i]; a[s + i] = t;
      f();
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

/**
 * A concrete path through the stored representatives: from the model's own initial state, at
 * each step the first enabled instance (in instance order) whose successor has the next
 * representative. With `last`, one more step: the first instance failing the same way (the
 * same requirement id, or a value out of its sort). Throws if no step fits (a protocheck bug).
 *
 * @example
 * const { path } = concretePath(compiled, canon, initSlots, [rep1, rep2]);
 */
export function concretePath(
  c: CompiledModel, canon: Canonicaliser, init: Int32Array, reps: Int32Array[], last?: { status: number; requirement?: string },
): { path: number[]; status?: number } {
  const len = init.length;
  let cur: Int32Array = Int32Array.from(init);
  const n = new Int32Array(len);
  const tmp = new Int32Array(len);
  const path: number[] = [];
  const same = (a: Int32Array, b: Int32Array) => { for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false; return true; };
  reps.forEach((rep, j) => {
    let found = -1;
    let next: Int32Array | undefined = undefined as Int32Array | undefined;
    c.successors(cur, n, (inst, st) => {
      if (found >= 0 || st !== 0) return;
      tmp.set(n);
      canon.canon(tmp);
      if (same(tmp, rep)) { found = inst; next = Int32Array.from(n); }
    });
    if (found < 0 || !next) throw new Error(`symmetry: no step of the model reaches the representative at step ${j + 1}`);
    path.push(found);
    cur = next;
  });
  if (!last) return { path };
  let found = -1, status = 0;
  c.successors(cur, n, (inst, st) => {
    if (found >= 0 || st === 0) return;
    const fits = last.status < 0 ? st < 0 : st > 0 && c.instances[inst].action.requires[st - 1]?.id === last.requirement;
    if (fits) { found = inst; status = st; }
  });
  if (found < 0) throw new Error(`symmetry: no step of the model fails like the representative's last step (${last.requirement ?? 'a value out of its sort'})`);
  return { path: [...path, found], status };
}

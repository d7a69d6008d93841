/**
 * An inductive invariant learned IC3-style with the explicit engine's state space as an exact
 * reachability oracle. The invariant is a conjunction of lemmas that hold in every reachable
 * state; while it is not inductive, or does not exclude the bad states, Z3 returns a state `s`
 * that satisfies it and is bad, or has a successor breaking a lemma. Either way no reachable
 * state is `s` (a reachable bad state would have been a violation; a reachable state's
 * successors are reachable and satisfy every lemma), so `s` is blocked: the clause "not this
 * cube" is added, where the cube is a few of `s`'s literals (`x = v`, `x <= v`, `x >= v`) that
 * no reachable state matches, chosen greedily (each literal excludes the most reachable states),
 * and a second such cube that avoids one cell of the first. The seeds are the first lemmas;
 * consecution is asked about 64 lemmas at a time. Every step adds a clause that excludes a state
 * the invariant allowed, so the loop ends.
 *
 * @example
 * const r = await guidedInvariant(model, reachableStates(model, 1e6).states, seeds, {});
 * r.kind === 'invariant' && r.conjuncts; // IR expressions; their conjunction is inductive
 */
import type { Expr, Model } from '../../model/lang/ir.ts';
import { BOOL } from '../../model/lang/ir.ts';
import type { State } from '../interpreter.ts';
import { InternalError } from '../check.ts';
import { modelCells, cellIn, type CellRef } from './cells.ts';
import { CandidateSolver } from './houdini.ts';

export interface GuidedOptions {
  /** Per-query Z3 timeout (ms). */
  smtTimeoutMs?: number;
  /** Most clauses learned before giving up (deterministic; default 4000). */
  maxClauses?: number;
}

export type GuidedResult =
  | { kind: 'invariant'; conjuncts: Expr[]; learned: number; seeds: number; queries: number }
  | { kind: 'unknown'; reason: string };

/** Lemmas whose consecution one query asks about. */
const LEMMA_GROUP = 64;

/** One literal of a cube: the cell's value lies in `vals`; `bits`: the reachable states where it does. */
interface Lit { cell: number; vals: number[]; bits: Uint32Array<ArrayBuffer> }

/** Bit sets over the reachable states: per cell, per value ordinal. */
class StateIndex {
  readonly words: number;
  private byValue: Map<number, Uint32Array>[];
  constructor(readonly cells: CellRef[], states: Int32Array[]) {
    this.words = Math.ceil(states.length / 32);
    this.byValue = cells.map(() => new Map());
    states.forEach((s, k) => {
      for (let i = 0; i < cells.length; i++) {
        let b = this.byValue[i].get(s[i]);
        if (!b) this.byValue[i].set(s[i], (b = new Uint32Array(this.words)));
        b[k >>> 5] |= 1 << (k & 31);
      }
    });
  }
  /** The states whose cell `i` is in `vals`. */
  where(i: number, vals: number[]): Uint32Array<ArrayBuffer> {
    const out = new Uint32Array(this.words);
    for (const v of vals) {
      const b = this.byValue[i].get(v);
      if (b) for (let w = 0; w < this.words; w++) out[w] |= b[w];
    }
    return out;
  }
}

function count(b: Uint32Array): number {
  let n = 0;
  for (let x of b) { x -= (x >>> 1) & 0x55555555; x = (x & 0x33333333) + ((x >>> 2) & 0x33333333); n += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24; }
  return n;
}
function andInto(a: Uint32Array, b: Uint32Array): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = a[w] & b[w];
  return out;
}

/** The candidate literals of a state: every cell's `= v`, and `<= v`, `>= v` for ranges. */
function literalsOf(ix: StateIndex, cells: CellRef[], s: number[]): Lit[] {
  const out: Lit[] = [];
  cells.forEach((c, i) => {
    const v = s[i];
    out.push({ cell: i, vals: [v], bits: ix.where(i, [v]) });
    if (c.decl.sort.kind === 'range') {
      const le = c.values.filter((u) => u <= v), ge = c.values.filter((u) => u >= v);
      if (le.length > 1 && le.length < c.values.length) out.push({ cell: i, vals: le, bits: ix.where(i, le) });
      if (ge.length > 1 && ge.length < c.values.length) out.push({ cell: i, vals: ge, bits: ix.where(i, ge) });
    }
  });
  return out;
}

/** A small cube of `s`'s literals that no reachable state matches (greedy cover, then minimal). */
function blockingCube(ix: StateIndex, cells: CellRef[], s: number[], avoid = -1): Lit[] | undefined {
  const lits = literalsOf(ix, cells, s).filter((l) => l.cell !== avoid);
  let cur = new Uint32Array(ix.words).fill(0xffffffff);
  let live = count(cur);
  const chosen: Lit[] = [];
  while (live > 0) {
    let best: { lit: Lit; bits: Uint32Array<ArrayBuffer>; n: number } | undefined;
    for (const lit of lits) {
      if (chosen.some((c) => c.cell === lit.cell)) continue;
      const b = andInto(cur, lit.bits);
      const n = count(b);
      // Fewest states left; on a tie the more general literal (more values), then the earlier cell.
      if (!best || n < best.n || (n === best.n && lit.vals.length > best.lit.vals.length)) best = { lit, bits: b, n };
    }
    if (!best || best.n === live) {
      if (avoid >= 0) return undefined;
      throw new InternalError('PDR: a state the proof must exclude is one the explicit engine reached');
    }
    chosen.push(best.lit);
    cur = best.bits;
    live = best.n;
  }
  // Drop literals the others make redundant.
  for (let i = chosen.length - 1; i >= 0 && chosen.length > 1; i--) {
    const rest = chosen.filter((_, j) => j !== i);
    let b = new Uint32Array(ix.words).fill(0xffffffff);
    for (const l of rest) b = andInto(b, l.bits);
    if (count(b) === 0) chosen.splice(i, 1);
  }
  return chosen.sort((a, b) => a.cell - b.cell);
}

/** The clause "not this cube", as `l1 ∧ … → ¬lk` in the model's vocabulary. */
function clauseOf(cells: CellRef[], cube: Lit[]): Expr {
  const neg = (l: Lit) => cellIn(cells[l.cell], cells[l.cell].values.filter((v) => !l.vals.includes(v)));
  const last = cube[cube.length - 1];
  if (cube.length === 1) return neg(last);
  const prem = cube.slice(0, -1).map((l) => cellIn(cells[l.cell], l.vals));
  return { op: 'implies', sort: BOOL, a: prem.length === 1 ? prem[0] : { op: 'and', sort: BOOL, args: prem }, b: neg(last) };
}

function slotsOf(cells: CellRef[], st: State): number[] {
  return cells.map((c) => st[c.decl.name][c.cell]);
}

/**
 * Learn an inductive invariant that excludes every bad state and step, from `seeds` (lemmas
 * true in every state of `states`, which must be all reachable states, and the first lemmas),
 * then keep an inductive core of it.
 */
export async function guidedInvariant(model: Model, states: Int32Array[], seeds: Expr[], opts: GuidedOptions = {}): Promise<GuidedResult> {
  const cells = modelCells(model);
  const ix = new StateIndex(cells, states);
  const cs = await CandidateSolver.open(model, seeds, opts.smtTimeoutMs ?? 0);
  let queries = 0;
  try {
    // Every seed is a lemma from the start, with no Houdini filtering: each is true in every
    // reached state, so blocking the pre-states of its counterexamples to induction can always
    // make it inductive, and the seeds Houdini would drop often hold up the others (vma/fixed:
    // 180 learned clauses and 48 s in all without Houdini, 830 and 150 s after it).
    const ids = cs.candidates.map((_, i) => i);
    const max = opts.maxClauses ?? 4000;
    let learned = 0;
    const block = async (s: State) => {
      if (learned >= max) return false;
      const slots = slotsOf(cells, s);
      const cube = blockingCube(ix, cells, slots)!;
      // A second clause from the same state, avoiding the cell of the cube's first literal: it excludes
      // other unreached states near this one, which would otherwise come back as CTIs one query
      // each (one core, whole process: binder/fixed 72 -> 41 s, vma/fixed 44 -> 38 s).
      const other = blockingCube(ix, cells, slots, cube[0].cell);
      const added = await cs.add(other ? [clauseOf(cells, cube), clauseOf(cells, other)] : [clauseOf(cells, cube)]);
      ids.push(...added);
      learned += added.length;
      return added;
    };
    // Bad states first: once the lemmas exclude them, more lemmas still do.
    for (;;) {
      queries++;
      const s = await cs.badState(ids);
      if (s === 'unknown') return { kind: 'unknown', reason: 'Z3 gave up on a bad-state query' };
      if (s === 'none') break;
      if ((await block(s)) === false) return { kind: 'unknown', reason: `no inductive invariant after ${max} learned clauses` };
    }
    // Consecution, a group of lemmas at a time: a group every step preserves stays preserved as
    // lemmas are added (cs.breakingStep), so it is not asked again; a lemma learned to block a
    // step's pre-state joins the last group. A query over a few lemmas is cheaper than one over all.
    const groups: number[][] = [];
    for (let i = 0; i < ids.length; i += LEMMA_GROUP) groups.push(ids.slice(i, i + LEMMA_GROUP));
    while (groups.length) {
      queries++;
      const cex = await cs.breakingStep(ids, groups[0]);
      if (cex === 'unknown') return { kind: 'unknown', reason: 'Z3 gave up on a consecution query' };
      if (cex === 'preserved') { groups.shift(); continue; }
      const added = await block(cex.pre);
      if (added === false) return { kind: 'unknown', reason: `no inductive invariant after ${max} learned clauses` };
      for (const id of added) {
        const last = groups[groups.length - 1];
        if (last.length < LEMMA_GROUP) last.push(id); else groups.push([id]);
      }
    }
    const core = await cs.inductiveCore(ids);
    if (!core) return { kind: 'unknown', reason: 'Z3 gave up computing the inductive core' };
    return { kind: 'invariant', conjuncts: core.map((i) => cs.candidates[i]), learned, seeds: seeds.length, queries };
  } finally {
    await cs.close();
  }
}

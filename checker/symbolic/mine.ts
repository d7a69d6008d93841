/**
 * Candidate lemmas mined from the reachable states: facts true in every one of them, which
 * Houdini then filters down to an inductive subset. Three shapes:
 *
 * - a cell's values: `preempt_count[T1] <= 1`, `mm_freed` never set (`!mm_freed`);
 * - one cell's value pins another's: `pc[T1] = install_pages → mm_users_held[T1] = 1`;
 * - linear equalities over integer and Bool cells (the affine hull of the states):
 *   `mm_users = mm_users_held[owner] + mm_users_held[T1] + …` (reference counts).
 *
 * @example
 * const cands = mineCandidates(model, reachableStates(model, 1e5).states);
 */
import type { Expr, Model } from '../../model/lang/ir.ts';
import { modelCells, cellIn, linear, type CellRef } from './cells.ts';

/** Candidate lemmas (IR expressions over cells), each true in every state of `states`. */
export function mineCandidates(model: Model, states: Int32Array[]): Expr[] {
  const cells = modelCells(model);
  const n = cells.length;
  const out: Expr[] = [];
  // Values each cell takes.
  const seen: Set<number>[] = cells.map(() => new Set());
  for (const s of states) for (let i = 0; i < n; i++) seen[i].add(s[i]);
  const live: number[] = [];
  for (let i = 0; i < n; i++) {
    const vals = [...seen[i]].sort((a, b) => a - b);
    if (vals.length < cells[i].values.length) out.push(cellIn(cells[i], vals));
    if (vals.length > 1) live.push(i);
  }
  out.push(...pairs(cells, live, seen, states));
  out.push(...equalities(cells, live, states));
  return out.filter((e) => !(e.op === 'lit' && e.value === 1));
}

/** `a = va → b ∈ B` where B is the set of b's values seen with a = va, when smaller than all of b's. */
function pairs(cells: CellRef[], live: number[], seen: Set<number>[], states: Int32Array[]): Expr[] {
  const out: Expr[] = [];
  for (const a of live) {
    for (const b of live) {
      if (a === b) continue;
      const co = new Map<number, Set<number>>();
      for (const s of states) {
        let m = co.get(s[a]);
        if (!m) co.set(s[a], (m = new Set()));
        m.add(s[b]);
      }
      for (const [va, bs] of [...co].sort((x, y) => x[0] - y[0])) {
        if (bs.size === seen[b].size) continue;
        const prem = cellIn(cells[a], [va]);
        out.push({ op: 'implies', sort: prem.sort, a: prem, b: cellIn(cells[b], [...bs].sort((x, y) => x - y)) });
      }
    }
  }
  return out;
}

/**
 * Linear equalities Σ c_i·x_i = k true in every state: the null space of the differences from
 * the first state, over the range and Bool cells that change (exact integer elimination).
 */
function equalities(cells: CellRef[], live: number[], states: Int32Array[]): Expr[] {
  const cols = live.filter((i) => cells[i].decl.sort.kind === 'range' || cells[i].decl.sort.kind === 'bool');
  if (cols.length < 2) return [];
  const s0 = states[0];
  // Row-echelon basis of the differences; each row is kept with its pivot column.
  const basis: { row: number[]; pivot: number }[] = [];
  for (const s of states) {
    let r = cols.map((c) => s[c] - s0[c]);
    for (const b of basis) {
      if (r[b.pivot] === 0) continue;
      const f = r[b.pivot], p = b.row[b.pivot];
      r = r.map((x, j) => x * p - b.row[j] * f);
      r = normalise(r);
    }
    const pivot = r.findIndex((x) => x !== 0);
    if (pivot >= 0) basis.push({ row: r, pivot });
    if (basis.length === cols.length) return [];
  }
  // Reduced form: eliminate each pivot from the other rows.
  for (const b of basis) {
    for (const o of basis) {
      if (o === b || o.row[b.pivot] === 0) continue;
      const f = o.row[b.pivot], p = b.row[b.pivot];
      o.row = normalise(o.row.map((x, j) => x * p - b.row[j] * f));
    }
  }
  const pivots = new Set(basis.map((b) => b.pivot));
  const out: Expr[] = [];
  cols.forEach((_, free) => {
    if (pivots.has(free)) return;
    // x_free = L; each pivot variable: p·x_p + r_free·x_free = 0 → a null vector scaled by L.
    const L = basis.reduce((acc, b) => lcm(acc, Math.abs(b.row[b.pivot])), 1);
    const v = new Array(cols.length).fill(0);
    v[free] = L;
    for (const b of basis) v[b.pivot] = -(b.row[free] * L) / b.row[b.pivot];
    const w = normalise(v);
    const coeffs = new Map<number, number>();
    let k = 0;
    w.forEach((c, j) => { if (c !== 0) { coeffs.set(cols[j], c); k += c * s0[cols[j]]; } });
    if (coeffs.size >= 2) out.push(linear(cells, coeffs, 'eq', k));
  });
  return out;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a); b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}
/** Divide by the gcd; the first non-zero entry positive. */
function normalise(r: number[]): number[] {
  const g = r.reduce((acc, x) => gcd(acc, x), 0);
  if (g === 0) return r;
  const first = r.find((x) => x !== 0)!;
  const s = first < 0 ? -g : g;
  return r.map((x) => x / s || 0);
}

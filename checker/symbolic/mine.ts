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
import { modelCells, cellIn, linear, type CellRef, type LinearTerm } from './cells.ts';

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
  out.push(...equalities(cells, live, seen, states));
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

/** A column of the linear facts: a range or Bool cell, or the indicator "cell = v" of an enumeration cell. */
interface Column { cell: number; v?: number }

/**
 * Linear equalities Σ c_i·x_i = k true in every state: the null space of the differences from
 * the first state (exact integer elimination). The columns are the range and Bool cells that
 * change and, for enumeration and thread-id cells (program counters), one 0/1 indicator per
 * value but the commonest: so a count held by threads at some program points is found as
 * `refs = 1 + (pc[R1] ∈ {get, use}) + (pc[R2] ∈ {get, use})`.
 */
function equalities(cells: CellRef[], live: number[], seen: Set<number>[], states: Int32Array[]): Expr[] {
  const cols: Column[] = [];
  for (const i of live) {
    const kind = cells[i].decl.sort.kind;
    if (kind === 'range' || kind === 'bool') { cols.push({ cell: i }); continue; }
    const freq = new Map<number, number>();
    for (const s of states) freq.set(s[i], (freq.get(s[i]) ?? 0) + 1);
    const common = [...freq].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    for (const v of [...seen[i]].sort((a, b) => a - b)) if (v !== common) cols.push({ cell: i, v });
  }
  if (cols.length < 2) return [];
  const value = (s: Int32Array, c: Column) => (c.v === undefined ? s[c.cell] : s[c.cell] === c.v ? 1 : 0);
  const s0 = states[0];
  // Row-echelon basis of the differences; each row is kept with its pivot column.
  const basis: { row: number[]; pivot: number }[] = [];
  for (const s of states) {
    let r = cols.map((c) => value(s, c) - value(s0, c));
    for (const b of basis) {
      if (r[b.pivot] === 0) continue;
      const f = r[b.pivot], p = b.row[b.pivot];
      r = normalise(r.map((x, j) => x * p - b.row[j] * f));
    }
    // Exact arithmetic only: give up rather than round.
    if (r.some((x) => Math.abs(x) > 2 ** 40)) return [];
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
      if (o.row.some((x) => Math.abs(x) > 2 ** 40)) return [];
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
    if (w.some((x) => !Number.isSafeInteger(x))) return;
    let k = 0;
    const terms: LinearTerm[] = [];
    w.forEach((c, j) => {
      if (c === 0) return;
      k += c * value(s0, cols[j]);
      const col = cols[j];
      // Indicators of one cell with one coefficient are one indicator of a set of values.
      const same = col.v === undefined ? undefined : terms.find((t) => t.cell === col.cell && t.vals && t.coeff === c);
      if (same) same.vals!.push(col.v!);
      else terms.push({ cell: col.cell, coeff: c, ...(col.v === undefined ? {} : { vals: [col.v] }) });
    });
    if (terms.length >= 2) out.push(linear(cells, terms, 'eq', k));
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

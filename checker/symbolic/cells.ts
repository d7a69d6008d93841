/**
 * Cells as IR expressions: cell `i` of a model is the i-th cell in `model.vars` order (the
 * explicit engine's slot order), read as `name[index…]` with literal indices. The invariant
 * code builds its formulas over these reads, so they print, evaluate and encode like any
 * expression of the model.
 *
 * @example
 * const cs = modelCells(model);
 * cs[3].read; // { op: 'var', name: 'pc', index: [{ op: 'lit', … value: 2 }], … }
 */
import type { Expr, Model, Sort, VarDecl } from '../../model/lang/ir.ts';
import { BOOL, INT, cardinality, cellCount, sortValues } from '../../model/lang/ir.ts';

export interface CellRef {
  decl: VarDecl;
  cell: number;
  /** The read `name[i…]` of this cell. */
  read: Expr;
  /** The values of the cell's sort (bool: 0, 1). */
  values: number[];
}

/** Every cell of a model, in slot order. */
export function modelCells(model: Model): CellRef[] {
  const out: CellRef[] = [];
  for (const v of model.vars) {
    for (let c = 0; c < cellCount(v); c++) {
      const index: Expr[] = [];
      let rest = c;
      for (let i = v.index.length - 1; i >= 0; i--) {
        const card = cardinality(v.index[i]);
        index.unshift({ op: 'lit', sort: v.index[i], value: sortValues(v.index[i])[rest % card] });
        rest = Math.floor(rest / card);
      }
      out.push({ decl: v, cell: c, read: { op: 'var', sort: v.sort, name: v.name, index }, values: sortValues(v.sort) });
    }
  }
  return out;
}

/** A literal of a sort (bool 0/1 as false/true). */
export function litOf(sort: Sort, value: number): Expr {
  return { op: 'lit', sort, value };
}

/** `cell ∈ vals` as plainly as it can be said: `x`, `!x`, `x = v`, `x != v`, `x <= v`, `lo <= x <= hi`, or a disjunction. */
export function cellIn(c: CellRef, vals: number[]): Expr {
  const sort = c.decl.sort;
  const all = c.values;
  const set = all.filter((v) => vals.includes(v));
  if (set.length === all.length) return litOf(BOOL, 1);
  if (set.length === 0) return litOf(BOOL, 0);
  if (sort.kind === 'bool') return set[0] === 1 ? c.read : { op: 'not', sort: BOOL, a: c.read };
  if (set.length === 1) return { op: 'eq', sort: BOOL, a: c.read, b: litOf(sort, set[0]) };
  const out = all.filter((v) => !set.includes(v));
  if (out.length === 1) return { op: 'ne', sort: BOOL, a: c.read, b: litOf(sort, out[0]) };
  if (sort.kind === 'range') {
    const lo = set[0], hi = set[set.length - 1];
    if (hi - lo + 1 === set.length) {
      if (lo === sort.lo) return { op: 'le', sort: BOOL, a: c.read, b: litOf(INT, hi) };
      if (hi === sort.hi) return { op: 'ge', sort: BOOL, a: c.read, b: litOf(INT, lo) };
      return { op: 'and', sort: BOOL, args: [{ op: 'ge', sort: BOOL, a: c.read, b: litOf(INT, lo) }, { op: 'le', sort: BOOL, a: c.read, b: litOf(INT, hi) }] };
    }
  }
  return { op: 'or', sort: BOOL, args: set.map((v) => ({ op: 'eq', sort: BOOL, a: c.read, b: litOf(sort, v) }) as Expr) };
}

/**
 * One term of a linear fact: a cell (`vals` undefined; a Bool cell counts 1 when true) or the
 * indicator "the cell's value is in `vals`" (1 or 0), times `coeff`.
 */
export interface LinearTerm { cell: number; vals?: number[]; coeff: number }

/** `Σ coeff·term = k` (`eq`) or `≤ k` (`le`), with negative terms moved to the right-hand side. */
export function linear(cells: CellRef[], terms: LinearTerm[], op: 'eq' | 'le', k: number): Expr {
  const one = (t: LinearTerm): Expr => {
    const c = cells[t.cell];
    if (t.vals === undefined && c.decl.sort.kind !== 'bool') return c.read;
    const cond = t.vals === undefined ? c.read : cellIn(c, t.vals);
    return { op: 'ite', sort: INT, c: cond, t: litOf(INT, 1), e: litOf(INT, 0) };
  };
  const side = (sign: number): Expr | undefined => {
    const out: Expr[] = [];
    for (const t of terms) {
      if (Math.sign(t.coeff) !== sign) continue;
      const r = one(t);
      for (let n = 0; n < Math.abs(t.coeff); n++) out.push(r);
    }
    return out.reduce<Expr | undefined>((acc, t) => (acc ? { op: 'add', sort: INT, a: acc, b: t } : t), undefined);
  };
  let lhs = side(1), rhs = side(-1);
  const kl: Expr = litOf(INT, Math.abs(k));
  if (k > 0) rhs = rhs ? { op: 'add', sort: INT, a: rhs, b: kl } : kl;
  if (k < 0) lhs = lhs ? { op: 'add', sort: INT, a: lhs, b: kl } : kl;
  return { op, sort: BOOL, a: lhs ?? litOf(INT, 0), b: rhs ?? litOf(INT, 0) };
}

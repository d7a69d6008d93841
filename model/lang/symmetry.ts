/**
 * Symmetry: what renaming interchangeable members does to values, and the check that a model
 * declaring members interchangeable really is (Murphi's scalarset rule, checked on the IR rather
 * than by typing): renaming the members maps every action onto an action of the model (its
 * name aside), and every property and the final condition onto itself. Checking the two
 * generators of the symmetric group (swap the first two members; rotate all of them) checks
 * every renaming. The initial state need not be symmetric.
 */
import type { Action, Expr, Model, Sort, Symmetry } from './ir.ts';
import { showValue } from './ir.ts';
import { ModelError } from './expr.ts';

/** The members each value of `s` names (`[]`: none), or undefined when `s` is not tied. */
export function tiesOf(sym: Symmetry, s: Sort): number[][] | undefined {
  if (s.kind !== 'enum' && s.kind !== 'scalarset') return undefined;
  const own = sym.tied[s.name];
  if (own) return own;
  // option(S): S's values, then `none` (names no member).
  if (s.kind === 'enum' && s.base !== undefined && sym.tied[s.base]) {
    const b = sym.tied[s.base];
    return s.values.map((_, i) => b[i] ?? []);
  }
  return undefined;
}

/**
 * Renaming table of one tied sort. A value naming members M is the r-th value naming M; under a
 * renaming σ it becomes the r-th value naming σ(M).
 *
 * @example
 * const t = new TiedSort([[0], [1], []]); // C1, C2, none
 * t.image(0, [1, 0]); // 1: C1 becomes C2
 */
export class TiedSort {
  /** Per value: its members and its rank among the values naming the same members. */
  readonly members: number[][];
  readonly rank: Int32Array;
  private byKey = new Map<string, number[]>();

  constructor(ties: number[][]) {
    this.members = ties;
    this.rank = new Int32Array(ties.length);
    ties.forEach((m, v) => {
      if (!m.length) return;
      const k = m.join(',');
      const list = this.byKey.get(k) ?? [];
      this.rank[v] = list.length;
      list.push(v);
      this.byKey.set(k, list);
    });
  }

  /** The value `v` becomes when member i is renamed `perm[i]`; -1 when no value fits. */
  image(v: number, perm: ArrayLike<number>): number {
    const m = this.members[v];
    if (!m || !m.length) return v;
    let k = '';
    for (let i = 0; i < m.length; i++) k += (i ? ',' : '') + perm[m[i]];
    const list = this.byKey.get(k);
    return list && this.rank[v] < list.length ? list[this.rank[v]] : -1;
  }
}

/**
 * The renaming table of each tied sort, made once per sort (undefined for a sort not tied).
 * Example: `const table = tiedSorts(model.symmetry!); table(ThreadSort)?.image(0, [1, 0])`.
 */
export function tiedSorts(sym: Symmetry): (s: Sort) => TiedSort | undefined {
  const tables = new Map<string, TiedSort>();
  return (s) => {
    const ties = tiesOf(sym, s);
    if (!ties || (s.kind !== 'enum' && s.kind !== 'scalarset')) return undefined;
    let t = tables.get(s.name);
    if (!t) { t = new TiedSort(ties); tables.set(s.name, t); }
    return t;
  };
}

/** A renaming of members: `perm[i]` is member i's new index. */
type Perm = number[];

/** Throw a ModelError unless renaming the declared members maps the model onto itself. */
export function checkSymmetry(model: Model): void {
  const sym = model.symmetry;
  if (!sym) return;
  const n = sym.members.length;
  if (n < 2) return;
  const gens: Perm[] = [[1, 0, ...Array.from({ length: n - 2 }, (_, i) => i + 2)]];
  if (n > 2) gens.push(Array.from({ length: n }, (_, i) => (i + 1) % n));
  const describe = (p: Perm) => (p[0] === 1 && p[1] === 0 ? `${sym.members[0]} and ${sym.members[1]} swap` : `every member moves one on (${sym.members.join(' → ')} → ${sym.members[0]})`);
  const who = `symmetric(${sym.members.join(', ')})`;
  const table = tiedSorts(sym);
  const named = Object.entries(sym.tied).map(([name, ties]) => ({ name, ties, t: new TiedSort(ties) }));
  // The model's own actions, once: each renamed action must be one of them.
  const seen = new Set(model.actions.map((a) => actionKey(a, fold, (s, vs) => vs)));
  for (const p of gens) {
    for (const { name, ties, t } of named) {
      ties.forEach((m, v) => {
        if (t.image(v, p) < 0) throw new ModelError(`${who}: a value of ${name} names ${m.map((i) => sym.members[i]).join(', ')} but no value names their renaming when ${describe(p)}; tie each member's values alike`);
      });
    }
    const rename = (e: Expr): Expr => fold(renameExpr(e, (s, v) => { const t = table(s); return t ? t.image(v, p) : v; }));
    for (const a of model.actions) {
      const k = actionKey(a, rename, (s, vs) => { const t = table(s); return t ? vs.map((v) => t.image(v, p)) : vs; });
      if (!seen.has(k)) throw new ModelError(`${who}: action '${a.name}' has no counterpart when ${describe(p)}; a symmetric model may not single out a member (treat every member alike, or drop the declaration)`);
    }
    for (const prop of model.properties) {
      if (!('expr' in prop)) continue;
      if (exprKey(rename(prop.expr)) !== exprKey(fold(prop.expr))) throw new ModelError(`${who}: ${prop.kind} '${prop.id}' changes when ${describe(p)}; a property of a symmetric model must treat every member alike`);
    }
    if (exprKey(rename(model.final)) !== exprKey(fold(model.final))) throw new ModelError(`${who}: the final condition changes when ${describe(p)}`);
  }
}

/**
 * What action `a` does after renaming members by `perm` (member i becomes `perm[i]`), as the key
 * checkSymmetry compares: two actions with equal keys have the same transitions.
 * Example: `renamedActionKey(sym, a, [1, 0]) === renamedActionKey(sym, b, [0, 1])` when the swap maps a onto b.
 */
export function renamedActionKey(sym: Symmetry, a: Action, perm: number[]): string {
  const table = tiedSorts(sym);
  const rename = (e: Expr): Expr => fold(renameExpr(e, (s, v) => { const t = table(s); return t ? t.image(v, perm) : v; }));
  return actionKey(a, rename, (s, vs) => { const t = table(s); return t ? vs.map((v) => t.image(v, perm)) : vs; });
}

/**
 * `e` with what is decided by literals alone folded, exactly (never dropping a read that is
 * evaluated: `and(false, e)` folds, `and(e, false)` keeps `e`). The writes a step compiles to
 * test earlier writes' indices for aliasing (`eq(R1, R2)`), so two members' steps differ in
 * such tests until they are folded.
 */
function fold(e: Expr): Expr {
  const B = (v: boolean): Expr => ({ op: 'lit', sort: { kind: 'bool' }, value: v ? 1 : 0 });
  const isLit = (x: Expr, v?: number) => x.op === 'lit' && (v === undefined || x.value === v);
  switch (e.op) {
    case 'lit': case 'param': case 'cyclic': return e;
    case 'var': return { ...e, index: e.index.map(fold) };
    case 'eq': case 'ne': {
      const a = fold(e.a), b = fold(e.b);
      if (a.op === 'lit' && b.op === 'lit') return B((a.value === b.value) === (e.op === 'eq'));
      return { ...e, a, b };
    }
    case 'and': case 'or': {
      const unit = e.op === 'and' ? 1 : 0;
      const args: Expr[] = [];
      for (const x of e.args.map(fold)) {
        if (isLit(x, unit)) continue;
        args.push(x);
        if (isLit(x, 1 - unit)) break; // short-circuit: nothing after it is evaluated
      }
      if (args.length === 0) return B(unit === 1);
      if (args.length === 1) return args[0];
      return { ...e, args };
    }
    case 'not': { const a = fold(e.a); return a.op === 'lit' ? B(a.value === 0) : { ...e, a }; }
    case 'ite': { const c = fold(e.c); return c.op === 'lit' ? fold(c.value ? e.t : e.e) : { ...e, c, t: fold(e.t), e: fold(e.e) }; }
    case 'forall': case 'exists': case 'count': return { ...e, body: fold(e.body) };
    default: return { ...e, a: fold(e.a), b: fold(e.b) };
  }
}

/** `e` with every literal of a tied sort renamed. */
function renameExpr(e: Expr, lit: (s: Sort, v: number) => number): Expr {
  const r = (x: Expr) => renameExpr(x, lit);
  switch (e.op) {
    case 'lit': return { ...e, value: lit(e.sort, e.value) };
    case 'var': return { ...e, index: e.index.map(r) };
    case 'param': case 'cyclic': return e;
    case 'and': case 'or': return { ...e, args: e.args.map(r) };
    case 'not': return { ...e, a: r(e.a) };
    case 'ite': return { ...e, c: r(e.c), t: r(e.t), e: r(e.e) };
    case 'forall': case 'exists': case 'count': return { ...e, body: r(e.body) };
    default: return { ...e, a: r(e.a), b: r(e.b) };
  }
}

/** A text equal for equal expressions, up to the order of `and`/`or`/`add` operands and of `eq`/`ne` sides. */
export function exprKey(e: Expr): string {
  switch (e.op) {
    case 'lit': return `${sortKey(e.sort)}:${String(showValue(e.sort, e.value))}`;
    case 'var': return `${e.name}[${e.index.map(exprKey).join(',')}]`;
    case 'param': return `$${e.name}`;
    case 'cyclic': return `cyclic(${e.name})`;
    case 'and': case 'or': return `${e.op}(${e.args.map(exprKey).sort().join(',')})`;
    case 'not': return `not(${exprKey(e.a)})`;
    case 'ite': return `ite(${exprKey(e.c)},${exprKey(e.t)},${exprKey(e.e)})`;
    case 'forall': case 'exists': case 'count': return `${e.op} ${e.v}:${sortKey(e.over)}(${exprKey(e.body)})`;
    case 'eq': case 'ne': return `${e.op}(${[exprKey(e.a), exprKey(e.b)].sort().join(',')})`;
    case 'add': return `add(${addends(e).map(exprKey).sort().join(',')})`;
    default: return `${e.op}(${exprKey(e.a)},${exprKey(e.b)})`;
  }
}

/** The operands of a chain of `add`s (a sum over members is written in member order). Example: `addends(add(add(a, b), c))` is `[a, b, c]`. */
export function addends(e: Expr): Expr[] {
  return e.op === 'add' ? [...addends(e.a), ...addends(e.b)] : [e];
}

function sortKey(s: Sort): string {
  return s.kind === 'range' ? `${s.lo}..${s.hi}` : s.kind === 'enum' || s.kind === 'scalarset' ? s.name : s.kind;
}

/**
 * The writes of an action as a key. Writes apply in order, so order matters only where two may
 * hit one cell: when no two can (some index position holds two different literals), the key
 * sorts them, so `wait[R1][self] := …; wait[R2][self] := …` equals its renaming.
 */
function assignsKey(ws: Action['assigns']): string[][] {
  const keys = ws.map((w) => [w.name, ...w.index.map(exprKey), exprKey(w.value)]);
  const distinct = (i: number, j: number) => ws[i].name !== ws[j].name
    || ws[i].index.some((x, k) => { const y = ws[j].index[k]; return x.op === 'lit' && y.op === 'lit' && x.value !== y.value; });
  for (let i = 0; i < ws.length; i++) for (let j = i + 1; j < ws.length; j++) if (!distinct(i, j)) return keys;
  return keys.sort((x, y) => (x.join('\u0000') < y.join('\u0000') ? -1 : 1));
}

/** What an action does, without its name: equal keys mean the same transitions. */
function actionKey(a: Action, rename: (e: Expr) => Expr, values: (s: Sort, vs: number[]) => number[]): string {
  return JSON.stringify([
    a.params.map((p) => [p.name, sortKey(p.sort), p.values ? values(p.sort, p.values).slice().sort((x, y) => x - y) : null]),
    exprKey(rename(a.guard)),
    a.requires.map((r) => [r.id, r.class ?? '', exprKey(rename(r.expr))]),
    assignsKey(a.assigns.map((w) => ({ ...w, index: w.index.map(rename), value: rename(w.value) }))),
    a.threadParam ?? '', [...a.tags].sort(),
  ]);
}

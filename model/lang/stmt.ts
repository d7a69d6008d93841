/**
 * Statements inside one atomic step, with sequential meaning (a later statement sees the
 * writes of an earlier one), and their compilation into the IR's guard, requirements and
 * parallel assignments by substitution.
 */
import type { Assign, Expr, PropertyClass, Requirement, Sort, SourceLoc } from './ir.ts';
import type { PropertyDecl } from '../../properties/catalogue/entry.ts';
import { compatibleSorts, sortName, sortValues, cardinality, inSort, BOOL, INT } from './ir.ts';
import { Ref, ModelError, ex, and, or, not, implies, ite, eq, type ExprLike, TRUE } from './expr.ts';
import { callerLocation } from './source.ts';
import { derefsIn, nullCheck, faultingGuard } from './pointer.ts';

export type Stmt =
  | { k: 'set'; ref: Ref; value: Expr; loc?: SourceLoc }
  | { k: 'guard'; cond: Expr }
  | { k: 'requires'; id: string; message: string; class?: PropertyClass; cond: Expr; loc?: SourceLoc }
  | { k: 'when'; cond: Expr; then: Stmt[]; else: Stmt[] }
  | { k: 'tag'; tag: string };

/** Nested statement lists are flattened, so primitives can return several statements. */
export type StmtLike = Stmt | StmtLike[];

export function flat(xs: StmtLike[]): Stmt[] {
  const out: Stmt[] = [];
  const go = (x: StmtLike) => (Array.isArray(x) ? x.forEach(go) : out.push(x));
  xs.forEach(go);
  return out;
}

/** Assign a location. Example: `set(mm_users, sub(mm_users, 1))`. */
export function set(ref: Ref, value: ExprLike): Stmt {
  const v = ex(value, ref.sort);
  if (!compatibleSorts(ref.sort, v.sort)) {
    throw new ModelError(`cannot assign ${sortName(v.sort)} to ${ref.name} of sort ${sortName(ref.sort)}`);
  }
  return { k: 'set', ref, value: v, loc: callerLocation() };
}

/** Block until `cond` holds (PlusCal's `await`): the step is enabled only when it is true. */
export function guard(cond: ExprLike): Stmt {
  const c = ex(cond);
  if (c.sort.kind !== 'bool') throw new ModelError(`guard needs a bool, got ${sortName(c.sort)}`);
  return { k: 'guard', cond: c };
}

/**
 * A safety condition of the step: taking the step while `cond` is false is a violation of the
 * property. Pass a catalogue entry (with an optional message naming this instance) or a
 * declaration of your own. Examples:
 * `requires(KERNEL.mm.mmgetOnZero, gt(users, 0))`,
 * `requires(KERNEL.mutex.recursive, ne(owner, self), 'mutex_lock(alloc->mutex) by its owner')`,
 * `requires({ id: 'my.rule', message: 'what broke', class: 'warn' }, ok)`,
 * `requires('my.rule', 'what broke', ok)` (class `unsound`, the default of `requires`).
 */
export function requires(p: PropertyDecl, cond: ExprLike, message?: string): Stmt;
export function requires(id: string, message: string, cond: ExprLike): Stmt;
export function requires(p: PropertyDecl | string, a: ExprLike | string, b?: ExprLike | string): Stmt {
  const decl: PropertyDecl = typeof p === 'string' ? { id: p, message: a as string } : { ...p, message: (b as string | undefined) ?? p.message };
  const c = ex((typeof p === 'string' ? b : a) as ExprLike);
  if (c.sort.kind !== 'bool') throw new ModelError(`requires ${decl.id}: condition must be a bool`);
  return { k: 'requires', id: decl.id, message: decl.message, ...(decl.class ? { class: decl.class } : {}), cond: c, loc: callerLocation() };
}

/**
 * Conditional statements inside one step. Example: `when(eq(users, 0), [set(torn_down, true)])`.
 * The condition is read in the state the statements before it leave, for the statements under
 * it: a `when` with none (`when(c, [], [])`, or only `tag`s) does nothing and reads nothing, so
 * an index out of range in its condition is no `bounds` violation. A branch not taken is not
 * evaluated at all: an index it guards against, a literal one included, is no bounds error.
 */
export function when(cond: ExprLike, then: StmtLike[], otherwise: StmtLike[] = []): Stmt {
  const c = ex(cond);
  if (c.sort.kind !== 'bool') throw new ModelError('when: condition must be a bool');
  return { k: 'when', cond: c, then: flat(then), else: flat(otherwise) };
}

/** Mark the step with a tag (e.g. `might_sleep`), recorded on the IR action. */
export function tag(name: string): Stmt {
  return { k: 'tag', tag: name };
}

/** What a step compiles to. */
export interface CompiledStep {
  guard: Expr;
  requires: Requirement[];
  assigns: Assign[];
  tags: string[];
}

interface Write {
  name: string;
  index: Expr[];
  value: Expr;
  /** The array's index sorts, so a read at an index outside them is not served by this write. */
  indexSorts: Sort[];
}

/**
 * Whether a read at index `b` sees a write at index `a`. A read outside a range index sort sees
 * no write (`arr[3] := 0` then a read of `arr[3]` is an out-of-range read, not 0): the check is
 * added where the read index is neither a literal in range nor of exactly the index sort.
 */
function sameIndexExpr(a: Expr[], b: Expr[], sorts: Sort[]): Expr {
  return and(...a.map((x, i) => {
    const s = sorts[i];
    const same = eq(x, b[i]);
    if (!s || s.kind !== 'range' || (isLit(b[i]) ? inSort(s, b[i].value) : sameSort(b[i].sort, s))) return same;
    const lit = (value: number): Expr => ({ op: 'lit', sort: INT, value });
    return and(same, { op: 'ge', sort: BOOL, a: b[i], b: lit(s.lo) }, { op: 'le', sort: BOOL, a: b[i], b: lit(s.hi) });
  }));
}

function sameSort(a: Sort, b: Sort): boolean {
  return a.kind === b.kind && a.kind !== 'int' && sortName(a) === sortName(b) && cardinality(a) === cardinality(b);
}

function isLit(e: Expr): e is Extract<Expr, { op: 'lit' }> {
  return e.op === 'lit';
}

/** Compile a statement list (sequential meaning) into a guard, requirements and parallel writes. */
export function compileStep(stmts: Stmt[]): CompiledStep {
  const writes: Write[] = [];
  const guards: Expr[] = [];
  const reqs: Requirement[] = [];
  const tags: string[] = [];
  // NULL dereferences (pointer.ts): "the step gets this far and the pointer is none", per deref.
  const faults: Expr[] = [];
  const nullChecked = new Set<string>();

  // Rewrite an expression written against the current (post-writes) state into one over the pre-state.
  const subst = (e: Expr): Expr => {
    switch (e.op) {
      case 'lit': case 'param': return e;
      case 'cyclic': {
        if (writes.some((w) => w.name === e.name)) {
          throw new ModelError(`cyclic(${e.name}) read in the same step that writes ${e.name}; split the step`);
        }
        return e;
      }
      case 'var': return readAt(e, e.index.map(subst));
      case 'and': return and(...e.args.map(subst));
      case 'or': return or(...e.args.map(subst));
      case 'not': return not(subst(e.a));
      case 'ite': return ite(subst(e.c), subst(e.t), subst(e.e));
      case 'forall': case 'exists': case 'count': return { ...e, body: subst(e.body) };
      default: return { ...e, a: subst(e.a), b: subst(e.b) };
    }
  };
  // The value of a location at an index already over the pre-state, after the writes so far.
  const readAt = (e: Extract<Expr, { op: 'var' }>, index: Expr[]): Expr => {
    let result: Expr = { ...e, index };
    for (const w of writes) {
      if (w.name !== e.name) continue;
      const same = sameIndexExpr(w.index, index, w.indexSorts);
      if (isLit(same)) {
        if (same.value) result = w.value;
      } else {
        result = ite(same, w.value, result);
      }
    }
    return result;
  };

  // A statement reading through a pointer first checks it (pointer.null-deref), once per condition.
  const checkPointers = (s: Stmt, path: Expr) => {
    const exprs = s.k === 'set' ? [...s.ref.index, s.value] : s.k === 'tag' ? [] : [s.cond];
    for (const d of exprs.flatMap((e) => derefsIn(e))) {
      const c = nullCheck(d);
      const ok = subst(c.cond);
      const expr = simplifyImplies(path, ok);
      const key = JSON.stringify(expr);
      if (nullChecked.has(key)) continue;
      nullChecked.add(key);
      reqs.push({ id: c.id, message: c.message, class: c.class, expr, loc: c.loc });
      faults.push(and(...guards.map(simplifyImpliesExpr), path, not(ok)));
    }
  };

  const run = (list: Stmt[], path: Expr) => {
    for (const s of list) {
      checkPointers(s, path);
      switch (s.k) {
        case 'set': {
          const always = isLit(path) && path.value;
          // Under a `when`, an index is used only when the branch is taken: otherwise it is the
          // sort's first value (writing back the current value), so an index the branch guards
          // against is no bounds error, a literal one included (`when(lt(n, 2), [set(arr.at(2), …)])`
          // in a step never taken with n = 2 is fine). A literal in range and an index of exactly
          // the index sort (a parameter such as `self`, a variable of that sort) are always in
          // range and are left alone.
          const index = s.ref.index.map((orig, k) => {
            const x = subst(orig);
            const isort = s.ref.indexSorts[k];
            if (always || !isort) return x;
            if (isLit(orig) ? inSort(isort, orig.value) : sameSort(x.sort, isort)) return x;
            return ite(path, x, { op: 'lit', sort: isort, value: sortValues(isort)[0] });
          });
          const value = subst(s.value);
          const current = readAt({ op: 'var', sort: s.ref.sort, name: s.ref.name, index: [] }, index);
          const v = always ? value : ite(path, value, current);
          writes.push({ name: s.ref.name, index, value: v, indexSorts: s.ref.indexSorts });
          break;
        }
        case 'guard': guards.push(implies(path, subst(s.cond))); break;
        case 'requires':
          reqs.push({ id: s.id, message: s.message, ...(s.class ? { class: s.class } : {}), expr: simplifyImplies(path, subst(s.cond)), loc: s.loc });
          break;
        case 'when': {
          const c = subst(s.cond);
          run(s.then, and(path, c));
          run(s.else, and(path, not(c)));
          break;
        }
        case 'tag': if (!tags.includes(s.tag)) tags.push(s.tag); break;
      }
    }
  };
  run(stmts, TRUE);
  return {
    guard: faultingGuard(and(...guards.map((g) => simplifyImpliesExpr(g))), faults),
    requires: reqs,
    assigns: writes.map((w) => ({ name: w.name, index: w.index, value: w.value })),
    tags,
  };
}

function simplifyImplies(path: Expr, e: Expr): Expr {
  if (isLit(path) && path.value) return e;
  return implies(path, e);
}
function simplifyImpliesExpr(e: Expr): Expr {
  if (e.op === 'implies' && isLit(e.a)) return e.a.value ? e.b : TRUE;
  return e;
}

/** Every index tuple of a list of finite sorts, row-major. */
export function indexTuples(sorts: Sort[]): number[][] {
  let out: number[][] = [[]];
  for (const s of sorts) out = out.flatMap((t) => sortValues(s).map((v) => [...t, v]));
  return out;
}

export { BOOL, cardinality };

/**
 * Typed expression builders. Each function checks sorts when the model is built and returns
 * IR. Numbers are integer literals, booleans are bool literals, and a string is an enumeration
 * value resolved against the sort of the other operand (`eq(pc.at(self), 'done')`).
 */
import {
  BOOL, INT, type Expr, type Sort, type BinOp, compatibleSorts, sortName, cardinality, inSort, showValue,
} from './ir.ts';

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

/**
 * A location: a scalar variable (`m.var(...)` returns a `Var`, which is a `Ref`) or one array
 * cell (`held.at(self)`). Read it anywhere an expression goes, and write it with `set`; the
 * primitives take `Ref`s for results (`{ ok: got.at(self) }`).
 *
 * @example
 * const users = m.var('mm_users', range(0, 3), 1); // a Var: a Ref to the scalar
 * const got = m.local('got', bool, false);         // got.at(self): a Ref to this thread's cell
 * step('get', set(users, add(users, 1)), set(got.at(self), true));
 */
export class Ref {
  /** `indexSorts`: the array's index sorts (set by `Var.at`), so a conditional write can keep its index in range. */
  constructor(readonly name: string, readonly sort: Sort, readonly index: Expr[], readonly indexSorts: Sort[] = []) {}
  /** The IR read of this location. */
  get e(): Expr {
    return { op: 'var', sort: this.sort, name: this.name, index: this.index };
  }
}

/**
 * What every builder takes as an operand: an `Expr` (the IR a builder returns: `eq(x, 1)`,
 * `add(users, 1)`, a parameter such as `self`), a `Ref` (read at its current value), a number
 * (an integer literal), a boolean, or a string naming a value of the other operand's sort
 * (`eq(state.at(p), 'freed')`, `set(owner, 'none')`).
 *
 * @example
 * eq(pc.at(self), 'done'); and(got.at(self), not(freed)); set(users, sub(users, 1));
 */
export type ExprLike = Expr | Ref | number | boolean | string;

function isExpr(x: unknown): x is Expr {
  return typeof x === 'object' && x !== null && 'op' in x;
}

/** Lower an ExprLike to IR; `hint` resolves enumeration names given as strings. */
export function ex(x: ExprLike, hint?: Sort): Expr {
  if (x instanceof Ref) return x.e;
  if (isExpr(x)) return x;
  if (typeof x === 'number') {
    if (!Number.isInteger(x)) throw new ModelError(`literal ${x} is not an integer`);
    if (hint && (hint.kind === 'enum' || hint.kind === 'scalarset')) {
      if (!inSort(hint, x)) throw new ModelError(`${x} is not a value of ${sortName(hint)}`);
      return { op: 'lit', sort: hint, value: x };
    }
    return { op: 'lit', sort: INT, value: x };
  }
  if (typeof x === 'boolean') return { op: 'lit', sort: BOOL, value: x ? 1 : 0 };
  if (typeof x === 'string') {
    if (!hint) throw new ModelError(`cannot tell the sort of '${x}': compare it with a typed expression`);
    for (let v = 0; hint.kind === 'enum' || hint.kind === 'scalarset' ? v < cardinality(hint) : false; v++) {
      if (showValue(hint, v) === x) return { op: 'lit', sort: hint, value: v };
    }
    throw new ModelError(`'${x}' is not a value of ${sortName(hint)}`);
  }
  throw new ModelError(`not an expression: ${String(x)}`);
}

function sortOfLike(x: ExprLike): Sort | undefined {
  if (x instanceof Ref) return x.sort;
  if (isExpr(x)) return x.sort;
  if (typeof x === 'boolean') return BOOL;
  if (typeof x === 'number') return INT;
  return undefined;
}

/** Lower two operands, resolving a string or number on one side against the other's sort. */
function pair(a: ExprLike, b: ExprLike, what: string): [Expr, Expr] {
  const sa = sortOfLike(a), sb = sortOfLike(b);
  const ea = ex(a, sb);
  const eb = ex(b, sa ?? ea.sort);
  if (!compatibleSorts(ea.sort, eb.sort)) {
    throw new ModelError(`${what}: cannot compare ${sortName(ea.sort)} with ${sortName(eb.sort)}`);
  }
  return [ea, eb];
}

function numeric(e: Expr, what: string): Expr {
  if (e.sort.kind !== 'range' && e.sort.kind !== 'int') {
    throw new ModelError(`${what} needs a number, got ${sortName(e.sort)}`);
  }
  return e;
}

function boolean(x: ExprLike, what: string): Expr {
  const e = ex(x);
  if (e.sort.kind !== 'bool') throw new ModelError(`${what} needs a bool, got ${sortName(e.sort)}`);
  return e;
}

function bin(op: BinOp, sort: Sort, a: Expr, b: Expr): Expr {
  return { op, sort, a, b };
}

/** `a + b` (integers). Example: `set(users, add(users, 1))`. */
export function add(a: ExprLike, b: ExprLike): Expr {
  return bin('add', INT, numeric(ex(a), '+'), numeric(ex(b), '+'));
}
/** `a - b` (integers). */
export function sub(a: ExprLike, b: ExprLike): Expr {
  return bin('sub', INT, numeric(ex(a), '-'), numeric(ex(b), '-'));
}
/** `a == b` for any two compatible sorts. Example: `eq(pc.at(self), 'done')`. */
export function eq(a: ExprLike, b: ExprLike): Expr {
  const [x, y] = pair(a, b, '==');
  return bin('eq', BOOL, x, y);
}
/** `a != b`. */
export function ne(a: ExprLike, b: ExprLike): Expr {
  const [x, y] = pair(a, b, '!=');
  return bin('ne', BOOL, x, y);
}
function cmp(op: 'lt' | 'le' | 'gt' | 'ge', sym: string) {
  return (a: ExprLike, b: ExprLike): Expr => bin(op, BOOL, numeric(ex(a), sym), numeric(ex(b), sym));
}
/** `a < b`. */
export const lt = cmp('lt', '<');
/** `a <= b`. */
export const le = cmp('le', '<=');
/** `a > b`. */
export const gt = cmp('gt', '>');
/** `a >= b`. */
export const ge = cmp('ge', '>=');

/**
 * Whether evaluating `e` can never fail: it reads no variable. An array read may be out of
 * range, and inside a step even a scalar read may not be computable (`set(b, arr.at(3))` then
 * `or(b, true)` reads `arr[3]`), so only such an operand may be folded away unevaluated.
 * Example: `cannotFail(add(1, 2))` is true, `cannotFail(gt(x, 0))` false.
 */
export function cannotFail(e: Expr): boolean {
  switch (e.op) {
    case 'lit': case 'param': case 'cyclic': return true;
    case 'var': return false;
    case 'and': case 'or': return e.args.every(cannotFail);
    case 'not': return cannotFail(e.a);
    case 'ite': return cannotFail(e.c) && cannotFail(e.t) && cannotFail(e.e);
    case 'forall': case 'exists': case 'count': return cannotFail(e.body);
    default: return cannotFail(e.a) && cannotFail(e.b);
  }
}

/**
 * An `and`/`or` with literal operands folded the way left-to-right evaluation reads it: a
 * neutral literal is skipped; an absorbing one ends the evaluation, so what follows it is
 * dropped, and what precedes it is dropped only when none of it can fail (`and(arr.at(i), false)`
 * still reads `arr[i]`, and reports an index out of range, before it is false; in a step,
 * compileStep folds again once reads are over the pre-state).
 */
function junction(op: 'and' | 'or', args: ExprLike[]): Expr {
  const absorbing = op === 'and' ? 0 : 1;
  const es: Expr[] = [];
  for (const e of args.map((a) => boolean(a, op))) {
    if (e.op !== 'lit') { es.push(e); continue; }
    if (e.value !== absorbing) continue;
    if (es.every(cannotFail)) return e.value ? TRUE : FALSE;
    return { op, sort: BOOL, args: [...es, e.value ? TRUE : FALSE] };
  }
  if (es.length === 0) return op === 'and' ? TRUE : FALSE;
  if (es.length === 1) return es[0];
  return { op, sort: BOOL, args: es };
}

/**
 * Conjunction, evaluated left to right until an operand is false; `and()` is true.
 * Example: `and(gt(users, 0), not(freed))`.
 */
export function and(...args: ExprLike[]): Expr {
  return junction('and', args);
}
/** Disjunction, evaluated left to right until an operand is true; `or()` is false. */
export function or(...args: ExprLike[]): Expr {
  return junction('or', args);
}
/** Negation. */
export function not(a: ExprLike): Expr {
  const e = boolean(a, 'not');
  if (e.op === 'lit') return e.value ? FALSE : TRUE;
  if (e.op === 'not') return e.a;
  return { op: 'not', sort: BOOL, a: e };
}
/** `a => b`. */
export function implies(a: ExprLike, b: ExprLike): Expr {
  return bin('implies', BOOL, boolean(a, 'implies'), boolean(b, 'implies'));
}
/** `if c then t else e`; both branches of compatible sorts. */
export function ite(c: ExprLike, t: ExprLike, e: ExprLike): Expr {
  const cond = boolean(c, 'ite');
  const [x, y] = pair(t, e, 'ite');
  if (cond.op === 'lit') return cond.value ? x : y;
  return { op: 'ite', sort: joinSort(x.sort, y.sort), c: cond, t: x, e: y };
}

/** The sort holding values of both: int for numbers, the option sort for a sort and its option. */
export function joinSort(a: Sort, b: Sort): Sort {
  if (a.kind === 'bool') return BOOL;
  if (a.kind === 'range' || a.kind === 'int') return INT;
  return cardinality(a) >= cardinality(b) ? a : b;
}

let boundCounter = 0;
function quant(op: 'forall' | 'exists' | 'count', over: Sort, body: (v: Expr) => ExprLike): Expr {
  cardinality(over); // throws for int
  const v = `$${op[0]}${++boundCounter}`;
  const param: Expr = { op: 'param', sort: over, name: v };
  const b = boolean(body(param), op);
  return { op, sort: op === 'count' ? INT : BOOL, v, over, body: b };
}
/** For every value `x` of a finite sort. Example: `forall(Thread, t => not(holds.at(t)))`. */
export const forall = (over: Sort, body: (v: Expr) => ExprLike) => quant('forall', over, body);
/** For some value of a finite sort. */
export const exists = (over: Sort, body: (v: Expr) => ExprLike) => quant('exists', over, body);
/** How many values of a finite sort satisfy the body (an integer). */
export const count = (over: Sort, body: (v: Expr) => ExprLike) => quant('count', over, body);

export const TRUE: Expr = { op: 'lit', sort: BOOL, value: 1 };
export const FALSE: Expr = { op: 'lit', sort: BOOL, value: 0 };

/** A literal of an enumeration or scalarset by name: `lit(State, 'Locked')`. */
export function lit(sort: Sort, value: string | number | boolean): Expr {
  return ex(value, sort);
}

export { sortOfLike };

/**
 * Parameters of a free-standing action (`m.action`): `param(name, sort)` is both the
 * declaration (put it in the action's `params`) and the expression its body reads. The checker
 * takes the action once per value of every parameter.
 *
 * @example
 * const Node = enumeration('Node', ['n1', 'n2']);
 * const freed = m.var('freed', bool, false, [Node]);
 * const node = param('node', Node);
 * m.action('kfree', { params: [node], body: [guard(not(freed.at(node))), set(freed.at(node), true)] });
 */
import type { Action, Expr, Param, Sort } from './ir.ts';
import { cardinality, inSort, sortName } from './ir.ts';
import { ModelError } from './expr.ts';

/** A parameter read as an expression; also a `Param`, so it goes straight into `params`. */
export type ParamExpr = Extract<Expr, { op: 'param' }> & Param;

/**
 * Declare an action parameter ranging over a finite sort (or only over `values`, codes of the
 * sort). Example: `const node = param('node', Node); m.action('kfree', { params: [node], body: [set(freed.at(node), true)] })`.
 */
export function param(name: string, sort: Sort, values?: number[]): ParamExpr {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ModelError(`bad parameter name '${name}': use letters, digits and '_', starting with a letter or '_'`);
  }
  cardinality(sort); // throws for int
  const bad = values?.find((v) => !inSort(sort, v));
  if (bad !== undefined) throw new ModelError(`param ${name}: ${bad} is not a value of ${sortName(sort)}`);
  return { op: 'param', sort, name, ...(values ? { values } : {}) };
}

/** The IR form of declared parameters: name, sort and values only. */
export function irParams(params: Param[]): Param[] {
  return params.map((p) => ({ name: p.name, sort: p.sort, ...(p.values ? { values: p.values } : {}) }));
}

/**
 * Parameter names an expression reads (bound quantifier variables excluded), with their sorts.
 * Compiled steps share subexpressions (a write's value is read by later statements), so each node
 * is visited once per quantifier scope (`seen`): a plain tree walk is exponential in a step's length.
 */
function paramsIn(e: Expr, bound: Set<string>, out: Map<string, Sort>, seen: WeakSet<Expr>): void {
  if (seen.has(e)) return;
  seen.add(e);
  const walk = (x: Expr) => paramsIn(x, bound, out, seen);
  switch (e.op) {
    case 'lit': case 'cyclic': return;
    case 'param': if (!bound.has(e.name)) out.set(e.name, e.sort); return;
    case 'var': e.index.forEach(walk); return;
    case 'and': case 'or': e.args.forEach(walk); return;
    case 'not': walk(e.a); return;
    case 'ite': walk(e.c); walk(e.t); walk(e.e); return;
    case 'forall': case 'exists': case 'count': paramsIn(e.body, new Set(bound).add(e.v), out, new WeakSet()); return;
    default: walk(e.a); walk(e.b);
  }
}

/** Every parameter an action reads must be one it declares, of the same sort. */
export function checkParams(a: Omit<Action, 'name'> & { name: string }): void {
  const used = new Map<string, Sort>();
  const bound = new Set<string>();
  const seen = new WeakSet<Expr>();
  const walk = (x: Expr) => paramsIn(x, bound, used, seen);
  walk(a.guard);
  a.requires.forEach((r) => walk(r.expr));
  a.assigns.forEach((w) => { w.index.forEach(walk); walk(w.value); });
  for (const [name, sort] of used) {
    const p = a.params.find((x) => x.name === name);
    if (!p) throw new ModelError(`action ${a.name} reads parameter '${name}' but does not declare it: add it to params (params: [${name}])`);
    if (sortName(p.sort) !== sortName(sort)) throw new ModelError(`action ${a.name}: parameter '${name}' is declared ${sortName(p.sort)} but read as ${sortName(sort)}`);
  }
}

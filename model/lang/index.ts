/**
 * protocheck's model language. A model file imports from here, builds a model and exports it.
 *
 * @example
 * import { model, range, step, guard, set, add, lt, eq } from 'protocheck';
 * const m = model('counter');
 * m.threads(['T1']);
 * const x = m.var('x', range(0, 2), 0);
 * m.program('inc', ['T1'], () => [step('inc', set(x, add(x, 1)))]);
 * export default m.build();
 */
export * from './ir.ts';
export * from './expr.ts';
export * from './stmt.ts';
export * from './process.ts';
export * from './builder.ts';
export { callerLocation, formatLoc } from './source.ts';
export * from './define.ts';
export { deref } from './pointer.ts';
export { param, type ParamExpr } from './param.ts';
export { tiesOf, TiedSort, checkSymmetry } from './symmetry.ts';

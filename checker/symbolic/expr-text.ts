/**
 * IR expressions as text in the model's vocabulary: variables by name, array cells by their
 * index values (`pc[T1]`), enumeration values by label, Bool cells bare (`mm_freed`, `!mm_freed`).
 *
 * @example
 * exprText({ op: 'eq', sort: BOOL, a: pcOfT1, b: lit }); // 'pc[T1] = install_pages'
 */
import type { Expr } from '../../model/lang/ir.ts';
import { showValue } from '../../model/lang/ir.ts';

const INFIX: Record<string, string> = {
  eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', add: '+', sub: '-', implies: '→',
};

/** Text of an expression; `top` drops the outer parentheses. */
export function exprText(e: Expr, top = true): string {
  const wrap = (s: string) => (top ? s : `(${s})`);
  switch (e.op) {
    case 'lit': return e.sort.kind === 'int' ? String(e.value) : String(showValue(e.sort, e.value));
    case 'param': return e.name;
    case 'var': return e.index.length ? `${e.name}[${e.index.map((i) => exprText(i)).join(', ')}]` : e.name;
    case 'not': return `!${exprText(e.a, false)}`;
    case 'and': return wrap(e.args.map((a) => exprText(a, false)).join(' ∧ '));
    case 'or': return wrap(e.args.map((a) => exprText(a, false)).join(' ∨ '));
    case 'ite': return e.t.op === 'lit' && e.e.op === 'lit' && e.t.value === 1 && e.e.value === 0 && e.sort.kind === 'int'
      ? exprText(e.c, false)
      : wrap(`${exprText(e.c, false)} ? ${exprText(e.t, false)} : ${exprText(e.e, false)}`);
    case 'add': case 'sub': return wrap(`${exprText(e.a, e.a.op === 'add')} ${INFIX[e.op]} ${exprText(e.b, false)}`);
    case 'forall': case 'exists': case 'count': return `${e.op} ${e.v}. ${exprText(e.body, false)}`;
    case 'cyclic': return `cyclic(${e.name})`;
    default: return wrap(`${exprText(e.a, false)} ${INFIX[e.op]} ${exprText(e.b, false)}`);
  }
}

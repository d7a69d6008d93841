/**
 * Spacer's answer, read back: `(define-fun Inv ((x!0 Bool) (x!1 Int) …) Bool body)` from
 * `(get-model)` becomes IR expressions over the model's cells (argument i is `args[i]` of the
 * Horn system: a cell, or one bit of a one-hot cell, `cell = value`), one per top-level conjunct.
 * Negations are pushed into comparisons, so `(not (<= x!3 1))` reads `mm_users > 1`.
 *
 * @example
 * const conj = readSpacerInvariant(model, horn.args, output); // Expr[] | undefined
 */
import type { Expr, Model } from '../../model/lang/ir.ts';
import { BOOL, INT } from '../../model/lang/ir.ts';
import type { InvArg } from './chc.ts';
import { INV } from './chc.ts';
import { modelCells, litOf } from './cells.ts';

type SExp = string | SExp[];

/** S-expressions of SMT-LIB text (symbols and numerals as strings). */
export function parseSexps(text: string): SExp[] {
  const toks = text.match(/\(|\)|\|[^|]*\||[^\s()]+/g) ?? [];
  let i = 0;
  const one = (): SExp => {
    const t = toks[i++];
    if (t !== '(') return t;
    const list: SExp[] = [];
    while (i < toks.length && toks[i] !== ')') list.push(one());
    i++;
    return list;
  };
  const out: SExp[] = [];
  while (i < toks.length) out.push(one());
  return out;
}

class Unreadable extends Error {}

/** The invariant's conjuncts, or undefined when the output holds no `Inv` or uses operators outside linear integer arithmetic. */
export function readSpacerInvariant(model: Model, args: InvArg[], output: string): Expr[] | undefined {
  const def = findDefine(parseSexps(output));
  if (!def) return undefined;
  const params = (def[2] as SExp[]).map((p) => (p as SExp[])[0] as string);
  const cells = modelCells(model);
  const cellOf = (a: InvArg) => cells.find((c) => c.decl === a.decl && c.cell === a.cell)!;
  const env = new Map<string, Expr>();
  params.forEach((p, i) => {
    const a = args[i];
    const c = cellOf(a);
    env.set(p, a.value === undefined ? c.read : { op: 'eq', sort: BOOL, a: c.read, b: litOf(c.decl.sort, a.value) });
  });
  try {
    const body = toExpr(def[4], env);
    const conj = body.op === 'and' ? body.args : [body];
    return conj.filter((e) => !(e.op === 'lit' && e.value === 1));
  } catch (err) {
    if (err instanceof Unreadable) return undefined;
    throw err;
  }
}

function findDefine(xs: SExp[]): SExp[] | undefined {
  for (const x of xs) {
    if (!Array.isArray(x)) continue;
    if (x[0] === 'define-fun' && x[1] === INV) return x;
    const inner = findDefine(x);
    if (inner) return inner;
  }
  return undefined;
}

const CMP: Record<string, 'le' | 'ge' | 'lt' | 'gt'> = { '<=': 'le', '>=': 'ge', '<': 'lt', '>': 'gt' };
const NEG: Record<string, 'le' | 'ge' | 'lt' | 'gt' | 'eq' | 'ne'> = { le: 'gt', ge: 'lt', lt: 'ge', gt: 'le', eq: 'ne', ne: 'eq' };

function not(e: Expr): Expr {
  if (e.op === 'lit') return litOf(BOOL, e.value ? 0 : 1);
  if (e.op === 'not') return e.a;
  if (e.op in NEG && 'b' in e) return { ...e, op: NEG[e.op] } as Expr;
  if (e.op === 'and' || e.op === 'or') return { op: e.op === 'and' ? 'or' : 'and', sort: BOOL, args: e.args.map(not) };
  return { op: 'not', sort: BOOL, a: e };
}

function toExpr(x: SExp, env: Map<string, Expr>): Expr {
  if (typeof x === 'string') {
    if (x === 'true' || x === 'false') return litOf(BOOL, x === 'true' ? 1 : 0);
    if (/^\d+$/.test(x)) return litOf(INT, Number(x));
    const v = env.get(x);
    if (!v) throw new Unreadable(x);
    return v;
  }
  const [head, ...rest] = x;
  const go = (y: SExp) => toExpr(y, env);
  switch (head) {
    case 'let': {
      const inner = new Map(env);
      for (const b of rest[0] as SExp[]) inner.set((b as SExp[])[0] as string, go((b as SExp[])[1]));
      return toExpr(rest[1], inner);
    }
    case 'and': case 'or': {
      const args = rest.map(go).flatMap((a) => (a.op === head ? (a as { args: Expr[] }).args : [a]));
      return { op: head, sort: BOOL, args };
    }
    case 'not': return not(go(rest[0]));
    case '=>': return { op: 'implies', sort: BOOL, a: go(rest[0]), b: go(rest[1]) };
    case 'ite': {
      const t = go(rest[1]);
      return { op: 'ite', sort: t.sort, c: go(rest[0]), t, e: go(rest[2]) };
    }
    case '=': return { op: 'eq', sort: BOOL, a: go(rest[0]), b: go(rest[1]) };
    case '<=': case '>=': case '<': case '>': return { op: CMP[head], sort: BOOL, a: go(rest[0]), b: go(rest[1]) };
    // a + (0 - b) reads a - b.
    case '+': return rest.map(go).reduce((a, b) => (b.op === 'sub' && b.a.op === 'lit' && b.a.value === 0
      ? { op: 'sub', sort: INT, a, b: b.b } : { op: 'add', sort: INT, a, b }));
    case '-': {
      if (rest.length === 1) {
        const a = go(rest[0]);
        return a.op === 'lit' ? litOf(INT, -a.value) : { op: 'sub', sort: INT, a: litOf(INT, 0), b: a };
      }
      return rest.map(go).reduce((a, b) => ({ op: 'sub', sort: INT, a, b }));
    }
    case '*': {
      const [k, t] = rest.map(go);
      if (k.op !== 'lit' || Math.abs(k.value) > 64) throw new Unreadable('*');
      let sum: Expr = litOf(INT, 0);
      for (let i = 0; i < Math.abs(k.value); i++) sum = i === 0 ? t : { op: 'add', sort: INT, a: sum, b: t };
      return k.value < 0 ? { op: 'sub', sort: INT, a: litOf(INT, 0), b: sum } : sum;
    }
    default: throw new Unreadable(String(head));
  }
}

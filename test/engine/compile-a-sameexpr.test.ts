/**
 * checker/compile.ts's `sameExpr` (through writeCode's fast path for a write `x = ite(C, v, cur)`,
 * which writes only when C holds if `cur` is structurally x's current value): when the else
 * branch differs from the current value in one feature only (a literal, a variable's name or
 * index, a parameter, and/or/not/ite/quantifier/cyclic parts, arity), the compiled engine must
 * still write the else value, as the interpreter does, on every reachable state.
 */
import { describe, expect, it } from 'vitest';
import type { Expr, Model } from '../../model/lang/ir.ts';
import { model, range, bool, set, guard, eq, lt, add, and, or, not, ite, TRUE } from '../../model/lang/index.ts';
import { cyclic } from '../../model/lang/builder.ts';
import { compileModel } from '../../checker/compile.ts';
import { walkAgreement } from './helpers.ts';

const I = range(0, 1);
const BOOL = { kind: 'bool' } as Expr['sort'];
const P = (name: string, sort: Expr['sort']): Expr => ({ op: 'param', sort, name }) as Expr;
const quant = (op: 'exists' | 'forall' | 'count', v: string, over: Expr['sort'], body: Expr): Expr =>
  ({ op, sort: op === 'count' ? { kind: 'int' } : BOOL, v, over, body }) as Expr;

type H = Record<string, { at(...i: unknown[]): Expr } & Expr>;
/** name, variables the model changes, target (t: 0..3, bt: bool, a0: a[0], h00: h[0][0]), prior write, else value, action params. */
type Case = [name: string, toggles: string[], target: string, prior: ((h: H) => Expr) | undefined, other: (h: H) => Expr, params?: string[]];

function caseModel([name, toggles, target, prior, other, params]: Case): Model {
  const m = model(`same-${name}`);
  const h = {
    c: m.var('c', bool, false), b1: m.var('b1', bool, false), b2: m.var('b2', bool, false), b3: m.var('b3', bool, false),
    t: m.var('t', range(0, 3), 0), u: m.var('u', range(0, 3), 2), bt: m.var('bt', bool, false),
    a: m.var('a', range(0, 3), 0, [I]), h: m.var('h', range(0, 3), 0, [I, I]),
    g: m.var('g', bool, false, [I, I]), g2: m.var('g2', bool, false, [I, I]),
  } as unknown as H;
  for (const t of ['c', ...toggles]) {
    if (t === 'a1') m.action('t_a1', { body: [guard(lt(h.a.at(1), 3)), set(h.a.at(1) as never, add(h.a.at(1), 1))] });
    else if (t === 'h01') m.action('t_h01', { body: [guard(lt(h.h.at(0, 1), 3)), set(h.h.at(0, 1) as never, add(h.h.at(0, 1), 1))] });
    else if (t === 'g') m.action('t_g', { params: [{ name: 'i', sort: I }], body: [set(h.g.at(P('i', I), 0) as never, not(h.g.at(P('i', I), 0)))] });
    else m.action(`t_${t}`, { body: [set(h[t] as never, not(h[t]))] });
  }
  const tgt = target === 'a0' ? h.a.at(0) : target === 'h00' ? h.h.at(0, 0) : h[target];
  const one = target === 'bt' ? TRUE : 1;
  m.action('w', {
    params: (params ?? []).map((n) => ({ name: n, sort: I })),
    body: [...(prior ? [set(tgt as never, prior(h))] : []), set(tgt as never, ite(h.c, one, other(h)))],
  });
  m.noDeadlockCheck();
  return m.build();
}

function compareAll(m: Model): number {
  return walkAgreement(m, compileModel(m))[0];
}

const cases: Case[] = [
  ['lit', [], 't', () => ex(2), () => ex(3)],
  ['var-name', [], 't', undefined, (h) => h.u],
  ['var-index', ['a1'], 'a0', undefined, (h) => h.a.at(1)],
  ['var-2d-index', ['h01'], 'h00', undefined, (h) => h.h.at(0, 1)],
  ['param', [], 't', () => P('i', I), () => P('j', I), ['i', 'j']],
  ['and', ['b1', 'b2', 'b3'], 'bt', (h) => and(h.b1, h.b2), (h) => and(h.b1, h.b3)],
  ['and-longer', ['b1', 'b2', 'b3'], 'bt', (h) => and(h.b1, h.b2), (h) => and(h.b1, h.b2, h.b3)],
  ['and-shorter', ['b1', 'b2', 'b3'], 'bt', (h) => and(h.b1, h.b2, h.b3), (h) => and(h.b1, h.b2)],
  ['or', ['b1', 'b2', 'b3'], 'bt', (h) => or(h.b1, h.b2), (h) => or(h.b1, h.b3)],
  ['not', ['b1', 'b2'], 'bt', (h) => not(h.b1), (h) => not(h.b2)],
  ['ite-c', ['b1', 'b2', 'b3'], 'bt', (h) => ite(h.b1, h.b2, h.b3), (h) => ite(h.b2, h.b2, h.b3)],
  ['ite-t', ['b1', 'b2', 'b3'], 'bt', (h) => ite(h.b1, h.b2, h.b3), (h) => ite(h.b1, h.b3, h.b3)],
  ['ite-e', ['b1', 'b2', 'b3'], 'bt', (h) => ite(h.b1, h.b2, h.b3), (h) => ite(h.b1, h.b2, h.b2)],
  ['exists-body', ['g'], 'bt', (h) => quant('exists', '$a', I, eq(h.g.at(P('$a', I), 0), true)), (h) => quant('exists', '$a', I, eq(h.g.at(P('$a', I), 0), false))],
  ['forall-body', ['g'], 'bt', (h) => quant('forall', '$a', I, eq(h.g.at(P('$a', I), 0), true)), (h) => quant('forall', '$a', I, eq(h.g.at(P('$a', I), 0), false))],
  ['count-body', ['g'], 't', (h) => quant('count', '$a', I, eq(h.g.at(P('$a', I), 0), true)), (h) => quant('count', '$a', I, eq(h.g.at(P('$a', I), 0), false))],
  ['quant-v', [], 'bt', () => quant('exists', '$a', I, eq(P('$b', I), 1)), () => quant('exists', '$b', I, eq(P('$b', I), 1)), ['$b']],
  ['quant-over', [], 'bt', () => quant('exists', '$a', I, eq(P('$a', range(0, 2)), 2)), () => quant('exists', '$a', range(0, 2), eq(P('$a', range(0, 2)), 2))],
  ['cyclic', ['g'], 'bt', (h) => cyclic(h.g as never), (h) => cyclic(h.g2 as never)],
  ['cyclic-same', ['g'], 't', (h) => ite(cyclic(h.g as never), 2, 3), (h) => ite(cyclic(h.g as never), 2, 3)],
];
function ex(n: number): Expr { return { op: 'lit', sort: { kind: 'int' }, value: n } as Expr; }

describe('an else branch that is not the current value is written', () => {
  for (const c of cases) {
    it(c[0], () => {
      expect(compareAll(caseModel(c))).toBeGreaterThan(1);
    });
  }
});

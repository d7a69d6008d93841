/**
 * Helpers for the symbolic tests: evaluate encoded terms in Z3 at a concrete state, so the
 * Z3 encoding can be compared with the interpreter value by value.
 */
import type { Model } from '../../model/lang/ir.ts';
import { cellCount } from '../../model/lang/ir.ts';
import type { State } from '../../checker/interpreter.ts';
import { Encoder, asserts, type StateTerms } from '../../checker/symbolic/encode.ts';
import * as S from '../../checker/symbolic/smt.ts';
import { openSolver, type Solver } from '../../checker/symbolic/z3.ts';

/** A solver holding one state copy (`tag`) of a model, for evaluating terms at given states. */
export class StateProbe {
  private n = 0;
  readonly st: StateTerms;
  private constructor(readonly enc: Encoder, private solver: Solver, private tag: string) {
    this.st = enc.state(tag);
  }

  /** `minWidth` for expressions that are not part of the model (their values may be larger). */
  static async open(model: Model, minWidth = 0, tag = 's'): Promise<StateProbe> {
    const enc = new Encoder(model, 't', minWidth);
    const p = new StateProbe(enc, await openSolver('QF_BV'), tag);
    await p.solver.add(enc.declareState(tag));
    return p;
  }

  /** Terms (built with `this.enc` over `this.st`) evaluated at state `s`: numbers (Bool as 0/1). */
  async values(s: State, terms: S.Term[]): Promise<number[]> {
    const enc = this.enc;
    const fix: S.Term[] = [];
    for (const v of enc.model.vars) {
      for (let c = 0; c < cellCount(v); c++) {
        fix.push(S.eq(this.st(v.name, c), v.sort.kind === 'bool' ? S.bool(s[v.name][c] !== 0) : enc.num(s[v.name][c])));
      }
    }
    const names = terms.map((t) => ({ name: `$r${++this.n}`, sort: t.b ? ('Bool' as const) : enc.w, b: t.b }));
    const text = [
      enc.take(),
      ...names.map((n) => `(declare-const ${n.name} ${n.b ? 'Bool' : enc.intSort})`),
      asserts(fix),
      asserts(terms.map((t, i) => S.eq(S.sym(names[i].name, t.b, enc.w), t))),
    ].join('\n');
    const r = await this.solver.query(text, 0, names.map((n) => ({ name: n.name, sort: n.sort })));
    if (r.result !== 'sat') throw new Error(`probe query was ${r.result}`);
    return r.values!.map((v, i) => (names[i].b ? (v === 'true' ? 1 : 0) : S.signed(BigInt(v), enc.w)));
  }

  async close(): Promise<void> {
    await this.solver.free();
  }
}

/** Every cell of every variable set to a value chosen by `pick(numberOfValues)`. */
export function randomState(model: Model, pick: (n: number) => number): State {
  const s: State = {};
  for (const v of model.vars) {
    const lo = v.sort.kind === 'range' ? v.sort.lo : 0;
    const n = v.sort.kind === 'range' ? v.sort.hi - v.sort.lo + 1 : v.sort.kind === 'bool' ? 2
      : v.sort.kind === 'enum' ? v.sort.values.length : v.sort.kind === 'scalarset' ? v.sort.size : 1;
    s[v.name] = Array.from({ length: cellCount(v) }, () => lo + pick(n));
  }
  return s;
}

/**
 * A model's transition system as constrained Horn clauses (SMT-LIB, `(set-logic HORN)`), for
 * Z3's Spacer engine (IC3/PDR). The clauses are built from the same IR encoding BMC and
 * k-induction use (`Encoder`), in mathematical integers by default:
 *
 *     Init(s)                                   → Inv(s)
 *     Inv(s) ∧ good_j(s) ∧ s' = post_j(s)        → Inv(s')      one clause per action instance j
 *     Inv(s) ∧ bad(s)                            → false        one clause per way of being bad
 *
 * where a state is bad when it breaks an invariant, quiescence or deadlock, or when an enabled
 * step from it violates a requirement or leaves a sort (exactly what BMC reports). `sat` means
 * the clauses have a model: an interpretation of `Inv` that is an inductive invariant.
 *
 * @example
 * const h = hornClauses(model, { query: 'safety' });
 * const out = await runScript(h.text + '\n(check-sat)\n(get-model)', 0);
 */
import type { Expr, Model, VarDecl } from '../../model/lang/ir.ts';
import { cellCount, sortValues } from '../../model/lang/ir.ts';
import { Encoder, type Definition, type StateTerms } from './encode.ts';
import * as S from './smt.ts';
import type { Term } from './smt.ts';

/**
 * One argument of the predicate `Inv`: a cell of a variable (`value` undefined: the cell's value,
 * Bool or integer), or one bit of a one-hot cell (true iff the cell holds `value`).
 */
export interface InvArg {
  decl: VarDecl;
  cell: number;
  value?: number;
  /** The SMT-LIB sort of the argument. */
  sort: string;
  /** The bound variable's name in the clauses. */
  name: string;
}

export interface HornSystem {
  /** Declarations and clauses (no `check-sat`). */
  text: string;
  /** `Inv`'s arguments in order: Spacer's `x!i` is `args[i]`. */
  args: InvArg[];
}

/**
 * How cells become `Inv`'s arguments: `int` one integer per cell; `enums` one-hot Booleans for
 * enumerations and scalarsets (program counters, thread ids), integers for ranges; `all` one-hot
 * Booleans for every non-Bool cell. One-hot cells turn the disjunctive control-state lemmas a
 * protocol needs ("pc[T1] is one of these") into plain clauses, which Spacer finds readily.
 */
export type CellEncoding = 'int' | 'enums' | 'all';

export interface HornOptions {
  /** `safety`: every property; `{ cover: i }`: the query is "cover property i holds". */
  query: 'safety' | { cover: number };
  /** Integer encoding: `int` (default, linear arithmetic) or `bv` (bit-vectors, as BMC). */
  arith?: 'int' | 'bv';
  /** Default `enums`. */
  cells?: CellEncoding;
  /**
   * Facts already proved to hold in every reachable state (an inductive invariant of the model):
   * conjoined to every pre-state, so Spacer only has to find what they do not already say.
   */
  background?: Expr[];
}

/** The predicate's name. */
export const INV = 'Inv';

function oneHot(v: VarDecl, cells: CellEncoding): boolean {
  if (v.sort.kind === 'bool' || cells === 'int') return false;
  return cells === 'all' || v.sort.kind === 'enum' || v.sort.kind === 'scalarset';
}

/** The Horn clauses of a model (see the file comment). */
export function hornClauses(model: Model, opts: HornOptions): HornSystem {
  const enc = new Encoder(model, 'h', 0, opts.arith ?? 'int');
  const cells = opts.cells ?? 'enums';
  const args: InvArg[] = [];
  for (const v of model.vars) {
    for (let c = 0; c < cellCount(v); c++) {
      const base = enc.cellName(v.name, c, '');
      if (oneHot(v, cells)) {
        for (const x of sortValues(v.sort)) args.push({ decl: v, cell: c, value: x, sort: 'Bool', name: `${base.slice(0, -1)}=${x}` });
      } else {
        args.push({ decl: v, cell: c, sort: v.sort.kind === 'bool' ? 'Bool' : enc.intSort, name: base.slice(0, -1) });
      }
    }
  }
  // A state: the arguments as bound variables `name@tag`, and each cell's value as a term.
  const argTerm = (a: InvArg, tag: string) => S.sym(`${a.name}@${tag}`, a.sort === 'Bool', enc.w);
  const stateOf = (tag: string): StateTerms => {
    const terms = new Map<string, Term>();
    for (const v of model.vars) {
      for (let c = 0; c < cellCount(v); c++) {
        const bits = args.filter((a) => a.decl === v && a.cell === c);
        let t: Term;
        if (bits[0].value === undefined) t = argTerm(bits[0], tag);
        else {
          // An ite over the bits; a state with no bit set is unreachable (the last value stands in).
          t = enc.num(bits[bits.length - 1].value!);
          for (let i = bits.length - 2; i >= 0; i--) t = S.ite(argTerm(bits[i], tag), enc.num(bits[i].value!), t);
        }
        terms.set(`${v.name}.${c}`, t);
      }
    }
    return (name, cell) => terms.get(`${name}.${cell}`)!;
  };
  const pre = stateOf('p');
  const binder = (tag: string) => args.map((a) => `(${a.name}@${tag} ${a.sort})`);
  const app = (terms: Term[]) => (terms.length ? `(${INV} ${terms.map(S.txt).join(' ')})` : INV);
  const preArgs = args.map((a) => argTerm(a, 'p'));
  const out: string[] = ['(set-logic HORN)', `(declare-fun ${INV} (${args.map((a) => a.sort).join(' ')}) Bool)`];
  // Shared subterms (the encoder's definitions) are bound variables of the clauses that use them.
  const defs = new Map<string, Definition>();
  const keepDefs = () => { for (const d of enc.takeDefinitions()) defs.set(d.name, d); };
  const clause = (vars: string[], body: Term[], head: string) => {
    keepDefs();
    const conj = S.txt(S.and(...body));
    if (conj === 'false') return;
    const used = usedDefinitions(conj + head, defs);
    const all = [...vars, ...used.map((d) => `(${d.name} ${d.sort})`)];
    const full = used.length ? S.txt(S.and(...used.map((d) => S.sym(`(= ${d.name} ${d.body})`, true)), S.sym(conj, true))) : conj;
    const impl = full === 'true' ? head : `(=> ${full} ${head})`;
    out.push(all.length ? `(assert (forall (${all.join(' ')}) ${impl}))` : `(assert ${impl})`);
  };

  // The value an argument takes in a state whose cells are `st`.
  const argValue = (a: InvArg, st: StateTerms): Term => {
    const t = st(a.decl.name, a.cell);
    return a.value === undefined ? t : S.eq(t, enc.num(a.value));
  };
  const init = args.map((a) => {
    const v = a.decl;
    const x = Array.isArray(v.init) ? v.init[a.cell] : v.init;
    if (a.value !== undefined) return S.bool(x === a.value);
    return v.sort.kind === 'bool' ? S.bool(x !== 0) : enc.num(x);
  });
  clause([], [], app(init));
  const encs = enc.allInstances(pre);
  const inv = S.and(S.sym(app(preArgs), true), ...(opts.background ?? []).map((e) => {
    const x = enc.expr(e, pre);
    return S.and(S.not(x.err), x.v);
  }));
  for (const e of encs) {
    if (S.isK(e.good) && !e.good.k) continue;
    const vars = binder('p');
    const eqs: Term[] = [];
    const changed = new Set(e.writes.map((w) => `${w.name}.${w.cell}`));
    const post = args.map((a, i) => {
      if (!changed.has(`${a.decl.name}.${a.cell}`)) return preArgs[i];
      const t = argValue(a, (name, cell) => enc.successorCell(e, pre, name, cell));
      if (S.isK(t) || t.s === preArgs[i].s) return t;
      const x = argTerm(a, 'q');
      vars.push(`(${a.name}@q ${a.sort})`);
      eqs.push(S.eq(x, t));
      return x;
    });
    clause(vars, [inv, e.good, ...eqs], app(post));
  }

  if (opts.query === 'safety') {
    for (const v of enc.stateViolations(pre, encs)) clause(binder('p'), [inv, v.term], 'false');
    for (const e of encs) clause(binder('p'), [inv, e.enabled, S.not(e.good)], 'false');
  } else {
    const cover = enc.covers(pre)[opts.query.cover];
    clause(binder('p'), [inv, cover], 'false');
  }
  return { text: out.join('\n'), args };
}

/** The definitions `text` mentions, with those their bodies mention, in definition order. */
function usedDefinitions(text: string, defs: Map<string, Definition>): Definition[] {
  const seen = new Set<string>();
  const todo = [text];
  while (todo.length) {
    for (const m of todo.pop()!.matchAll(/\$a[A-Za-z]*\d+/g)) {
      const d = defs.get(m[0]);
      if (d && !seen.has(d.name)) { seen.add(d.name); todo.push(d.body); }
    }
  }
  return [...defs.values()].filter((d) => seen.has(d.name));
}

/**
 * Checking bit-vector lemmas with Z3: `proved` (the negated claim is unsatisfiable under the
 * assumptions), or `refuted` with the lexicographically smallest counterexample (each unknown
 * minimised in order by binary search), re-checked with exact BigInt arithmetic.
 *
 * @example
 * const [r] = await checkLemmas([pageLemmas[0]]);
 * r.verdict; // 'refuted', r.shown.C_PAGE_MASK === '0xfffffffffffff000'
 */
import type { FactExpr, Lemma, WordExpr } from '../../model/lemmas/lang.ts';
import type { SourceLoc } from '../../model/lang/ir.ts';
import { InternalError } from '../check.ts';
import { evalFact, evalWord, type WordEnv } from './bv-eval.ts';
import { openSolver, type Solver } from './z3.ts';

export interface LemmaOptions {
  /** Per-query Z3 timeout in milliseconds; a timeout gives `unknown`. */
  smtTimeoutMs?: number;
}

export interface LemmaResult {
  id: string;
  doc: string;
  expect: 'proved' | 'refuted';
  verdict: 'proved' | 'refuted' | 'unknown';
  /** The verdict is the expected one. */
  asExpected: boolean;
  /** Refuted: the smallest counterexample, as hex (`0x…`). */
  counterexample?: Record<string, string>;
  /** Refuted: the lemma's `show` words at the counterexample, as hex. */
  shown?: Record<string, string>;
  reason?: string;
  width: number;
  seconds: number;
  queries: number;
  loc?: SourceLoc;
}

const name = (v: string) => `w.${v}`;

function bvLit(v: bigint, width: number): string {
  const m = 1n << BigInt(width);
  return `(_ bv${((v % m) + m) % m} ${width})`;
}

/** SMT-LIB text of a word expression. */
export function wordSmt(e: WordExpr, width: number): string {
  const w = (x: WordExpr) => wordSmt(x, width);
  switch (e.op) {
    case 'var': return name(e.name);
    case 'lit': return bvLit(e.value, width);
    case 'not': return `(bvnot ${w(e.a)})`;
    case 'neg': return `(bvneg ${w(e.a)})`;
    case 'ite': return `(ite ${factSmt(e.c, width)} ${w(e.t)} ${w(e.e)})`;
    default: {
      const op = { add: 'bvadd', sub: 'bvsub', mul: 'bvmul', and: 'bvand', or: 'bvor', xor: 'bvxor', shl: 'bvshl', lshr: 'bvlshr', udiv: 'bvudiv', urem: 'bvurem' }[e.op];
      return `(${op} ${w(e.a)} ${w(e.b)})`;
    }
  }
}

/** SMT-LIB text of a fact. */
export function factSmt(e: FactExpr, width: number): string {
  const w = (x: WordExpr) => wordSmt(x, width);
  const f = (x: FactExpr) => factSmt(x, width);
  switch (e.op) {
    case 'true': return 'true';
    case 'false': return 'false';
    case 'eq': return `(= ${w(e.a)} ${w(e.b)})`;
    case 'ne': return `(distinct ${w(e.a)} ${w(e.b)})`;
    case 'ult': case 'ule': case 'ugt': case 'uge': return `(bv${e.op} ${w(e.a)} ${w(e.b)})`;
    // Unsigned a + b wraps exactly when the wrapped sum is below a.
    case 'addOverflows': return `(bvult (bvadd ${w(e.a)} ${w(e.b)}) ${w(e.a)})`;
    case 'all': return e.args.length ? `(and true ${e.args.map(f).join(' ')})` : 'true';
    case 'any': return e.args.length ? `(or false ${e.args.map(f).join(' ')})` : 'false';
    case 'notf': return `(not ${f(e.a)})`;
    case 'implies': return `(=> ${f(e.a)} ${f(e.b)})`;
    case 'iff': return `(= ${f(e.a)} ${f(e.b)})`;
  }
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** Check lemmas one after another (Z3 sees one query at a time). */
export async function checkLemmas(lemmas: Lemma[], opts: LemmaOptions = {}): Promise<LemmaResult[]> {
  const out: LemmaResult[] = [];
  for (const l of lemmas) out.push(await checkLemma(l, opts));
  return out;
}

async function checkLemma(l: Lemma, opts: LemmaOptions): Promise<LemmaResult> {
  const t0 = performance.now();
  const timeout = opts.smtTimeoutMs ?? 0;
  const solver = await openSolver('QF_BV');
  let queries = 0;
  const base = {
    id: l.id, doc: l.doc, expect: l.expect, width: l.width, ...(l.loc ? { loc: l.loc } : {}),
  };
  const done = (r: Pick<LemmaResult, 'verdict'> & Partial<LemmaResult>): LemmaResult => ({
    ...base, asExpected: r.verdict === l.expect, seconds: Math.round(performance.now() - t0) / 1000, queries, ...r,
  });
  const check = async () => { queries++; return solver.check(timeout); };
  try {
    await solver.add([
      ...l.vars.map((v) => `(declare-const ${name(v)} (_ BitVec ${l.width}))`),
      ...l.assume.map((a) => `(assert ${factSmt(a, l.width)})`),
      `(assert (not ${factSmt(l.claim, l.width)}))`,
    ].join('\n'));
    const first = await check();
    if (first.result === 'unknown') return done({ verdict: 'unknown', reason: `Z3 returned unknown (${first.reason ?? 'no reason'})` });
    if (first.result === 'unsat') return done({ verdict: 'proved' });
    const env = await minimise(solver, l, check, await values(solver, l));
    // The refutation must hold in exact arithmetic, or Z3 and protocheck disagree.
    if (!l.assume.every((a) => evalFact(a, env, l.width)) || evalFact(l.claim, env, l.width)) {
      throw new InternalError(`lemma ${l.id}: Z3's counterexample does not refute the claim in exact arithmetic`);
    }
    const counterexample: Record<string, string> = {};
    for (const v of l.vars) counterexample[v] = hex(env[v]);
    const shown: Record<string, string> = {};
    for (const [k, e] of Object.entries(l.show)) shown[k] = hex(evalWord(e, env, l.width));
    return done({ verdict: 'refuted', counterexample, shown });
  } finally {
    await solver.free();
  }
}

async function values(solver: Solver, l: Lemma): Promise<WordEnv> {
  const vals = await solver.eval(l.vars.map((v) => ({ name: name(v), sort: l.width })));
  const env: WordEnv = {};
  l.vars.forEach((v, i) => (env[v] = BigInt(vals[i])));
  return env;
}

/**
 * The lexicographically smallest counterexample: each unknown in order, binary search for the
 * least value that still has a counterexample, then fix it. A timeout keeps what was found.
 */
async function minimise(solver: Solver, l: Lemma, check: () => Promise<{ result: string }>, env: WordEnv): Promise<WordEnv> {
  let best = { ...env };
  for (const v of l.vars) {
    let lo = 0n;
    let hi = best[v];
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      await solver.push();
      await solver.add(`(assert (bvule ${name(v)} ${bvLit(mid, l.width)}))`);
      const r = await check();
      if (r.result === 'sat') {
        best = await values(solver, l);
        hi = best[v];
      } else if (r.result === 'unsat') {
        lo = mid + 1n;
      }
      await solver.pop();
      if (r.result === 'unknown') return best;
    }
    await solver.add(`(assert (= ${name(v)} ${bvLit(best[v], l.width)}))`);
  }
  return best;
}

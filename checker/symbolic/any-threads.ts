/**
 * Proofs for any number of interchangeable threads (`--bound senders=any`): Spacer on the counter
 * abstraction (`counter-abstraction.ts`), its invariant re-checked by plain SMT queries (not by
 * Spacer) and printed over member counts, e.g. `#[pc=unlock] + #[pc=done] <= 1`.
 *
 * 1. The explicit search runs first at the model's built bound: a violation there is reported as
 *    usual (shortest, minimised, replayed).
 * 2. Spacer gets `rlimit` (work, not seconds). `sat`: the invariant is re-checked (initiation for every
 *    N >= the minimum, consecution for every step, and no bad state) and the verdict is `proved`
 *    with a note "proved for any number of NAME". `unsat`: the abstraction is exact, so some
 *    number of members violates a property, but not the bound searched: `unknown`, saying so.
 *    Budget out: `unknown`. A failed re-check is an InternalError, never `proved`.
 *
 * @example
 * const r = await runAnyMembers(model, { boundName: 'senders' });
 * r.verdict; // 'proved', r.note 'proved for any number of senders ...'
 */
import type { Model } from '../../model/lang/ir.ts';
import { InternalError, runCheck, type CheckOptions } from '../check.ts';
import type { Result } from '../result.ts';
import { counterSystem, hornText, type CounterSystem } from './counter-abstraction.ts';
import { parseSexps } from './spacer-model.ts';
import { spacerScript } from './pdr.ts';
import { houdiniOnCounts } from './count-houdini.ts';
import { openSolver, runScript } from './z3.ts';
import { round3 } from './result.ts';

type SExp = string | SExp[];

export interface AnyMembersOptions extends CheckOptions {
  /** The bound that counts the members (`senders`, `threads`, `readers`), for the messages. */
  boundName: string;
  /** The fewest members the proof covers (default 1). */
  minMembers?: number;
  /** The model built with one member more (see CounterOptions.grown). */
  grown?: Model;
  /**
   * The model built with one member fewer: when the search of `grown` is too large to sample,
   * the candidates come from this model's and `model`'s reached states instead.
   */
  smaller?: Model;
  /** Spacer's resource budget (default ANY_RLIMIT). */
  rlimit?: number;
}

/** The domain D, conjoined to Spacer's invariant (CounterSystem.domain), as its printed line. */
export const DOMAIN_LINE = 'every count >= 0, every variable within its sort';

/** Spacer's budget on the counter abstraction (Z3 resource units, not seconds; see SPACER_RLIMIT). */
export const ANY_RLIMIT = 5_000_000;

/** The invariant Spacer found: its parameters and body (SMT-LIB), and one printed line per conjunct. */
export interface CountInvariant { params: string[]; body: SExp; lines: string[] }

/** Spacer on a counter system: an invariant, `violation` (some member count is bad), or `unknown`. */
export async function spacerOnCounts(cs: CounterSystem, rlimit: number): Promise<CountInvariant | 'violation' | 'unknown'> {
  const out = await runScript(spacerScript(hornText(cs), rlimit));
  const first = out?.trim().split('\n')[0];
  if (first === 'unsat') return 'violation';
  if (first !== 'sat') return 'unknown';
  const def = findInv(parseSexps(out!));
  if (!def) return 'unknown';
  const params = (def[2] as SExp[]).map((p) => (p as SExp[])[0] as string);
  const body = expandLets(def[4], new Map());
  const names = new Map(params.map((p, i) => [p, cs.args[i].show]));
  const conj = Array.isArray(body) && body[0] === 'and' ? body.slice(1) : [body];
  return { params, body, lines: conj.filter((c) => c !== 'true').map((c) => infix(c, names)) };
}

/** The invariant without its conjunct `drop` (for the test that a weakened invariant is rejected). */
export function withoutConjunct(inv: CountInvariant, drop: number): CountInvariant {
  const conj = Array.isArray(inv.body) && inv.body[0] === 'and' ? inv.body.slice(1) : [inv.body];
  const rest = conj.filter((_, i) => i !== drop);
  return { params: inv.params, body: rest.length === 1 ? rest[0] : ['and', ...rest], lines: inv.lines.filter((_, i) => i !== drop) };
}

/**
 * Re-check an invariant of a counter system with plain SMT queries (no Spacer): it holds
 * initially for every N >= minMembers, every step keeps it, and no bad state satisfies it.
 * Returns undefined when valid, else which query failed.
 */
export async function recheckCounts(cs: CounterSystem, inv: CountInvariant): Promise<string | undefined> {
  const sort = (i: number) => cs.args[i].sort;
  // The invariant re-checked is D ∧ Inv (D: counts >= 0, cells within their sorts; see CounterSystem.domain).
  const preTerms = cs.args.map((a) => `${a.name}@p`);
  const full = (terms: string[]) => `(and (Inv ${terms.join(' ')}) ${cs.domain(terms)})`;
  const pre = full(preTerms);
  const queries: { what: string; asserts: string[] }[] = [{ what: 'initiation', asserts: [`(>= N ${cs.minMembers})`, `(not ${full(cs.init)})`] }];
  for (const s of cs.steps) queries.push({ what: `consecution (${s.what})`, asserts: [pre, s.cond, `(not ${full(s.post)})`] });
  for (const b of cs.bad) if (b.cond !== 'false') queries.push({ what: `safety (${b.what})`, asserts: [pre, b.cond] });
  // One solver, one guarded query each (Solver.query), rather than a script whose printed output would need parsing.
  const solver = await openSolver();
  try {
    await solver.add([
      `(define-fun Inv (${inv.params.map((p, i) => `(${p} ${sort(i)})`).join(' ')}) Bool ${sexpText(inv.body)})`,
      '(declare-const N Int)',
      ...cs.args.map((a) => `(declare-const ${a.name}@p ${a.sort})`),
    ].join('\n'));
    for (const q of queries) {
      const r = await solver.query(q.asserts.map((x) => `(assert ${x})`).join('\n'), 0, []);
      if (r.result !== 'unsat') return `the invariant fails its SMT re-check: ${q.what} is ${r.result}`;
    }
  } finally {
    await solver.free();
  }
  return undefined;
}

/** Check `model` for any number of its interchangeable members (see the file comment). */
export async function runAnyMembers(model: Model, opts: AnyMembersOptions): Promise<Result> {
  const t0 = performance.now();
  const ex = runCheck(model, opts);
  const base = { ...ex, engine: 'pdr' as const };
  if (ex.verdict === 'violation') return base;
  const cs = counterSystem(model, { minMembers: opts.minMembers, grown: opts.grown });
  const rlimit = opts.rlimit ?? ANY_RLIMIT;
  const found = await spacerOnCounts(cs, rlimit);
  const name = opts.boundName;
  if (found === 'violation') {
    return { ...base, verdict: 'unknown', reason: `some number of ${name} violates a property (the counter abstraction reaches a bad state), though not ${name}=${cs.members.length}; check larger --bound ${name}=K` };
  }
  let inv: CountInvariant | undefined = found === 'unknown' ? undefined : found;
  let method: 'spacer' | 'explicit-guided' = 'spacer';
  let why = '';
  if (!inv && opts.grown) {
    // Spacer ran out: candidates from the states reached at both member counts, kept by Houdini.
    let h = await houdiniOnCounts(cs, [model, opts.grown]);
    if ('fail' in h && h.tooLarge && opts.smaller) h = await houdiniOnCounts(cs, [opts.smaller, model]);
    if ('fail' in h) why = `; from the reached states: ${h.fail}`;
    else {
      inv = { params: h.params, body: ['and', ...h.conjuncts.map((c) => parseSexps(c)[0])], lines: h.lines };
      method = 'explicit-guided';
    }
  }
  if (!inv) {
    return { ...base, verdict: 'unknown', reason: `no invariant for any number of ${name}: Spacer stopped at its budget (rlimit ${rlimit}) on the counter abstraction (${cs.args.length} counters and cells)${why}` };
  }
  const found2 = inv;
  const fail = await recheckCounts(cs, found2);
  if (fail) throw new InternalError(`counter-abstraction invariant rejected: ${fail}`);
  const seconds = round3((performance.now() - t0) / 1000);
  return {
    ...base,
    verdict: 'proved',
    bounds: { ...base.bounds, [name]: 'any' },
    proof: { method, invariant: [...found2.lines, DOMAIN_LINE], recheck: { smt: 'valid', explicitStates: 0, explicitComplete: false }, seconds, anyMembers: name },
    note: `proved for any number of ${name} (at least ${cs.minMembers}): an inductive invariant over member counts of ${found2.lines.length + 1} conjuncts (${method === 'spacer' ? 'Spacer' : 'Houdini on candidates from the reached states'}, counter abstraction), re-checked`,
  };
}

function findInv(xs: SExp[]): SExp[] | undefined {
  for (const x of xs) {
    if (!Array.isArray(x)) continue;
    if (x[0] === 'define-fun' && x[1] === 'Inv') return x;
    const inner = findInv(x);
    if (inner) return inner;
  }
  return undefined;
}

/** `x` with every `let` binding substituted (Spacer shares subterms with `let`). */
function expandLets(x: SExp, env: Map<string, SExp>): SExp {
  if (!Array.isArray(x)) return env.get(x) ?? x;
  if (x[0] === 'let') {
    const inner = new Map(env);
    for (const b of x[1] as SExp[]) inner.set((b as SExp[])[0] as string, expandLets((b as SExp[])[1], env));
    return expandLets(x[2], inner);
  }
  return x.map((y) => expandLets(y, env));
}

function sexpText(x: SExp): string {
  return Array.isArray(x) ? `(${x.map(sexpText).join(' ')})` : x;
}

const NEG: Record<string, string> = { '<=': '>', '>=': '<', '<': '>=', '>': '<=' };

/** Infix text of an invariant term, parameters named by `names`. */
function infix(x: SExp, names: Map<string, string>): string {
  const go = (y: SExp) => infix(y, names);
  if (!Array.isArray(x)) return names.get(x) ?? x;
  const [h, ...r] = x;
  switch (h) {
    case 'and': return r.map((y) => wrap(go(y))).join(' and ');
    case 'or': return r.map((y) => wrap(go(y))).join(' or ');
    case 'not': {
      const a = r[0];
      // not (x <= k) reads x >= k+1: `#[pc=unlock] >= 0`, not `> -1`.
      const k = Array.isArray(a) ? constant(a[2]) : undefined;
      if (Array.isArray(a) && k !== undefined && (a[0] === '<=' || a[0] === '>=')) return `${go(a[1])} ${a[0] === '<=' ? `>= ${k + 1}` : `<= ${k - 1}`}`;
      if (Array.isArray(a) && typeof a[0] === 'string' && a[0] in NEG) return `${go(a[1])} ${NEG[a[0]]} ${go(a[2])}`;
      if (Array.isArray(a) && a[0] === '=') return `${go(a[1])} != ${go(a[2])}`;
      return `not ${wrap(go(a))}`;
    }
    case '=>': return `${wrap(go(r[0]))} implies ${wrap(go(r[1]))}`;
    case '=': case '<=': case '>=': case '<': case '>': return `${go(r[0])} ${h} ${go(r[1])}`;
    case '+': return r.map((y, i) => {
      if (i > 0 && Array.isArray(y) && y[0] === '*' && Array.isArray(y[1]) && y[1][0] === '-') return `- ${y[1][1] === '1' ? go(y[2]) : `${y[1][1]}*${go(y[2])}`}`;
      return (i > 0 ? '+ ' : '') + go(y);
    }).join(' ');
    case '*': return Array.isArray(r[0]) && r[0][0] === '-' && r[0][1] === '1' ? `-${go(r[1])}` : `${go(r[0])}*${go(r[1])}`;
    case '-': return r.length === 1 ? `-${go(r[0])}` : r.map(go).join(' - ');
    case 'ite': return `(if ${go(r[0])} then ${go(r[1])} else ${go(r[2])})`;
    default: return sexpText(x);
  }
}

function constant(x: SExp): number | undefined {
  if (typeof x === 'string') return /^\d+$/.test(x) ? Number(x) : undefined;
  return x[0] === '-' && x.length === 2 && typeof x[1] === 'string' && /^\d+$/.test(x[1]) ? -Number(x[1]) : undefined;
}

function wrap(s: string): string {
  return / (and|or|implies) /.test(s) ? `(${s})` : s;
}

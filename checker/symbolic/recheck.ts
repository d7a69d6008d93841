/**
 * The independent re-check of an inductive invariant before it is reported, in two parts:
 *
 * 1. one plain SMT query (the bit-vector encoding BMC uses, not Spacer's Horn clauses): from an
 *    arbitrary state, "the initial state breaks I", or "I holds and one good step of any action
 *    breaks it", or "I holds and the state breaks a property (or an enabled step does)" must be
 *    unsatisfiable;
 * 2. the explicit engine checks I as the only invariant, without symmetry reduction: it must hold
 *    in every state the search reaches.
 *
 * A failure means the proof is wrong; the caller reports it as an internal error, never `proved`.
 *
 * @example
 * const r = await recheckInvariant(model, conjuncts, {});
 * if (!r.ok) throw new InternalError(r.reason);
 */
import type { Expr, Model } from '../../model/lang/ir.ts';
import { BOOL } from '../../model/lang/ir.ts';
import { runCheck } from '../check.ts';
import { asserts } from './encode.ts';
import { badState, encoderFor, holds } from './houdini.ts';
import { exprText } from './expr-text.ts';
import * as S from './smt.ts';
import { openSolver } from './z3.ts';

export type Recheck =
  | { ok: true; explicitStates: number; explicitComplete: boolean }
  /** Z3 gave up: neither a proof nor a refutation. */
  | { ok: false; unknown: true; reason: string }
  | { ok: false; reason: string };

export interface RecheckOptions {
  smtTimeoutMs?: number;
  /** State limit of the explicit part (default 1e6). */
  maxStates?: number;
}

/** The invariant as one expression. */
export function conjunction(conjuncts: Expr[]): Expr {
  return conjuncts.length === 1 ? conjuncts[0] : { op: 'and', sort: BOOL, args: conjuncts };
}

/** Re-check `conjuncts` (their conjunction I) as an inductive invariant implying every property. */
export async function recheckInvariant(model: Model, conjuncts: Expr[], opts: RecheckOptions = {}): Promise<Recheck> {
  const inv = conjunction(conjuncts);
  const enc = encoderFor(model, [inv], 'r');
  const s = enc.state('r0'), t = enc.state('r1');
  const iS = holds(enc, inv, s), iT = holds(enc, inv, t);
  const step = S.and(...enc.transition(s, t, enc.intConst('$rsel')));
  const flags = {
    initiation: S.and(enc.initial(s), S.not(iS)),
    consecution: S.and(iS, step, S.not(iT)),
    safety: S.and(iS, badState(enc, s)),
  };
  const names = Object.keys(flags) as (keyof typeof flags)[];
  const solver = await openSolver('QF_BV');
  try {
    await solver.add([
      enc.declareState('r0'), enc.declareState('r1'), `(declare-const $rsel ${enc.intSort})`,
      ...names.map((n) => `(declare-const $r_${n} Bool)`),
      enc.take(),
      asserts([enc.sortConstraints(s), ...names.map((n) => S.eq(S.sym(`$r_${n}`, true), flags[n]))]),
    ].join('\n'));
    const r = await solver.query(asserts([S.or(...names.map((n) => S.sym(`$r_${n}`, true)))]), opts.smtTimeoutMs ?? 0, names.map((n) => ({ name: `$r_${n}`, sort: 'Bool' as const })));
    if (r.result === 'unknown') return { ok: false, unknown: true, reason: `the SMT re-check gave up (${r.reason ?? 'unknown'})` };
    if (r.result === 'sat') {
      const failed = names.filter((_, i) => r.values![i] === 'true');
      return { ok: false, reason: `the invariant fails its SMT re-check (${failed.join(', ')})` };
    }
  } finally {
    await solver.free();
  }
  const probe: Model = { ...model, properties: [{ kind: 'invariant', id: 'pdr.invariant', message: 'the inductive invariant', expr: inv }] };
  const ex = runCheck(probe, { maxStates: opts.maxStates ?? 1_000_000, minimise: false, symmetry: false });
  if (ex.verdict === 'violation') {
    return { ok: false, reason: `the explicit engine reaches a state that breaks the invariant in ${ex.trace?.steps.length ?? 0} steps (${conjuncts.map((c) => exprText(c)).join('; ').slice(0, 200)})` };
  }
  return { ok: true, explicitStates: ex.stats.states, explicitComplete: ex.verdict === 'pass' };
}

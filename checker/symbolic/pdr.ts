/**
 * The PDR engine (`--engine pdr`): an inductive invariant, re-checked, or a violation.
 *
 * 1. The explicit search runs first: a violation is its shortest, minimised, replayed trace.
 * 2. On an exhaustive pass, Z3's Spacer (IC3/PDR on the Horn clauses of `chc.ts`) gets a fixed
 *    resource budget (`rlimit`: work, not seconds, so machine speed and load do not change it).
 *    Z3's WASM build is still not repeatable bit for bit: rarely (one run in about 600 on random
 *    models) a search that usually ends far inside the budget wanders past it; the verdict is
 *    then `unknown`, never a wrong one. Past SPACER_MAX_STATES reached states Spacer is skipped.
 * 3. If Spacer runs out, the invariant is learned IC3-style with the reached states as an exact
 *    reachability oracle (`guided.ts`), from lemmas mined from those states (`mine.ts`).
 * 4. Either invariant is re-checked independently (`recheck.ts`: one SMT query, and the explicit
 *    engine on every state it reaches); a failure is an InternalError, never `proved`.
 *
 * When the explicit search is cut short (a limit), only Spacer runs: its invariant is re-checked
 * the same way; if it finds the properties reachable, BMC finds the shortest trace.
 *
 * @example
 * const r = await runPdr(model, {});
 * r.verdict; // 'proved', with r.proof.invariant (one line per conjunct), or 'violation', 'unknown'
 */
import type { Expr, Model } from '../../model/lang/ir.ts';
import { InternalError, runCheck, type CheckOptions } from '../check.ts';
import type { Proof, Result } from '../result.ts';
import { hornClauses } from './chc.ts';
import { readSpacerInvariant } from './spacer-model.ts';
import { reachableStates } from './reach.ts';
import { mineCandidates } from './mine.ts';
import { guidedInvariant } from './guided.ts';
import { recheckInvariant } from './recheck.ts';
import { exprText } from './expr-text.ts';
import { runScript } from './z3.ts';
import { lostIsUnknown, runBmc } from './run.ts';
import { round3 } from './result.ts';

export interface PdrOptions extends CheckOptions {
  smtTimeoutMs?: number;
  /** Spacer's resource budget (Z3 `rlimit`; default `SPACER_RLIMIT`). 0 skips Spacer. */
  spacerRlimit?: number;
  /** The guided learner's budget: clauses learned before it gives up (default 4000). */
  maxClauses?: number;
  /** The explicit search already run on this model with these options (`auto`), not run again. */
  explicit?: Result;
}

/**
 * Spacer's default budget: Z3 resource units, not seconds, so that the outcome does not depend on
 * the machine or its load (about 3 s here). Small models prove within it; the built-in protocol
 * models do not (see the README), and go on to the explicit-guided invariant.
 */
export const SPACER_RLIMIT = 5_000_000;

/** States the guided learner keeps in memory (the reached states are its oracle). */
const GUIDED_MAX_STATES = 500_000;

/**
 * Past this many reached states (an exhaustive search), Spacer is not tried: no built-in model of
 * that size proves within its budget (binder, binder-rust and vma spend it, ≈8 s, for nothing),
 * and the guided learner has every reached state to go on. A state count, not a time: the same
 * model takes the same path on any machine.
 */
export const SPACER_MAX_STATES = 10_000;

type Found = { conjuncts: Expr[]; method: Proof['method'] } | { violation: true } | { unknown: string };

/**
 * Z3 options for Spacer, set on every run (Z3 keeps options across scripts). Eager inlining is
 * off: with it, Z3 4.x inlines away the clause `Inv(s) ∧ ¬b → false` of a Bool cell that never
 * changes and returns an `Inv` without `b`, which the re-check rightly rejects (found by
 * test/symbolic/pdr-differential.test.ts: random model 122 of seed 13).
 */
export const SPACER_OPTIONS = '(set-option :fp.xform.inline_eager false)';

/**
 * The script that runs Spacer on Horn clauses `horn` within `rlimit`. Z3 keeps options across
 * scripts in one worker, so it ends by lifting the limit again: left in place, it silently
 * cancelled the Houdini and re-check queries that follow (their `unknown` reads "canceled").
 */
export function spacerScript(horn: string, rlimit: number): string {
  return `(set-option :rlimit ${rlimit})\n${SPACER_OPTIONS}\n${horn}\n(check-sat)\n(get-model)\n(set-option :rlimit 0)`;
}

/** Spacer on the Horn clauses, within `rlimit`. */
export async function spacer(model: Model, rlimit: number): Promise<Found> {
  const h = hornClauses(model, { query: 'safety' });
  const out = await runScript(spacerScript(h.text, rlimit));
  const first = out?.trim().split('\n')[0];
  if (first === 'unsat') return { violation: true };
  if (first !== 'sat') return { unknown: `Spacer stopped at its budget (rlimit ${rlimit})` };
  const conj = readSpacerInvariant(model, h.args, out!);
  if (!conj) return { unknown: 'Spacer\'s invariant uses operators the reader does not know' };
  return { conjuncts: conj, method: 'spacer' };
}

/**
 * `auto`'s budget for the proof after an exhaustive pass, in work, not time, so that the same
 * model gives the same verdict on any machine: PDR runs only on a state space of at most
 * AUTO_PDR_MAX_STATES states, with Spacer's usual rlimit and at most AUTO_MAX_CLAUSES learned
 * clauses. At default bounds that proves mm, task, page, aref, drm_mm and fork (≈6–20 s each);
 * binder and vma stay `pass`, with a note (`--engine pdr` tries them without the cap).
 */
export const AUTO_PDR_MAX_STATES = 2_000;
export const AUTO_MAX_CLAUSES = 1_000;

/**
 * `check`'s default engine: the explicit search, then (on an exhaustive pass, within the budget
 * above) PDR to upgrade `pass` to `proved`. A violation is the explicit engine's; a proof not
 * found leaves the exhaustive `pass`, with the reason in the note. The result carries neither the
 * invariant nor whether Spacer or the guided learner found it (both may differ from run to run;
 * `--engine pdr` gives them), so the same model gives the same text and JSON.
 *
 * @example
 * const r = await runAutoPdr(model, {}); // 'proved' (r.proof), or the explicit verdict
 */
export async function runAutoPdr(model: Model, opts: PdrOptions = {}): Promise<Result> {
  const ex = runCheck(model, opts);
  if (ex.verdict !== 'pass') return { ...ex, engine: 'auto' };
  if (ex.stats.states > AUTO_PDR_MAX_STATES) {
    return { ...ex, engine: 'auto', note: `no proof attempted: ${ex.stats.states} states is more than auto's ${AUTO_PDR_MAX_STATES} (check --engine pdr tries it)` };
  }
  const p = await runPdr(model, { ...opts, explicit: ex, maxClauses: opts.maxClauses ?? AUTO_MAX_CLAUSES });
  if (p.verdict === 'proved') {
    // Without the invariant (and which learner found it): both vary from run to run, and
    // `check`'s default output, text and JSON, must not.
    const { proof: _proof, ...rest } = p;
    return { ...rest, engine: 'auto', note: `explicit search exhaustive at ${ex.stats.states} states; proved for every depth by an inductive invariant (PDR, re-checked; check --engine pdr prints it)` };
  }
  return { ...ex, engine: 'auto', note: `pdr: ${p.reason ?? 'no proof'}` };
}

/**
 * Run the PDR engine on a model. A crash of the Z3 worker is retried once in a fresh one; a second
 * one is `unknown` (lostIsUnknown), never a pass and never an internal error.
 */
export async function runPdr(model: Model, opts: PdrOptions = {}): Promise<Result> {
  const ex = opts.explicit ?? runCheck(model, opts);
  if (ex.verdict === 'violation') return { ...ex, engine: 'pdr' };
  return lostIsUnknown(() => pdrAfter(model, opts, ex), (reason) => ({
    ...ex, engine: 'pdr', verdict: 'unknown', reason, note: `explicit search: ${ex.verdict} at ${ex.stats.states} states`,
  }));
}

/** PDR after the explicit search `ex` (not a violation). */
async function pdrAfter(model: Model, opts: PdrOptions, ex: Result): Promise<Result> {
  const t0 = performance.now();
  const base = { ...ex, engine: 'pdr' as const };
  const exhaustive = ex.verdict === 'pass';
  const rlimit = opts.spacerRlimit ?? SPACER_RLIMIT;
  // A large exhaustive state space the guided learner can hold goes to it directly. Concrete
  // states count (the learner works on them): the explicit search's count, unless it stored one
  // state per orbit, and then, if the orbits alone are few enough, a concrete search's.
  let reach: ReturnType<typeof reachableStates> | undefined;
  let concrete = exhaustive && ex.stats.states <= GUIDED_MAX_STATES ? ex.stats.states : 0;
  if (concrete > 0 && concrete <= SPACER_MAX_STATES && ex.stats.symmetry?.on) {
    reach = reachableStates(model, GUIDED_MAX_STATES);
    concrete = reach.complete ? reach.states.length : 0;
  }
  let found: Found = concrete > SPACER_MAX_STATES ? { unknown: `Spacer not tried past ${SPACER_MAX_STATES} states` }
    : rlimit > 0 ? await spacer(model, rlimit) : { unknown: 'Spacer skipped' };
  if ('violation' in found) {
    if (exhaustive) throw new InternalError('Spacer found a violation the exhaustive explicit search did not');
    const b = await runBmc(model, { depth: 100, smtTimeoutMs: opts.smtTimeoutMs, variant: opts.variant, file: opts.file });
    return { ...b, engine: 'pdr' };
  }
  if ('unknown' in found && exhaustive) {
    reach ??= reachableStates(model, GUIDED_MAX_STATES);
    if (reach.complete) {
      const g = await guidedInvariant(model, reach.states, mineCandidates(model, reach.states), { smtTimeoutMs: opts.smtTimeoutMs, maxClauses: opts.maxClauses });
      found = g.kind === 'invariant' ? { conjuncts: g.conjuncts, method: 'explicit-guided' } : { unknown: `${found.unknown}; explicit-guided: ${g.reason}` };
    }
  }
  const seconds = round3((performance.now() - t0) / 1000);
  if ('unknown' in found) {
    return { ...base, verdict: 'unknown', reason: `no inductive invariant: ${found.unknown}`, note: `explicit search: ${ex.verdict} at ${ex.stats.states} states` };
  }
  const check = await recheckInvariant(model, found.conjuncts, { smtTimeoutMs: opts.smtTimeoutMs });
  // Z3 giving up on the re-check is `unknown`; a refuted invariant is a bug in the learner.
  if (!check.ok && 'unknown' in check) return { ...base, verdict: 'unknown', reason: check.reason, note: `explicit search: ${ex.verdict} at ${ex.stats.states} states` };
  if (!check.ok) throw new InternalError(`PDR invariant rejected: ${check.reason}`);
  const invariant = found.conjuncts.map((c) => exprText(c));
  return {
    ...base,
    verdict: 'proved',
    proof: {
      method: found.method, invariant,
      recheck: { smt: 'valid', explicitStates: check.explicitStates, explicitComplete: check.explicitComplete },
      seconds,
    },
    note: `explicit search ${exhaustive ? 'exhaustive' : 'stopped'} at ${ex.stats.states} states; proved for every depth by an inductive invariant of ${invariant.length} conjunct${invariant.length === 1 ? '' : 's'} (${found.method === 'spacer' ? 'Spacer' : 'explicit-guided PDR'}), re-checked`,
  };
}

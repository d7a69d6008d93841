/**
 * Counterexamples to induction: replayed on the interpreter from their (arbitrary) start
 * state, rendered as a state plus steps, and looked up with the explicit engine: is the start
 * state reachable from the initial state within the model's bounds?
 */
import type { Expr, Model } from '../../model/lang/ir.ts';
import { showValue, BOOL } from '../../model/lang/ir.ts';
import {
  canFire, enabled, evaluate, instancesOf, isFinal, showState, step, type Instance, type State,
} from '../interpreter.ts';
import { InternalError, runCheck } from '../check.ts';
import type { InductionCounterexample, TraceStep } from '../result.ts';
import type { RawCti } from './induction.ts';
import { propertyRef } from './result.ts';
import { modelCells } from './cells.ts';

/** Replay a CTI path from its start state; throws InternalError when the interpreter disagrees. */
export function replayCti(model: Model, cti: RawCti, all: Instance[] = instancesOf(model)): State[] {
  const fail = (m: string) => { throw new InternalError(`Z3 counterexample to induction failed replay on the interpreter: ${m}`); };
  const states: State[] = [cti.start];
  const lastBad = cti.violation.kind === 'requires' || cti.violation.kind === 'bounds';
  cti.path.forEach((id, i) => {
    const inst = all[id];
    const s = states[states.length - 1];
    if (!inst) fail(`step ${i + 1}: no action instance ${id}`);
    const fire = canFire(model, s, inst);
    if (!fire.enabled) fail(`step ${i + 1}: ${inst.action.name} is not enabled`);
    const r = fire.bounds ? { state: s, bounds: fire.bounds, violated: undefined } : step(model, s, inst);
    if (i === cti.path.length - 1 && lastBad) {
      const v = cti.violation;
      if (v.kind === 'requires' && r.violated !== inst.action.requires[v.requirement]) fail(`step ${i + 1}: the requirement does not fail`);
      if (v.kind === 'bounds' && (!r.bounds || r.violated)) fail(`step ${i + 1}: no bounds error`);
    } else if (r.violated || r.bounds) fail(`step ${i + 1}: ${inst.action.name} is a violation before the end`);
    states.push(r.state);
  });
  if (!lastBad) {
    const end = states[states.length - 1];
    const v = cti.violation;
    const props = (kind: string) => model.properties.filter((p) => p.kind === kind);
    if (v.kind === 'invariant') {
      const p = props('invariant')[v.index];
      if (p.kind !== 'invariant' || evaluate(model, p.expr, end, {})) fail(`invariant ${p.id} holds at the end`);
    } else if (v.kind === 'quiescence') {
      const p = props('quiescence')[v.index];
      if (p.kind !== 'quiescence' || !isFinal(model, end) || evaluate(model, p.expr, end, {})) fail(`quiescence ${p.id} holds at the end`);
    } else if (v.kind === 'deadlock') {
      if (isFinal(model, end) || enabled(model, end, all).length) fail('the last state is not a deadlock');
    }
  }
  return states;
}

/** The IR test "the state equals `s`" (every cell), for looking the state up. */
export function stateIs(model: Model, s: State): Expr {
  const args: Expr[] = modelCells(model).map((c) => ({ op: 'eq', sort: BOOL, a: c.read, b: { op: 'lit', sort: c.decl.sort, value: s[c.decl.name][c.cell] } }));
  return args.length === 1 ? args[0] : { op: 'and', sort: BOOL, args };
}

/** Whether the explicit engine reaches `s` (every action kept; properties replaced by "not s"). */
export function explicitReaches(model: Model, s: State, maxStates: number): { reachable: 'yes' | 'no' | 'unknown'; note: string } {
  const probe: Model = {
    ...model,
    properties: [{ kind: 'invariant', id: 'cti.unreached', message: 'the CTI state is reached', expr: { op: 'not', sort: BOOL, a: stateIs(model, s) } }],
  };
  const r = runCheck(probe, { maxStates, minimise: false });
  if (r.verdict === 'violation') return { reachable: 'yes', note: `the explicit engine reaches this state in ${r.trace?.steps.length ?? 0} steps` };
  if (r.verdict === 'pass') return { reachable: 'no', note: `not reachable: the explicit engine searched all ${r.stats.states} reachable states` };
  // The limit is this look-up's own (not a flag the user gave): say so, and how to decide it.
  const why = r.verdict === 'incomplete' && r.stats.states >= maxStates ? `its limit of ${maxStates} states` : (r.reason ?? r.verdict);
  return { reachable: 'unknown', note: `the explicit search for this state stopped at ${why} before deciding (an exhaustive 'check --engine auto' decides it)` };
}

/** The note for a CTI after an exhaustive explicit pass: its state leads to a violation, so it is not among the reachable ones. */
export function unreachedAfterPass(states: number): { reachable: 'no'; note: string } {
  return { reachable: 'no', note: `not reachable: the explicit engine searched all ${states} reachable states` };
}

/**
 * The CTI for a Result: replayed, rendered, and its start state looked up (with at most
 * `maxStates` states), unless `searched` says an exhaustive search of that many states already
 * found no violation: then the state, which leads to one, is unreachable without a look-up.
 */
export function renderCti(model: Model, cti: RawCti, maxStates: number, all: Instance[] = instancesOf(model), searched?: number): InductionCounterexample {
  const states = replayCti(model, cti, all);
  const steps: TraceStep[] = cti.path.map((id, i) => {
    const inst = all[id];
    const params: TraceStep['params'] = {};
    inst.action.params.forEach((p, j) => (params[p.name] = showValue(p.sort, inst.params[j])));
    const tp = inst.action.threadParam;
    return {
      index: i + 1, action: inst.action.name, params, ...(tp !== undefined ? { thread: String(params[tp]) } : {}),
      state: showState(model, states[i + 1]), ...(inst.action.loc ? { loc: inst.action.loc } : {}),
    };
  });
  const last = cti.path.length ? all[cti.path[cti.path.length - 1]] : undefined;
  const look = searched !== undefined ? unreachedAfterPass(searched) : explicitReaches(model, cti.start, maxStates);
  return {
    k: cti.k, property: propertyRef(model, cti.violation, last), state: showState(model, cti.start), steps,
    reachable: look.reachable, reachableNote: look.note,
  };
}

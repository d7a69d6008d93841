/**
 * Replay a path of action instances on the interpreter (the reference semantics) and confirm
 * the claimed violation. Every trace is checked here before anyone sees it.
 */
import type { Model } from '../model/lang/ir.ts';
import { showValue, sortValues } from '../model/lang/ir.ts';
import {
  canFire, enabled, evaluate, initialState, instancesOf, isFinal, showState, step, type Instance, type State,
} from './interpreter.ts';
import type { RawViolation } from './explicit.ts';
import type { PropertyRef, Trace, TraceStep } from './result.ts';

export class ReplayError extends Error {}

/** The states along a path; throws ReplayError naming the first step that is not legal. */
export function replayPath(model: Model, path: number[], claim?: RawViolation, all: Instance[] = instancesOf(model)): State[] {
  const states: State[] = [initialState(model)];
  const lastIsBad = claim?.kind === 'requires' || claim?.kind === 'bounds';
  path.forEach((id, i) => {
    const inst = all[id];
    if (!inst) throw new ReplayError(`step ${i + 1}: no action instance ${id}`);
    const s = states[states.length - 1];
    const fire = canFire(model, s, inst);
    if (!fire.enabled) throw new ReplayError(`step ${i + 1}: ${inst.action.name} is not enabled`);
    const r = fire.bounds ? { state: s, bounds: fire.bounds, violated: undefined } : step(model, s, inst);
    const isLast = i === path.length - 1;
    if (isLast && lastIsBad) {
      if (claim!.kind === 'requires') {
        const want = inst.action.requires[claim!.requirement];
        if (r.violated !== want) throw new ReplayError(`step ${i + 1}: requirement ${want?.id} does not fail on replay`);
      } else if (!r.bounds || r.violated) {
        throw new ReplayError(`step ${i + 1}: no bounds error on replay`);
      }
    } else if (r.violated || r.bounds) {
      throw new ReplayError(`step ${i + 1}: ${inst.action.name} violates ${r.violated?.id ?? 'bounds'} before the end of the trace`);
    }
    states.push(r.state);
  });
  const end = states[states.length - 1];
  if (claim && !lastIsBad) confirmStateViolation(model, end, claim, all);
  return states;
}

function confirmStateViolation(model: Model, s: State, claim: RawViolation, all: Instance[]): void {
  const props = (kind: string) => model.properties.filter((p) => p.kind === kind);
  switch (claim.kind) {
    case 'invariant': {
      const p = props('invariant')[claim.index];
      if (!p || p.kind !== 'invariant' || evaluate(model, p.expr, s, {})) throw new ReplayError(`invariant ${p?.id} holds at the end of the trace`);
      return;
    }
    case 'quiescence': {
      const p = props('quiescence')[claim.index];
      if (!p || p.kind !== 'quiescence' || !isFinal(model, s) || evaluate(model, p.expr, s, {})) {
        throw new ReplayError(`quiescence ${p?.id} is not violated at the end of the trace`);
      }
      return;
    }
    case 'deadlock':
      if (isFinal(model, s) || enabled(model, s, all).length) throw new ReplayError('the last state of the trace is not a deadlock');
      return;
    case 'cover':
      return;
    default:
      throw new ReplayError(`unexpected claim ${claim.kind}`);
  }
}

/** An instance's parameters as a trace step shows them (`{ self: 'T1', o: 't' }`). */
export function shownParams(inst: Instance): TraceStep['params'] {
  const params: TraceStep['params'] = {};
  inst.action.params.forEach((p, j) => (params[p.name] = showValue(p.sort, inst.params[j])));
  return params;
}

/** Readable trace from a validated path. */
export function renderTrace(model: Model, path: number[], states: State[], all: Instance[] = instancesOf(model)): Trace {
  const steps: TraceStep[] = path.map((id, i) => {
    const inst = all[id];
    const params = shownParams(inst);
    const tp = inst.action.threadParam;
    const thread = tp !== undefined ? String(params[tp]) : undefined;
    const loc = inst.action.loc;
    return { index: i + 1, action: inst.action.name, params, ...(thread ? { thread } : {}), state: showState(model, states[i + 1]), ...(loc ? { loc } : {}) };
  });
  const vars = model.vars.map((d) => ({ name: d.name, sort: d.sort, index: d.index }));
  const ts = model.threadSort;
  const threads = ts ? sortValues(ts).map((v) => String(showValue(ts, v))) : undefined;
  return { initial: showState(model, states[0]), steps, vars, ...(threads ? { threads } : {}) };
}

/**
 * A `bounds` violation's property with what left its range, from the interpreter: `a value left
 * the range of its declared sort: x := 3 is outside 0..2` (or `a: index 2 outside 0..1`).
 * Other properties are returned unchanged. `path` ends with the offending step.
 */
export function withBoundsDetail(ref: PropertyRef, model: Model, path: number[], all: Instance[] = instancesOf(model)): PropertyRef {
  if (ref.kind !== 'bounds' || !path.length) return ref;
  let s = initialState(model);
  for (const id of path.slice(0, -1)) s = step(model, s, all[id]).state;
  const inst = all[path[path.length - 1]];
  const fire = canFire(model, s, inst);
  const detail = fire.bounds ?? step(model, s, inst).bounds;
  return detail ? { ...ref, message: `${ref.message}: ${detail}` } : ref;
}

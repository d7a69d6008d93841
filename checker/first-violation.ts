/**
 * The first path-ending (`unsound` or `liveness`) `requires` violation on a trace, judged on the whole model: replay the trace's steps
 * on the interpreter with every property's requirements in place. A property reachable only
 * past another's violation is a consequence of that one (its root cause).
 *
 * @example
 * firstRequiresViolation(model, result.trace!, { upTo: result.trace!.steps.length - 1 }); // 'refcount.add-on-zero'
 */
import type { Model } from '../model/lang/ir.ts';
import { evaluate, initialState, instancesOf, step, type Instance } from './interpreter.ts';
import type { Trace } from './result.ts';
import { shownParams } from './replay.ts';
import { cutsPath } from '../properties/isolate.ts';

function stepKey(action: string, params: Record<string, unknown>): string {
  return `${action}(${Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(',')})`;
}

/**
 * The id of the first unsound or liveness requirement of `model` that fails along the first `upTo` steps of `trace`
 * (all steps by default), or undefined. The trace must come from `model` or an isolation of it
 * (same actions and parameters).
 */
export function firstRequiresViolation(model: Model, trace: Trace, opts: { upTo?: number } = {}): string | undefined {
  const byKey = new Map<string, Instance>();
  for (const inst of instancesOf(model)) byKey.set(stepKey(inst.action.name, shownParams(inst)), inst);
  let s = initialState(model);
  for (const st of trace.steps.slice(0, opts.upTo ?? trace.steps.length)) {
    const inst = byKey.get(stepKey(st.action, st.params));
    if (!inst) throw new Error(`trace step ${st.index}: no action ${st.action} in model ${model.name}`);
    // Only a violation that ends a path (unsound, liveness) can be another's root cause.
    const env = Object.fromEntries(inst.action.params.map((p, i) => [p.name, inst.params[i]]));
    const bad = inst.action.requires.find((q) => cutsPath(q) && evaluate(model, q.expr, s, env) === 0);
    if (bad) return bad.id;
    s = step(model, s, inst).state;
  }
  return undefined;
}

/**
 * The first `requires` violation on a trace, judged on the whole model: replay the trace's steps
 * on the interpreter with every property's requirements in place. A property reachable only
 * past another's violation is a consequence of that one (its root cause).
 *
 * @example
 * firstRequiresViolation(model, result.trace!, { upTo: result.trace!.steps.length - 1 }); // 'refcount.add-on-zero'
 */
import type { Model } from '../model/lang/ir.ts';
import { showValue } from '../model/lang/ir.ts';
import { initialState, instancesOf, step, type Instance } from './interpreter.ts';
import type { Trace } from './result.ts';

function stepKey(action: string, params: Record<string, unknown>): string {
  return `${action}(${Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(',')})`;
}

/**
 * The id of the first requirement of `model` that fails along the first `upTo` steps of `trace`
 * (all steps by default), or undefined. The trace must come from `model` or an isolation of it
 * (same actions and parameters).
 */
export function firstRequiresViolation(model: Model, trace: Trace, opts: { upTo?: number } = {}): string | undefined {
  const byKey = new Map<string, Instance>();
  for (const inst of instancesOf(model)) {
    const params: Record<string, unknown> = {};
    inst.action.params.forEach((p, i) => (params[p.name] = showValue(p.sort, inst.params[i])));
    byKey.set(stepKey(inst.action.name, params), inst);
  }
  let s = initialState(model);
  for (const st of trace.steps.slice(0, opts.upTo ?? trace.steps.length)) {
    const inst = byKey.get(stepKey(st.action, st.params));
    if (!inst) throw new Error(`trace step ${st.index}: no action ${st.action} in model ${model.name}`);
    const r = step(model, s, inst);
    if (r.violated) return r.violated.id;
    s = r.state;
  }
  return undefined;
}

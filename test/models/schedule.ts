/**
 * Run a hand-written schedule on the interpreter: each entry names a thread and the action it
 * takes; the step must be enabled and must not violate a requirement or leave its sort.
 * Returns the readable state after every step, so a test can check hand-computed values.
 */
import type { Model } from '../../model/lang/ir.ts';
import { initialState, instancesOf, canFire, step, showState, isFinal, type State } from '../../checker/interpreter.ts';

export interface Ran {
  states: Record<string, unknown>[];
  final: boolean;
  last: State;
  /** With `violationAtEnd`: the property the last step violated. */
  violated?: string;
}

/** `violationAtEnd`: the last step may violate a requirement (reported in `violated`). */
export function runSchedule(model: Model, schedule: [thread: string, action: string][], opts: { violationAtEnd?: boolean } = {}): Ran {
  const all = instancesOf(model);
  const threads = model.threadSort && model.threadSort.kind === 'enum' ? model.threadSort.values : [];
  let s = initialState(model);
  const states: Record<string, unknown>[] = [];
  let violated: string | undefined;
  for (const [n, [thread, action]] of schedule.entries()) {
    const t = threads.indexOf(thread);
    const inst = all.find((i) => i.action.name === action && (i.action.threadParam === undefined
      || i.params[i.action.params.findIndex((p) => p.name === i.action.threadParam)] === t) && canFire(model, s, i).enabled);
    if (!inst) throw new Error(`${thread} ${action}: not enabled`);
    const r = step(model, s, inst);
    if (r.violated && !(opts.violationAtEnd && n === schedule.length - 1)) throw new Error(`${thread} ${action}: violates ${r.violated.id}`);
    violated = r.violated?.id;
    if (r.bounds) throw new Error(`${thread} ${action}: ${r.bounds}`);
    s = r.state;
    states.push(showState(model, s));
  }
  return { states, final: isFinal(model, s), last: s, ...(violated ? { violated } : {}) };
}

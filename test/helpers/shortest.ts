/**
 * An independent check that a trace is shortest: breadth-first search on the interpreter alone
 * (no compiled code, no packed states) for the smallest n such that some path of n steps
 * violates a safety property — ends in a state breaking an invariant, a final state breaking
 * quiescence, a deadlock, or takes a step whose `requires` fails or whose value leaves its sort.
 */
import type { Model } from '../../model/lang/ir.ts';
import { canFire, enabled, evaluate, initialState, instancesOf, isFinal, step, type State } from '../../checker/interpreter.ts';

function stateViolates(model: Model, s: State, all: ReturnType<typeof instancesOf>): boolean {
  for (const p of model.properties) {
    if (p.kind === 'invariant' && !evaluate(model, p.expr, s, {})) return true;
    if (p.kind === 'quiescence' && isFinal(model, s) && !evaluate(model, p.expr, s, {})) return true;
  }
  const hasDeadlockCheck = model.properties.some((p) => p.kind === 'deadlock');
  return hasDeadlockCheck && !isFinal(model, s) && enabled(model, s, all).length === 0;
}

/** The smallest violating trace length, or undefined if none within `maxDepth` steps. */
export function minimalViolationDepth(model: Model, maxDepth: number): number | undefined {
  const all = instancesOf(model);
  const key = (s: State) => JSON.stringify(s);
  let level = [initialState(model)];
  const seen = new Set(level.map(key));
  if (stateViolates(model, level[0], all)) return 0;
  for (let d = 0; d < maxDepth && level.length; d++) {
    const next: State[] = [];
    for (const s of level) {
      for (const inst of all) {
        const f = canFire(model, s, inst);
        if (!f.enabled) continue;
        if (f.bounds) return d + 1;
        const r = step(model, s, inst);
        if (r.violated || r.bounds) return d + 1;
        const k = key(r.state);
        if (seen.has(k)) continue;
        seen.add(k);
        if (stateViolates(model, r.state, all)) return d + 1;
        next.push(r.state);
      }
    }
    level = next;
  }
  return undefined;
}

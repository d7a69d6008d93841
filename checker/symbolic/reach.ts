/**
 * Every reachable state of a model, as slot vectors (one value per cell, in `model.vars` order):
 * a plain breadth-first search over good steps with the compiled successor function. The PDR
 * engine mines candidate lemmas from these states; it is not the explicit engine (no symmetry,
 * no trace links), and it stops at `maxStates`. With `orbits`, each successor is replaced by its
 * orbit's representative (checker/symmetry.ts): one state per orbit, for the learners whose
 * candidates do not depend on which member is which (member counts).
 *
 * @example
 * const r = reachableStates(model, 100_000);
 * r.complete; // true when every reachable state is in r.states
 */
import type { Model } from '../../model/lang/ir.ts';
import { compileModel, type CompiledModel } from '../compile.ts';
import { initialState } from '../interpreter.ts';
import { toSlots } from '../layout.ts';
import { canonicaliser } from '../symmetry.ts';

export interface Reachable {
  states: Int32Array[];
  /** False when the search stopped at `maxStates` or found a bad step or state. */
  complete: boolean;
}

/** Breadth-first search of the states reachable by good steps (bad steps are not followed). */
export function reachableStates(model: Model, maxStates: number, compiled: CompiledModel = compileModel(model), opts: { orbits?: boolean } = {}): Reachable {
  const c = compiled;
  const canon = opts.orbits ? canonicaliser(model, c.layout) : undefined;
  const init = toSlots(model, c.layout, initialState(model));
  canon?.canon(init);
  const seen = new Set<string>([init.join(',')]);
  const states: Int32Array[] = [init];
  const n = new Int32Array(init.length);
  let complete = true;
  for (let i = 0; i < states.length && complete; i++) {
    c.successors(states[i], n, (_inst, status) => {
      if (!complete) return;
      if (status !== 0) { complete = false; return; }
      canon?.canon(n);
      const key = n.join(',');
      if (seen.has(key)) return;
      if (states.length >= maxStates) { complete = false; return; }
      seen.add(key);
      states.push(Int32Array.from(n));
    });
  }
  return { states, complete };
}

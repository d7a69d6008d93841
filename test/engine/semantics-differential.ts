/**
 * One differential comparison: a random program checked by protocheck (model/lang's builder,
 * then the explicit engine) and by the reference interpreter of test/helpers/reference-semantics.ts.
 * They must agree on the verdict, the shortest trace's length and the violated property (one of
 * those violated at that length); on a pass, on the number of states and the BFS depth; on a
 * violation, the engine's state count must lie between the reference's counts of states up to
 * one level before and one level after the violation (the engine stops part-way through a level).
 * `compareSteps` compares finer: every thread's step outcomes in every reachable state, against
 * protocheck's IR interpreter.
 *
 * @example
 * const d = differential(spec); // throws on a disagreement; undefined when the spec is too large
 */
import type { Model } from '../../model/lang/ir.ts';
import { runCheck } from '../../checker/check.ts';
import { canFire, instancesOf, step, type State } from '../../checker/interpreter.ts';
import {
  initialState, keyOf, programGraph, referenceBfs, threadOutcomes, type ProgramSpec, type RefResult, type RefState,
} from '../helpers/reference-semantics.ts';
import { buildProgram } from './random-programs.ts';

export interface Agreement {
  verdict: 'pass' | 'violation';
  states: number;
  /** Shortest trace length (violations). */
  length?: number;
  property?: string;
}

/** Compare protocheck with the reference on one spec; undefined when the reference passes `limit` states. */
export function differential(spec: ProgramSpec, limit = 200_000): Agreement | undefined {
  let ref: RefResult;
  try {
    ref = referenceBfs(spec, limit);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('referenceBfs: more than')) return undefined;
    throw err;
  }
  const r = runCheck(buildProgram(spec), { minimise: false });
  const fail = (what: string) => {
    throw new Error(`${what}\n  reference: ${ref.shortest === undefined ? 'pass' : `violation at ${ref.shortest} of ${[...ref.properties].join(', ')}`}, ${ref.states} states, depth ${ref.depth}\n  protocheck: ${r.verdict}${r.property ? ` ${r.property.id}` : ''} at ${r.trace?.steps.length}, ${r.stats.states} states, depth ${r.stats.depth}`);
  };
  if (ref.shortest === undefined) {
    if (r.verdict !== 'pass') fail('verdicts differ');
    if (r.stats.states !== ref.states) fail('state counts differ');
    if (r.stats.depth !== ref.depth) fail('depths differ');
    return { verdict: 'pass', states: ref.states };
  }
  if (r.verdict !== 'violation' || !r.property || !r.trace) return fail('verdicts differ');
  if (r.trace.steps.length !== ref.shortest) fail('shortest lengths differ');
  if (!ref.properties.has(r.property.id)) fail('violated properties differ');
  const L = ref.shortest;
  const lo = ref.upTo[Math.max(0, L - 1)];
  const hi = ref.upTo[Math.min(L + 1, ref.upTo.length - 1)];
  if (r.stats.states < lo || r.stats.states > hi) fail(`state count outside ${lo}..${hi}`);
  return { verdict: 'violation', states: r.stats.states, length: L, property: r.property.id };
}

/** The reference's form of an IR state: the same cells, positions by label. */
function toRef(spec: ProgramSpec, labels: string[], s: State): RefState {
  const cells: Record<string, number[]> = {};
  for (const v of spec.ints) cells[v.name] = [...s[v.name]];
  for (const v of spec.bools) cells[v.name] = [...s[v.name]];
  if (spec.arr) cells.arr = [...s.arr];
  if (spec.local) cells.l = [...s.l];
  return { cells, pc: s.pc.map((i) => labels[i]) };
}

function toIr(labels: string[], s: RefState): State {
  return { pc: s.pc.map((l) => labels.indexOf(l)), ...Object.fromEntries(Object.entries(s.cells).map(([k, v]) => [k, [...v]])) };
}

/**
 * Compare every thread's outcomes in every state the reference reaches (at most `limit`);
 * returns the number of states compared and of outcomes that were violations.
 */
export function compareSteps(spec: ProgramSpec, model: Model, limit = 20_000): { states: number; violations: number } {
  const graphs = spec.programs.map((p) => programGraph(p.body));
  const labels = (model.vars.find((v) => v.name === 'pc')!.sort as { values: string[] }).values;
  const all = instancesOf(model);
  const init = initialState(spec, graphs);
  const seen = new Set([keyOf(init)]);
  const todo = [init];
  let violations = 0;
  while (todo.length && seen.size <= limit) {
    const s = todo.shift()!;
    const ir = toIr(labels, s);
    spec.threads.forEach((_, self) => {
      const ref: string[] = [];
      for (const o of threadOutcomes(spec, graphs, s, self)) {
        if (o.out.k !== 'ok') violations++;
        ref.push(o.out.k === 'ok' ? `ok ${keyOf(o.next!)}` : o.out.k === 'requires' ? `requires ${o.out.id}` : 'bounds');
        if (o.next && !seen.has(keyOf(o.next))) { seen.add(keyOf(o.next)); todo.push(o.next); }
      }
      const got: string[] = [];
      for (const inst of all.filter((i) => i.params[0] === self)) {
        const f = canFire(model, ir, inst);
        if (!f.enabled) continue;
        if (f.bounds) { got.push('bounds'); continue; }
        const r = step(model, ir, inst);
        got.push(r.violated ? `requires ${r.violated.id}` : r.bounds ? 'bounds' : `ok ${keyOf(toRef(spec, labels, r.state))}`);
      }
      if (JSON.stringify(ref.sort()) !== JSON.stringify(got.sort())) {
        throw new Error(`thread ${spec.threads[self]} in ${keyOf(s)}:\n  reference:  ${JSON.stringify(ref)}\n  protocheck: ${JSON.stringify(got)}`);
      }
    });
  }
  return { states: seen.size, violations };
}


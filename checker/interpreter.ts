/**
 * The IR interpreter: the reference semantics every engine is held to. Deliberately plain:
 * a state maps each variable to its cells (row-major), expressions are evaluated recursively.
 */
import type { Action, Expr, Model, Requirement, VarDecl } from '../model/lang/ir.ts';
import { cardinality, inSort, ordinal, sortName, sortValues, cellCount, showValue } from '../model/lang/ir.ts';

export type State = Record<string, number[]>;
type Env = Record<string, number>;

/** One action with concrete parameter values. */
export interface Instance {
  id: number;
  action: Action;
  actionIndex: number;
  params: number[];
}

/** Raised when a value leaves its sort (assignment or array index): property `bounds`. */
export class BoundsError extends Error {}

export const BOUNDS_PROPERTY = { id: 'bounds', message: 'a value left the range of its declared sort' };

/** Every action instance in the canonical order (action order, then parameter tuples row-major). */
export function instancesOf(model: Model): Instance[] {
  const out: Instance[] = [];
  model.actions.forEach((action, actionIndex) => {
    let tuples: number[][] = [[]];
    for (const p of action.params) {
      const vals = p.values ?? sortValues(p.sort);
      tuples = tuples.flatMap((t) => vals.map((v) => [...t, v]));
    }
    for (const params of tuples) out.push({ id: out.length, action, actionIndex, params });
  });
  return out;
}

export function initialState(model: Model): State {
  const s: State = {};
  for (const v of model.vars) {
    const n = cellCount(v);
    s[v.name] = Array.isArray(v.init) ? [...v.init] : new Array(n).fill(v.init);
  }
  return s;
}

function declOf(model: Model, name: string): VarDecl {
  const d = model.vars.find((v) => v.name === name);
  if (!d) throw new Error(`unknown variable ${name}`);
  return d;
}

/** Row-major cell offset of an index tuple; throws BoundsError when an index is outside its sort. */
export function cellOffset(decl: VarDecl, idx: number[]): number {
  let off = 0;
  decl.index.forEach((s, i) => {
    if (!inSort(s, idx[i])) throw new BoundsError(`${decl.name}: index ${idx[i]} outside ${sortName(s)}`);
    off = off * cardinality(s) + ordinal(s, idx[i]);
  });
  return off;
}

export function evaluate(model: Model, e: Expr, s: State, env: Env): number {
  const ev = (x: Expr) => evaluate(model, x, s, env);
  switch (e.op) {
    case 'lit': return e.value;
    case 'param': {
      if (!(e.name in env)) throw new Error(`unbound ${e.name}`);
      return env[e.name];
    }
    case 'var': {
      const d = declOf(model, e.name);
      return s[e.name][cellOffset(d, e.index.map(ev))];
    }
    case 'add': return ev(e.a) + ev(e.b);
    case 'sub': return ev(e.a) - ev(e.b);
    case 'eq': return ev(e.a) === ev(e.b) ? 1 : 0;
    case 'ne': return ev(e.a) !== ev(e.b) ? 1 : 0;
    case 'lt': return ev(e.a) < ev(e.b) ? 1 : 0;
    case 'le': return ev(e.a) <= ev(e.b) ? 1 : 0;
    case 'gt': return ev(e.a) > ev(e.b) ? 1 : 0;
    case 'ge': return ev(e.a) >= ev(e.b) ? 1 : 0;
    case 'implies': return !ev(e.a) || ev(e.b) ? 1 : 0;
    case 'and': return e.args.every((x) => ev(x)) ? 1 : 0;
    case 'or': return e.args.some((x) => ev(x)) ? 1 : 0;
    case 'not': return ev(e.a) ? 0 : 1;
    case 'ite': return ev(e.c) ? ev(e.t) : ev(e.e);
    case 'forall': case 'exists': case 'count': {
      // forall/exists stop at the first deciding value, like the compiled engine's && and ||.
      let n = 0;
      for (const v of sortValues(e.over)) {
        const b = evaluate(model, e.body, s, { ...env, [e.v]: v });
        if (e.op === 'forall' && !b) return 0;
        if (e.op === 'exists' && b) return 1;
        if (b) n++;
      }
      return e.op === 'count' ? n : e.op === 'forall' ? 1 : 0;
    }
    case 'cyclic': {
      const d = declOf(model, e.name);
      const k = cardinality(d.index[0]);
      const cells = s[e.name];
      // A cycle exists iff some node reaches itself: reachability by repeated relaxation.
      for (let start = 0; start < k; start++) {
        const seen = new Array(k).fill(false);
        const stack = [start];
        while (stack.length) {
          const a = stack.pop()!;
          for (let b = 0; b < k; b++) {
            if (!cells[a * k + b]) continue;
            if (b === start) return 1;
            if (!seen[b]) { seen[b] = true; stack.push(b); }
          }
        }
      }
      return 0;
    }
  }
}

function envOf(inst: Instance): Env {
  const env: Env = {};
  inst.action.params.forEach((p, i) => (env[p.name] = inst.params[i]));
  return env;
}

export function isEnabled(model: Model, s: State, inst: Instance): boolean {
  return evaluate(model, inst.action.guard, s, envOf(inst)) !== 0;
}

export interface StepResult {
  /** The successor (also computed for a requirement violation, for the trace). */
  state: State;
  /** The first requirement that is false in the pre-state. */
  violated?: Requirement;
  /** Set when a value left its sort: the successor is not a legal state. */
  bounds?: string;
}

/**
 * Take an enabled instance: check its requirements (first false one wins), then apply its
 * assignments in parallel. A value or index outside its sort makes the step a `bounds`
 * violation whose successor is the unchanged pre-state.
 */
export function step(model: Model, s: State, inst: Instance): StepResult {
  const env = envOf(inst);
  let violated: Requirement | undefined;
  const next: State = {};
  for (const k of Object.keys(s)) next[k] = [...s[k]];
  try {
    violated = inst.action.requires.find((r) => evaluate(model, r.expr, s, env) === 0);
    const writes = inst.action.assigns.map((a) => {
      const d = declOf(model, a.name);
      return { d, off: cellOffset(d, a.index.map((x) => evaluate(model, x, s, env))), value: evaluate(model, a.value, s, env) };
    });
    const bad = writes.find((w) => !inSort(w.d.sort, w.value));
    if (bad) throw new BoundsError(`${bad.d.name} := ${bad.value} is outside ${sortName(bad.d.sort)}`);
    for (const w of writes) next[w.d.name][w.off] = w.value;
  } catch (err) {
    if (!(err instanceof BoundsError)) throw err;
    for (const k of Object.keys(s)) next[k] = [...s[k]];
    return { state: next, violated, bounds: err.message };
  }
  return { state: next, violated };
}

/**
 * Whether an instance can fire; a guard that fails a bounds check counts as enabled, so that
 * taking it reports the `bounds` violation (the compiled engine does the same).
 */
export function canFire(model: Model, s: State, inst: Instance): { enabled: boolean; bounds?: string } {
  try {
    return { enabled: isEnabled(model, s, inst) };
  } catch (err) {
    if (err instanceof BoundsError) return { enabled: true, bounds: err.message };
    throw err;
  }
}

/** Enabled instances in canonical order. */
export function enabled(model: Model, s: State, all: Instance[] = instancesOf(model)): Instance[] {
  return all.filter((i) => canFire(model, s, i).enabled);
}

export function isFinal(model: Model, s: State): boolean {
  return evaluate(model, model.final, s, {}) !== 0;
}

/** The state as readable JSON: scalars as values, arrays as objects keyed by index names. */
export function showState(model: Model, s: State): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of model.vars) {
    const cells = s[d.name];
    if (d.index.length === 0) { out[d.name] = showValue(d.sort, cells[0]); continue; }
    const build = (level: number, offset: number): unknown => {
      const isort = d.index[level];
      const obj: Record<string, unknown> = {};
      const stride = d.index.slice(level + 1).reduce((n, x) => n * cardinality(x), 1);
      sortValues(isort).forEach((v, i) => {
        const key = String(showValue(isort, v));
        obj[key] = level === d.index.length - 1 ? showValue(d.sort, cells[offset + i]) : build(level + 1, offset + i * stride);
      });
      return obj;
    };
    out[d.name] = build(0, 0);
  }
  return out;
}

export function statesEqual(a: State, b: State): boolean {
  return Object.keys(a).every((k) => a[k].length === b[k].length && a[k].every((x, i) => x === b[k][i]));
}

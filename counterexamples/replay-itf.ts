/**
 * Replay a trace made elsewhere (ITF, e.g. from Apalache, Quint or an earlier protocheck run)
 * against a model, step by step on the interpreter. The report names the first step that is
 * not a legal transition and why, or, for a legal trace, the first property it violates.
 *
 * A step is identified by the action in the state's `#meta` (`action`, `thread`, `params`)
 * or in `mbt::actionTaken` / `mbt::nondetPicks`; when both are present they must agree. With
 * neither, any action whose successor is the next state will do. Variables are matched by
 * name, or by the last `::` segment (Quint qualifies names with their module). A value given as
 * `{"#unserializable": ...}` (a variable or one cell of it) is not checked: the model's own value
 * stands there and the replay goes on from it.
 *
 * @example
 * const itf = parseItf(readFileSync('t.itf.json', 'utf8'), 't.itf.json');
 * const rep = replayItf(model, itf);
 * if (!rep.ok) console.log(`step ${rep.step}: ${rep.reason}`);
 */
import type { Model } from '../model/lang/ir.ts';
import { showValue, sortValues } from '../model/lang/ir.ts';
import {
  canFire, evaluate, initialState, instancesOf, isFinal, enabled, showState, step, statesEqual, type Instance, type State,
} from '../checker/interpreter.ts';
import { ACTION_TAKEN, NONDET_PICKS, ItfValueError, decodeScalar, decodeVar, isUnserializable, type ItfTrace } from './itf.ts';
import { InputError, parseJsonInput, validateInput } from './input.ts';

export interface ReplayViolation {
  id: string;
  kind: 'invariant' | 'requires' | 'deadlock' | 'quiescence' | 'bounds';
  message: string;
  /** The step (1-based; 0 = the initial state) where it shows. */
  step: number;
}

export type ReplayReport =
  | { ok: true; steps: number; violation?: ReplayViolation }
  | { ok: false; step: number; reason: string; steps: number };

/** Parse and schema-validate an ITF file's text; throws InputError naming the JSON path at fault. */
export function parseItf(text: string, source = 'trace'): ItfTrace {
  const data = parseJsonInput(text, source);
  validateInput(data, 'itf.schema.json', source);
  return data as ItfTrace;
}

interface Claim {
  action?: string;
  thread?: string;
  params: Record<string, unknown>;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The step that led to state i, as the trace claims it; throws a reason string on disagreement. */
function claimOf(s: Record<string, unknown>): Claim {
  const meta = isObj(s['#meta']) ? s['#meta'] : {};
  const fromMeta: Claim = {
    ...(typeof meta.action === 'string' ? { action: meta.action } : {}),
    ...(typeof meta.thread === 'string' ? { thread: meta.thread } : {}),
    params: isObj(meta.params) ? meta.params : {},
  };
  const taken = s[ACTION_TAKEN];
  const picks = s[NONDET_PICKS];
  const mbtParams: Record<string, unknown> = {};
  if (isObj(picks)) {
    for (const [k, v] of Object.entries(picks)) {
      if (isObj(v) && v.tag === 'Some') mbtParams[k] = v.value;
      else if (!(isObj(v) && v.tag === 'None')) throw `${NONDET_PICKS}.${k}: expected {"tag": "Some", "value": …} or {"tag": "None", …}`;
    }
  } else if (picks !== undefined) throw `${NONDET_PICKS}: expected a record of picks`;
  if (taken !== undefined && typeof taken !== 'string') throw `${ACTION_TAKEN}: expected the action name (a string)`;
  if (fromMeta.action !== undefined && taken !== undefined && fromMeta.action !== taken) {
    throw `#meta.action is '${fromMeta.action}' but ${ACTION_TAKEN} is '${taken}'`;
  }
  if (picks !== undefined && isObj(meta.params)) {
    const keys = new Set([...Object.keys(mbtParams), ...Object.keys(fromMeta.params)]);
    for (const k of keys) {
      if (JSON.stringify(mbtParams[k]) !== JSON.stringify(fromMeta.params[k])) {
        throw `#meta.params.${k} is ${JSON.stringify(fromMeta.params[k])} but ${NONDET_PICKS}.${k} is ${JSON.stringify(mbtParams[k] ?? 'None')}`;
      }
    }
  }
  return { ...fromMeta, ...(taken !== undefined ? { action: taken as string } : {}), params: picks !== undefined ? mbtParams : fromMeta.params };
}

/** `name(k=v, …)` of an instance. */
export function instanceText(inst: Instance): string {
  const ps = inst.action.params.map((p, i) => `${p.name}=${showValue(p.sort, inst.params[i])}`);
  return `${inst.action.name}(${ps.join(', ')})`;
}

/** Cells that differ: `refcount: model 0, trace 1`. */
function differences(model: Model, got: State, want: State): string[] {
  const flat = (s: State) => {
    const out = new Map<string, unknown>();
    const go = (prefix: string, v: unknown) => {
      if (isObj(v)) for (const [k, x] of Object.entries(v)) go(`${prefix}[${k}]`, x);
      else out.set(prefix, v);
    };
    for (const [k, v] of Object.entries(showState(model, s))) go(k, v);
    return out;
  };
  const a = flat(got), b = flat(want);
  return [...a].filter(([k, v]) => b.get(k) !== v).map(([k, v]) => `${k} is ${v} after the step, the trace has ${b.get(k)}`);
}

interface Decoded {
  state: State;
  /** Per variable, the cells the trace leaves out ({"#unserializable": ...}). */
  unknown: Record<string, number[]>;
}

/** The trace's state with the cells it leaves out taken from `model` (the model's own state there). */
function fill(d: Decoded, model: State): State {
  const names = Object.keys(d.unknown);
  if (!names.length) return d.state;
  const out: State = { ...d.state };
  for (const n of names) {
    out[n] = [...d.state[n]];
    for (const c of d.unknown[n]) out[n][c] = model[n][c];
  }
  return out;
}

/** Replay a parsed ITF trace on the model. Throws InputError when its variables do not fit the model. */
export function replayItf(model: Model, itf: ItfTrace, source = 'trace'): ReplayReport {
  const all = instancesOf(model);
  // Which ITF name holds each model variable.
  const names = itf.vars.filter((v) => !v.startsWith('mbt::'));
  const nameOf = new Map<string, string>();
  for (const d of model.vars) {
    const n = names.find((x) => x === d.name) ?? names.find((x) => x.endsWith(`::${d.name}`));
    if (!n) throw new InputError(`${source}: vars: no variable '${d.name}' (model ${model.name} has: ${model.vars.map((x) => x.name).join(', ')})`, 'vars');
    nameOf.set(d.name, n);
  }
  const extra = names.find((x) => ![...nameOf.values()].includes(x));
  if (extra) throw new InputError(`${source}: vars: '${extra}' is not a variable of model ${model.name}`, 'vars');
  itf.states.forEach((s, i) => {
    const missing = itf.vars.find((v) => !(v in s));
    if (missing) throw new InputError(`${source}: states[${i}]: missing variable '${missing}' (every state must give every variable in vars)`, `states[${i}]`);
  });

  const total = itf.states.length - 1;
  const fail = (stepNo: number, reason: string): ReplayReport => ({ ok: false, step: stepNo, reason, steps: total });
  /** State i as the trace gives it, and the cells it leaves out (#unserializable), per variable. */
  const decode = (i: number): Decoded => {
    const s = itf.states[i] as Record<string, unknown>;
    const state: State = {};
    const unknown: Record<string, number[]> = {};
    for (const d of model.vars) {
      const n = nameOf.get(d.name)!;
      const cells: number[] = [];
      state[d.name] = decodeVar({ name: d.name, sort: d.sort, index: d.index }, s[n], `states[${i}][${JSON.stringify(n)}]`, cells);
      if (cells.length) unknown[d.name] = cells;
    }
    return { state, unknown };
  };

  let prev: State;
  let first: Decoded;
  try {
    first = decode(0);
  } catch (err) {
    if (err instanceof ItfValueError) return fail(0, err.message);
    throw err;
  }
  const init = initialState(model);
  prev = fill(first, init);
  if (!statesEqual(init, prev)) {
    return fail(0, `state 0 is not the initial state of ${model.name}: ${differences(model, init, prev).map((d) => d.replace(' after the step', '')).join('; ')}`);
  }
  let violation: ReplayViolation | undefined;
  const stateViolation = (s: State, at: number, last: boolean): ReplayViolation | undefined => {
    for (const p of model.properties) {
      if (p.kind === 'invariant' && !evaluate(model, p.expr, s, {})) return { id: p.id, kind: 'invariant', message: p.message, step: at };
    }
    if (isFinal(model, s)) {
      for (const p of model.properties) {
        if (p.kind === 'quiescence' && !evaluate(model, p.expr, s, {})) return { id: p.id, kind: 'quiescence', message: p.message, step: at };
      }
    } else if (last && enabled(model, s, all).length === 0) {
      const p = model.properties.find((x) => x.kind === 'deadlock');
      if (p) return { id: p.id, kind: 'deadlock', message: p.message, step: at };
    }
    return undefined;
  };
  violation = stateViolation(prev, 0, total === 0);

  for (let i = 1; i <= total; i++) {
    let given: Decoded;
    let claim: Claim;
    try {
      given = decode(i);
      claim = claimOf(itf.states[i] as Record<string, unknown>);
    } catch (err) {
      if (err instanceof ItfValueError) return fail(i, err.message);
      if (typeof err === 'string') return fail(i, `states[${i}]: ${err}`);
      throw err;
    }
    // The instances the claim allows.
    let candidates = all;
    if (claim.action !== undefined) {
      candidates = all.filter((x) => x.action.name === claim.action);
      if (!candidates.length) return fail(i, `model ${model.name} has no action '${claim.action}'`);
      const action = candidates[0].action;
      const fixed = new Map<number, number>();
      for (const [k, v] of Object.entries(claim.params)) {
        const j = action.params.findIndex((p) => p.name === k);
        if (j < 0) {
          // Picks of other actions' parameters are None in Quint's form; a Some here is an error.
          return fail(i, `action ${action.name} has no parameter '${k}'`);
        }
        if (isUnserializable(v)) continue; // the trace does not say: any value
        try {
          fixed.set(j, decodeScalar(action.params[j].sort, v, `states[${i}]["#meta"].params.${k}`));
        } catch (err) {
          if (err instanceof ItfValueError) return fail(i, err.message);
          throw err;
        }
      }
      if (claim.thread !== undefined) {
        const tp = action.threadParam;
        const j = tp === undefined ? -1 : action.params.findIndex((p) => p.name === tp);
        if (j < 0) return fail(i, `action ${action.name} is not taken by a thread, but the trace says thread ${claim.thread}`);
        const sort = action.params[j].sort;
        const code = sortValues(sort).find((x) => String(showValue(sort, x)) === claim.thread);
        if (code === undefined) return fail(i, `thread '${claim.thread}' is not a thread of model ${model.name}`);
        if (fixed.has(j) && fixed.get(j) !== code) {
          return fail(i, `the trace says thread ${claim.thread} but parameter ${tp} is ${showValue(sort, fixed.get(j)!)}`);
        }
        fixed.set(j, code);
      }
      candidates = candidates.filter((x) => [...fixed].every(([j, v]) => x.params[j] === v));
      if (!candidates.length) return fail(i, `no instance of ${action.name} has the parameters ${JSON.stringify(claim.params)}`);
    }
    const tried: string[] = [];
    let taken: { inst: Instance; state: State; violated?: { id: string; message: string }; bounds?: string } | undefined;
    let mismatch: string | undefined;
    for (const inst of candidates) {
      const f = canFire(model, prev, inst);
      if (!f.enabled) continue;
      const r = f.bounds ? { state: prev, bounds: f.bounds, violated: undefined } : step(model, prev, inst);
      tried.push(instanceText(inst));
      const want = fill(given, r.state);
      if (statesEqual(r.state, want)) { taken = { inst, ...r }; break; }
      if (candidates.length === 1) mismatch = differences(model, r.state, want).join('; ');
    }
    if (!taken) {
      if (claim.action === undefined) return fail(i, `no action of ${model.name} leads from state ${i - 1} to state ${i}${tried.length ? ` (enabled: ${tried.slice(0, 4).join(', ')}${tried.length > 4 ? ', …' : ''})` : ' (no action is enabled)'}`);
      if (!tried.length) return fail(i, `${candidates.length === 1 ? instanceText(candidates[0]) : claim.action} is not enabled in state ${i - 1}`);
      if (mismatch !== undefined) return fail(i, `${tried[0]}: ${mismatch}`);
      return fail(i, `no enabled instance of ${claim.action} leads to state ${i} (tried ${tried.join(', ')})`);
    }
    if (taken.bounds && i < total) {
      return fail(i, `${instanceText(taken.inst)}: ${taken.bounds}; a trace cannot go on after a value leaves its sort`);
    }
    if (!violation) {
      if (taken.violated) violation = { id: taken.violated.id, kind: 'requires', message: taken.violated.message, step: i };
      else if (taken.bounds) violation = { id: 'bounds', kind: 'bounds', message: taken.bounds, step: i };
      else violation = stateViolation(taken.state, i, i === total);
    }
    prev = taken.state;
  }
  if (itf.loop !== undefined) {
    if (itf.loop > total) return fail(total, `loop ${itf.loop} is past the last state ${total}`);
    const back = decode(itf.loop);
    const ok = enabled(model, prev, all).some((inst) => {
      const next = step(model, prev, inst).state;
      return statesEqual(next, fill(back, next));
    });
    if (!ok) return fail(total + 1, `no action leads from the last state back to state ${itf.loop}, where the loop starts`);
  }
  return { ok: true, steps: total, ...(violation ? { violation } : {}) };
}

/** One paragraph for the CLI. */
export function replayReportText(rep: ReplayReport, modelName: string): string {
  if (!rep.ok) return `replay FAILED at step ${rep.step} of ${rep.steps}: ${rep.reason}`;
  const v = rep.violation;
  const tail = v
    ? `; it shows a violation of ${v.id} (${v.message}) ${v.step === 0 ? 'in the initial state' : `at step ${v.step}`}`
    : '; it violates no property';
  return `replay OK: all ${rep.steps} steps are legal transitions of ${modelName}${tail}`;
}

/**
 * ITF, the Informal Trace Format of Apalache (ADR-015), as written for Apalache and Quint tools:
 * every integer is `{"#bigint": "n"}`, an array variable is a `#map` from its index (a `#tup`
 * of indices for an array over several sorts) to its cells, enumerations and thread ids are
 * strings, bools are JSON booleans. Each state after the first carries the step that led to it
 * twice: in its `#meta` (`action`, `thread`, `params`) and, the way Quint's `--mbt` writes it,
 * in the variables `mbt::actionTaken` (`"init"` in the first state) and `mbt::nondetPicks` (a
 * record of every parameter name in the trace, `Some(value)` when the step picked it, else
 * `None`).
 *
 * @example
 * const itf = toItf(runCheck(model));
 * writeFileSync('trace.itf.json', JSON.stringify(itf, null, 2));
 */
import type { Sort } from '../model/lang/ir.ts';
import { cardinality, inSort, ordinal, parseValue, showValue, sortName, sortValues } from '../model/lang/ir.ts';
import type { Result, TraceVar } from '../checker/result.ts';
import { formatLoc } from '../model/lang/source.ts';

export const ITF_FORMAT_URL = 'https://apalache-mc.org/docs/adr/015adr-trace.html';
export const ACTION_TAKEN = 'mbt::actionTaken';
export const NONDET_PICKS = 'mbt::nondetPicks';

export type ItfValue =
  | boolean
  | string
  | ItfValue[]
  | { '#bigint': string }
  | { '#tup': ItfValue[] }
  | { '#set': ItfValue[] }
  | { '#map': [ItfValue, ItfValue][] }
  | { [field: string]: ItfValue };

export interface ItfState {
  '#meta'?: Record<string, unknown>;
  [name: string]: ItfValue | Record<string, unknown> | undefined;
}

export interface ItfTrace {
  '#meta'?: Record<string, unknown>;
  params?: string[];
  vars: string[];
  states: ItfState[];
  loop?: number;
}

/** Raised when a value does not fit its sort; `path` names the JSON location. */
export class ItfValueError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
  }
}

export function bigint(n: number): { '#bigint': string } {
  return { '#bigint': String(n) };
}

/** One value of a finite sort, from its readable form (`true`, `3`, `'Locked'`, `'T2'`). */
export function encodeScalar(sort: Sort, readable: unknown): ItfValue {
  switch (sort.kind) {
    case 'bool': return readable === true;
    case 'range': case 'int': return bigint(Number(readable));
    case 'enum': case 'scalarset': return String(readable);
  }
}

/** A value of unknown sort (a step parameter in a saved result): by its JSON type. */
export function encodeLoose(x: unknown): ItfValue {
  if (typeof x === 'number') return bigint(x);
  if (typeof x === 'boolean') return x;
  return String(x);
}

/** Every index tuple of an array variable, row-major. */
function tuples(index: Sort[]): number[][] {
  let out: number[][] = [[]];
  for (const s of index) out = out.flatMap((t) => sortValues(s).map((v) => [...t, v]));
  return out;
}

/** A variable's ITF value from its readable form (a scalar, or nested objects keyed by index names). */
export function encodeVar(v: TraceVar, readable: unknown): ItfValue {
  if (v.index.length === 0) return encodeScalar(v.sort, readable);
  const entries: [ItfValue, ItfValue][] = tuples(v.index).map((t) => {
    let cell: unknown = readable;
    t.forEach((x, i) => (cell = (cell as Record<string, unknown>)?.[String(showValue(v.index[i], x))]));
    const keys = t.map((x, i) => encodeScalar(v.index[i], showValue(v.index[i], x)));
    return [keys.length === 1 ? keys[0] : { '#tup': keys }, encodeScalar(v.sort, cell)];
  });
  return { '#map': entries };
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Decode one ITF value of a finite sort to its integer code; throws ItfValueError. */
export function decodeScalar(sort: Sort, x: unknown, path: string): number {
  const bad = (what: string) => new ItfValueError(path, what);
  switch (sort.kind) {
    case 'bool':
      if (typeof x !== 'boolean') throw bad(`expected a bool (true or false), got ${JSON.stringify(x)}`);
      return x ? 1 : 0;
    case 'range': case 'int': {
      if (!isObj(x) || typeof x['#bigint'] !== 'string' || !/^-?\d+$/.test(x['#bigint'])) {
        throw bad(`expected an integer written {"#bigint": "n"}, got ${JSON.stringify(x)}`);
      }
      const n = Number(x['#bigint']);
      if (!Number.isSafeInteger(n) || !inSort(sort, n)) throw bad(`${x['#bigint']} is outside ${sortName(sort)}`);
      return n;
    }
    case 'enum': case 'scalarset': {
      const code = typeof x === 'string' ? parseValue(sort, x) : undefined;
      if (code === undefined) {
        const names = sortValues(sort).map((v) => String(showValue(sort, v)));
        throw bad(`expected one of ${names.join(', ')} (${sortName(sort)}), got ${JSON.stringify(x)}`);
      }
      return code;
    }
  }
}

/** Decode a variable's ITF value to its cells (row-major); throws ItfValueError naming the path. */
export function decodeVar(v: TraceVar, x: unknown, path: string): number[] {
  if (v.index.length === 0) return [decodeScalar(v.sort, x, path)];
  if (!isObj(x) || !Array.isArray(x['#map'])) throw new ItfValueError(path, `expected an array variable written {"#map": [[index, value], ...]}, got ${JSON.stringify(x)?.slice(0, 60)}`);
  const total = v.index.reduce((n, s) => n * cardinality(s), 1);
  const cells = new Array<number | undefined>(total).fill(undefined);
  (x['#map'] as unknown[]).forEach((entry, i) => {
    const at = `${path}["#map"][${i}]`;
    if (!Array.isArray(entry) || entry.length !== 2) throw new ItfValueError(at, 'expected a [key, value] pair');
    let keys: unknown[];
    if (v.index.length === 1) keys = [entry[0]];
    else {
      const k = entry[0];
      if (!isObj(k) || !Array.isArray(k['#tup']) || k['#tup'].length !== v.index.length) {
        throw new ItfValueError(`${at}[0]`, `expected a key {"#tup": [...]} of ${v.index.length} indices`);
      }
      keys = k['#tup'];
    }
    let off = 0;
    keys.forEach((k, j) => {
      const code = decodeScalar(v.index[j], k, v.index.length === 1 ? `${at}[0]` : `${at}[0]["#tup"][${j}]`);
      off = off * cardinality(v.index[j]) + ordinal(v.index[j], code);
    });
    if (cells[off] !== undefined) throw new ItfValueError(`${at}[0]`, 'this index appears twice');
    cells[off] = decodeScalar(v.sort, entry[1], `${at}[1]`);
  });
  const missing = cells.findIndex((c) => c === undefined);
  if (missing >= 0) {
    const t = tuples(v.index)[missing].map((c, j) => String(showValue(v.index[j], c)));
    throw new ItfValueError(path, `no entry for index [${t.join('][')}] (every cell of ${v.name} must be given)`);
  }
  return cells as number[];
}

/** The ITF trace of a result's counterexample. Throws when the result has no trace or no variable sorts. */
export function toItf(result: Result): ItfTrace {
  const t = result.trace;
  if (!t) throw new Error(`no trace to export: the verdict is ${result.verdict}`);
  if (!t.vars) throw new Error('this result has no variable sorts (trace.vars); re-run the check to export ITF');
  const vars = t.vars;
  const paramNames: string[] = [];
  for (const s of t.steps) for (const k of Object.keys(s.params)) if (!paramNames.includes(k)) paramNames.push(k);
  const none = { tag: 'None', value: { '#tup': [] } };
  const picks = (params: Record<string, unknown> | undefined) =>
    Object.fromEntries(paramNames.map((k) => [k, params && k in params ? { tag: 'Some', value: encodeLoose(params[k]) } : none]));
  const stateOf = (i: number): ItfState => {
    const readable = i === 0 ? t.initial : t.steps[i - 1].state;
    const s = i === 0 ? undefined : t.steps[i - 1];
    const meta: Record<string, unknown> = { index: i };
    if (s) {
      meta.action = s.action;
      if (s.thread) meta.thread = s.thread;
      meta.params = Object.fromEntries(Object.entries(s.params).map(([k, v]) => [k, encodeLoose(v)]));
    }
    const out: ItfState = { '#meta': meta };
    for (const v of vars) out[v.name] = encodeVar(v, readable[v.name]);
    out[ACTION_TAKEN] = s ? s.action : 'init';
    out[NONDET_PICKS] = picks(s?.params) as ItfValue;
    return out;
  };
  const p = result.property;
  const name = `${result.model.name}${result.model.variant ? `/${result.model.variant}` : ''}`;
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_FORMAT_URL,
      source: result.model.file ?? result.model.name,
      description: `protocheck counterexample for ${name}${p ? `: ${p.id}: ${p.message}` : ''}`,
      status: result.verdict,
      model: result.model,
      bounds: result.bounds,
      ...(p ? { property: { id: p.id, kind: p.kind, message: p.message, ...(p.action ? { action: p.action } : {}), ...(p.loc ? { loc: formatLoc(p.loc) } : {}) } } : {}),
    },
    vars: [...vars.map((v) => v.name), ACTION_TAKEN, NONDET_PICKS],
    states: Array.from({ length: t.steps.length + 1 }, (_, i) => stateOf(i)),
  };
}

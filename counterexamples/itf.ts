/**
 * ITF, the Informal Trace Format of Apalache (ADR-015), as written for Apalache and Quint tools:
 * every integer is `{"#bigint": "n"}`, an array variable is a `#map` from its index (a `#tup`
 * of indices for an array over several sorts) to its cells, enumerations and thread ids are
 * strings, bools are JSON booleans. Each state after the first carries the step that led to it
 * twice: in its `#meta` (`action`, `thread`, `params`) and, the way Quint's `--mbt` writes it,
 * in the variables `mbt::actionTaken` (`"init"` in the first state) and `mbt::nondetPicks` (a
 * record of every parameter name in the trace, `Some(value)` when the step picked it, else
 * `None`). The trace's `#meta.varTypes` gives each variable's type in Apalache's type syntax
 * (ADR-002): `Bool`, `Int`, `Str` (enumerations and thread ids), `Str -> Int` for an array,
 * `<<Str, Str>> -> Bool` for one over two sorts.
 *
 * Read back (`decodeVar`), an integer may also be a plain JSON integer in the safe range (as
 * ADR-015 allowed before its 2023-09-14 revision), and a value `{"#unserializable": "..."}`
 * stands for one the trace does not give: its cells are reported in `unknown`.
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
      // A plain JSON integer: ADR-015 before 2023-09-14 wrote those in the safe range.
      if (typeof x === 'number' && Number.isSafeInteger(x)) {
        if (!inSort(sort, x)) throw bad(`${x} is outside ${sortName(sort)}`);
        return x;
      }
      if (!isObj(x) || typeof x['#bigint'] !== 'string' || !/^-?\d+$/.test(x['#bigint'])) {
        throw bad(`expected an integer written {"#bigint": "n"} (or a JSON integer within ±(2^53-1)), got ${JSON.stringify(x)}`);
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

/** `{"#unserializable": "..."}`: a value the trace does not give (ADR-015). */
export function isUnserializable(x: unknown): x is { '#unserializable': string } {
  return isObj(x) && typeof x['#unserializable'] === 'string';
}

/**
 * Decode a variable's ITF value to its cells (row-major); throws ItfValueError naming the path.
 * A cell (or the whole variable) given as `{"#unserializable": ...}` gets a placeholder (the
 * sort's first value) and its index is pushed onto `unknown`, when given; without `unknown`, it
 * is an error.
 */
export function decodeVar(v: TraceVar, x: unknown, path: string, unknown?: number[]): number[] {
  const total = v.index.reduce((n, s) => n * cardinality(s), 1);
  if (isUnserializable(x) && unknown) {
    for (let i = 0; i < total; i++) unknown.push(i);
    return new Array<number>(total).fill(sortValues(v.sort)[0]);
  }
  const cell = (y: unknown, at: string, off: number): number => {
    if (!isUnserializable(y)) return decodeScalar(v.sort, y, at);
    if (!unknown) throw new ItfValueError(at, `the trace does not give this value (#unserializable: ${JSON.stringify(y['#unserializable'])})`);
    unknown.push(off);
    return sortValues(v.sort)[0];
  };
  if (v.index.length === 0) return [cell(x, path, 0)];
  if (!isObj(x) || !Array.isArray(x['#map'])) throw new ItfValueError(path, `expected an array variable written {"#map": [[index, value], ...]}, got ${JSON.stringify(x)?.slice(0, 60)}`);
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
    cells[off] = cell(entry[1], `${at}[1]`, off);
  });
  const missing = cells.findIndex((c) => c === undefined);
  if (missing >= 0) {
    const t = tuples(v.index)[missing].map((c, j) => String(showValue(v.index[j], c)));
    throw new ItfValueError(path, `no entry for index [${t.join('][')}] (every cell of ${v.name} must be given)`);
  }
  return cells as number[];
}

/** A sort's type in Apalache's type syntax (ADR-002): enumerations and thread ids are strings. */
function typeOfSort(sort: Sort): string {
  switch (sort.kind) {
    case 'bool': return 'Bool';
    case 'range': case 'int': return 'Int';
    case 'enum': case 'scalarset': return 'Str';
  }
}

/** A variable's type: `Int`, or `Str -> Int` for an array, `<<Str, Str>> -> Bool` over two sorts. */
export function itfVarType(v: TraceVar): string {
  const cell = typeOfSort(v.sort);
  if (v.index.length === 0) return cell;
  const key = v.index.length === 1 ? typeOfSort(v.index[0]) : `<<${v.index.map(typeOfSort).join(', ')}>>`;
  return `${key} -> ${cell}`;
}

/** A step parameter's type, from the values it takes in the trace (as `encodeLoose` writes them). */
function looseType(values: unknown[]): string {
  if (values.every((x) => typeof x === 'number')) return 'Int';
  if (values.every((x) => typeof x === 'boolean')) return 'Bool';
  return 'Str';
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
      varTypes: {
        ...Object.fromEntries(vars.map((v) => [v.name, itfVarType(v)])),
        [ACTION_TAKEN]: 'Str',
        // Quint's form: a record of Option variants, one field per parameter name in the trace.
        [NONDET_PICKS]: paramNames.length
          ? `{ ${paramNames.map((k) => `${k}: Some(${looseType(t.steps.filter((s) => k in s.params).map((s) => s.params[k]))}) | None(UNIT)`).join(', ')} }`
          : '{}',
      },
    },
    vars: [...vars.map((v) => v.name), ACTION_TAKEN, NONDET_PICKS],
    states: Array.from({ length: t.steps.length + 1 }, (_, i) => stateOf(i)),
  };
}

/**
 * Reading input files (an ITF trace to replay, a saved result to export): JSON parsing and
 * JSON Schema validation with ajv. Every failure is one InputError naming the file and the
 * JSON path at fault, e.g. `t.itf.json: states[2].refcount: 1.5 is not an ITF integer (a JSON
 * number must be an integer within ±(2^53-1)); write {"#bigint": "n"}`.
 *
 * @example
 * const data = readJsonInput('trace.itf.json', 'itf.schema.json');
 */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { EXIT } from '../checker/result.ts';
import { fsReason } from './output-path.ts';

export class InputError extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(message: string, readonly path?: string) {
    super(message);
    this.name = 'InputError';
  }
}

const schemaDir = resolve(dirname(fileURLToPath(import.meta.url)), '../schema');
const validators = new Map<string, ValidateFunction>();
let ajv: Ajv | undefined;

/** The validator of one schema file; every schema of schema/ is known, so `$ref`s between them resolve. */
function validatorFor(schemaName: string): ValidateFunction {
  let v = validators.get(schemaName);
  if (!v) {
    if (!ajv) {
      // ajv (about 90 modules) is loaded on first use, not when the CLI starts.
      const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv };
      ajv = new AjvClass({ allErrors: true, strict: false });
      for (const f of readdirSync(schemaDir).filter((x) => x.endsWith('.schema.json'))) {
        ajv.addSchema(JSON.parse(readFileSync(resolve(schemaDir, f), 'utf8')));
      }
    }
    const schema = JSON.parse(readFileSync(resolve(schemaDir, schemaName), 'utf8')) as { $id?: string };
    v = (schema.$id ? ajv.getSchema(schema.$id) : undefined) ?? ajv.compile(schema);
    validators.set(schemaName, v);
  }
  return v;
}

/** `/states/2/#bigint` → `states[2]["#bigint"]`. */
export function jsonPath(pointer: string): string {
  if (!pointer) return '(top level)';
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return segs.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? (i ? `.${s}` : s) : `[${JSON.stringify(s)}]`)).join('');
}

function valueAt(data: unknown, pointer: string): unknown {
  let x = data;
  for (const s of pointer.split('/').slice(1)) x = (x as Record<string, unknown>)?.[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  return x;
}

/** The most useful single error: the deepest path, with a message in ITF terms. */
function describe(errors: ErrorObject[], data: unknown, itf: boolean): { path: string; message: string } {
  const depth = (e: ErrorObject) => (e.instancePath ? e.instancePath.split('/').length : 0);
  let deepest = 0;
  for (const e of errors) deepest = Math.max(deepest, depth(e));
  const here = errors.filter((e) => depth(e) === deepest);
  const at = here[0].instancePath;
  const value = valueAt(data, at);
  let message: string;
  const add = here.find((e) => e.keyword === 'additionalProperties');
  const req = here.find((e) => e.keyword === 'required');
  if (itf && here.some((e) => e.keyword === 'anyOf')) {
    message = typeof value === 'number'
      ? `${value} is not an ITF integer (a JSON number must be an integer within ±(2^53-1)); write {"#bigint": "${Number.isInteger(value) ? BigInt(value) : 'n'}"}`
      : `${JSON.stringify(value)?.slice(0, 40)} is not an ITF value (a bool, a string, a list, a record, or {"#bigint": "n"}, {"#tup": [...]}, {"#set": [...]}, {"#map": [[key, value], ...]})`;
  } else if (add) {
    message = `unexpected property '${(add.params as { additionalProperty: string }).additionalProperty}'`;
  } else if (req) {
    message = `missing property '${(req.params as { missingProperty: string }).missingProperty}'`;
  } else {
    message = here[0].message ?? 'invalid';
  }
  return { path: jsonPath(at), message };
}

/**
 * Deepest nesting of arrays and objects an input may have. protocheck's own files nest under 20
 * levels; the schema validator recurses once per level, so 200,000 levels overflowed its stack.
 */
export const MAX_INPUT_DEPTH = 1000;

/** The nesting depth of a parsed JSON value (iterative: any depth is measured without recursion). */
export function jsonDepth(data: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > stopAt) return deepest;
    for (const v of Array.isArray(x) ? x : Object.values(x)) if (typeof v === 'object' && v !== null) stack.push([v, d + 1]);
  }
  return deepest;
}

/** Validate parsed JSON against one of protocheck's schemas (a file in schema/). */
export function validateInput(data: unknown, schemaName: string, source: string): void {
  if (jsonDepth(data, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH) {
    throw new InputError(`${source}: nested deeper than ${MAX_INPUT_DEPTH} levels; not a file protocheck wrote (check how it was produced)`);
  }
  const v = validatorFor(schemaName);
  if (v(data)) return;
  const { path, message } = describe(v.errors ?? [], data, schemaName.startsWith('itf'));
  throw new InputError(`${source}: ${path}: ${message}`, path);
}

/** Parse JSON text; a syntax error becomes one line naming the file. */
export function parseJsonInput(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

/**
 * Largest input file read: JSON is parsed from one string, and V8's longest string is
 * 2^29 - 24 characters (512 MiB).
 */
export const MAX_INPUT_BYTES = 0x1fffffe8;

/**
 * The text of an input file; a missing file, a directory, a file over 512 MiB or an unreadable
 * one is an InputError naming it (`what` says what was expected, e.g. 'trace file').
 */
export function readInputText(file: string, what = 'file'): string {
  if (!existsSync(file)) throw new InputError(`${what} not found: ${file}`);
  const st = statSync(file);
  if (st.isDirectory()) throw new InputError(`${file}: is a directory; give a ${what}`);
  if (st.size > MAX_INPUT_BYTES) {
    throw new InputError(`${file}: ${(st.size / 2 ** 20).toFixed(0)} MiB is more than the 512 MiB protocheck can read as JSON; export a shorter trace`);
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read it: ${fsReason(err)}`);
  }
}

/** Read, parse and validate a JSON input file. */
export function readJsonInput(file: string, schemaName: string, what = 'file'): unknown {
  const data = parseJsonInput(readInputText(file, what), file);
  validateInput(data, schemaName, file);
  return data;
}

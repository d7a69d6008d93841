/**
 * Reading input files (an ITF trace to replay, a saved result to export): JSON parsing and
 * JSON Schema validation with ajv. Every failure is one InputError naming the file and the
 * JSON path at fault, e.g. `t.itf.json: states[2].refcount: a JSON number is not an ITF
 * integer; write {"#bigint": "3"}`.
 *
 * @example
 * const data = readJsonInput('trace.itf.json', 'itf.schema.json');
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { EXIT } from '../checker/result.ts';

export class InputError extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(message: string, readonly path?: string) {
    super(message);
    this.name = 'InputError';
  }
}

const schemaDir = resolve(dirname(fileURLToPath(import.meta.url)), '../schema');
const validators = new Map<string, ValidateFunction>();

function validatorFor(schemaName: string): ValidateFunction {
  let v = validators.get(schemaName);
  if (!v) {
    const schema = JSON.parse(readFileSync(resolve(schemaDir, schemaName), 'utf8'));
    v = new Ajv({ allErrors: true, strict: false }).compile(schema);
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
  const deepest = Math.max(...errors.map(depth));
  const here = errors.filter((e) => depth(e) === deepest);
  const at = here[0].instancePath;
  const value = valueAt(data, at);
  let message: string;
  const add = here.find((e) => e.keyword === 'additionalProperties');
  const req = here.find((e) => e.keyword === 'required');
  if (itf && here.some((e) => e.keyword === 'anyOf')) {
    message = typeof value === 'number'
      ? `a JSON number is not an ITF integer; write {"#bigint": "${value}"}`
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

/** Validate parsed JSON against one of protocheck's schemas (a file in schema/). */
export function validateInput(data: unknown, schemaName: string, source: string): void {
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

/** Read, parse and validate a JSON input file. */
export function readJsonInput(file: string, schemaName: string): unknown {
  if (!existsSync(file)) throw new InputError(`file not found: ${file}`);
  const data = parseJsonInput(readFileSync(file, 'utf8'), file);
  validateInput(data, schemaName, file);
  return data;
}

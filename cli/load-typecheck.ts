/**
 * Type-check one model file with the TypeScript compiler, which is loaded only here (it takes
 * over a second to load), and remember the verdict by content hash: a file checked once, with the
 * same contents of every file it reaches (its own imports and protocheck's sources), the same
 * protocheck and the same TypeScript, is not checked again. The cache lives in `cacheDir()`
 * (cli/load-hooks.ts), never beside the model; a cache that cannot be written only costs time.
 * `protocheck` and `protocheck/<sub>` resolve to this protocheck's sources, wherever the file is.
 *
 * @example
 * await typecheckModelFile('/home/me/models/lock.ts'); // throws CliError (exit 66) on the first error
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../checker/result.ts';
import { CliError } from './errors.ts';
import { cacheDir } from './load-hooks.ts';
import { loadTypescript, saveTypescriptCache } from './load-typescript.ts';

/** The package root: the folder above cli/ (or above dist/cli/ in the compiled CLI). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..').replace(/\/dist$/, '');

interface Entry {
  /** The first error as the CLI prints it, or none. */
  error?: string;
  /** Every file of the program other than TypeScript's own lib files, with its content hash. */
  deps: [string, string][];
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
/** A file's text as TypeScript reads it (no byte order mark), hashed. */
const hashText = (text: string) => hash(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function packageJson(): { version: string; exports: Record<string, string | { types: string }> } {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/** Running from the compiled CLI: its build's declaration files (bin/build.mjs) are as new as it is. */
const TYPES = fileURLToPath(import.meta.url).startsWith(join(ROOT, 'dist') + sep) ? join(ROOT, 'dist', 'types') : undefined;

/**
 * `protocheck`, `protocheck/primitives`, ...: this package's exports, as the declaration files of
 * the compiled CLI's build when it runs from dist/ (less to parse and check than the sources:
 * 0.06 s of the first check of a model file), else as the .ts sources.
 */
function selfPaths(pkg: ReturnType<typeof packageJson>): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const [key, target] of Object.entries(pkg.exports)) {
    const source = typeof target === 'string' ? target : target.types;
    const declared = TYPES && join(TYPES, source.replace(/\.ts$/, '.d.ts'));
    paths[`protocheck${key.slice(1)}`] = [declared && existsSync(declared) ? declared : join(ROOT, source)];
  }
  return paths;
}

function typescriptVersion(): string {
  try {
    return (createRequire(import.meta.url)('typescript/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The cached verdict when it still holds: every file it depended on is unchanged. */
function lookup(file: string): Entry | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    for (const [dep, h] of entry.deps) {
      if (hashText(readFileSync(dep, 'utf8')) !== h) return undefined;
    }
    return entry;
  } catch {
    return undefined;
  }
}

function store(file: string, entry: Entry): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch { /* a read-only cache only costs time */ }
}

/** Type-check `file` (absolute); the first error becomes a one-line compile error (exit 66). */
export async function typecheckModelFile(file: string): Promise<void> {
  const pkg = packageJson();
  const source = readFileSync(file, 'utf8');
  const key = hash(['typecheck-2', pkg.version, typescriptVersion(), ROOT, file, source].join('\0'));
  const cached = join(cacheDir(), 'typecheck', `${key}.json`);
  const entry = lookup(cached) ?? check(file, pkg);
  if (!entry.deps.length) return; // nothing to remember (the file vanished while checking)
  store(cached, entry);
  if (entry.error) throw new CliError(entry.error, EXIT.modelCompile);
}

/** Globals a model file may use beyond ES2022 (the DOM library is left out: see the file). */
const GLOBALS = join(ROOT, 'cli', 'model-globals.d.ts');

/**
 * The compiled CLI's build of the ES2022 library of TypeScript `version`, one file without
 * comments (bin/build.mjs); absent for another TypeScript, whose own library files are used then.
 */
const libFile = (version: string) => TYPES && join(TYPES, `lib.es2022-ts${version}.d.ts`);

function check(file: string, pkg: ReturnType<typeof packageJson>): Entry {
  const ts = loadTypescript();
  const one = libFile(ts.version);
  const lib = one && existsSync(one) ? one : undefined;
  const program = ts.createProgram(lib ? [file, GLOBALS, lib] : [file, GLOBALS], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, allowImportingTsExtensions: true,
    skipLibCheck: true, esModuleInterop: true, types: [], paths: selfPaths(pkg),
    ...(lib ? { noLib: true } : { lib: ['lib.es2022.d.ts'] }),
  });
  try {
    return diagnose(ts, program, file);
  } finally {
    saveTypescriptCache();
  }
}

function diagnose(ts: ReturnType<typeof loadTypescript>, program: import('typescript').Program, file: string): Entry {
  const tsLib = dirname(ts.getDefaultLibFilePath({}));
  const deps: [string, string][] = program.getSourceFiles()
    .filter((sf) => !sf.fileName.startsWith(tsLib))
    .map((sf) => [sf.fileName, hashText(sf.text)]); // the text TypeScript read: no second read
  const sf = program.getSourceFile(file);
  if (!sf) return { deps };
  const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  const d = diags.find((x) => x.category === ts.DiagnosticCategory.Error);
  if (!d) return { deps };
  const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
  const at = pos ? `${file}:${pos.line + 1}:${pos.character + 1}` : file;
  return { error: `${at}: does not compile: TS${d.code}: ${text}`, deps };
}


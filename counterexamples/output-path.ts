/**
 * Output paths (`check --out DIR`, `export --out`, `ci --junit/--sarif`): checked before a long
 * run starts, created without Node's recursive `mkdirSync` (which never returns under `/proc`),
 * and written with every file-system failure turned into one OutputError line naming the path
 * and the reason (exit 73), never a stack trace. Nothing that exists is replaced without `force`.
 *
 * @example
 * checkOutputDir('out/k4', { flag: '--out', force: false });     // before the search
 * makeDirs('out/k4', '--out');                                     // after it
 * writeOutput('out/k4/result.json', text, '--out');
 */
import { accessSync, closeSync, constants, lstatSync, mkdirSync, openSync, readlinkSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EXIT } from '../checker/result.ts';

/** An output that cannot or may not be written: one line, exit 73 unless said otherwise. */
export class OutputError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.cannotWrite) {
    super(message);
    this.name = 'OutputError';
  }
}

/** What an `errno` code means, in words a user can act on. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory (ENOENT)';
    case 'ENOTDIR': return 'a part of the path is a file, not a directory (ENOTDIR)';
    case 'EISDIR': return 'is a directory (EISDIR)';
    case 'EACCES': case 'EPERM': return `permission denied (${code})`;
    case 'EROFS': return 'read-only file system (EROFS)';
    case 'ENOSPC': return 'no space left on device (ENOSPC)';
    case 'EDQUOT': return 'disk quota exceeded (EDQUOT)';
    case 'ELOOP': return 'too many levels of symbolic links (ELOOP)';
    case 'ENAMETOOLONG': return 'file name too long (ENAMETOOLONG)';
    case 'EEXIST': return 'already exists (EEXIST)';
    case 'EPIPE': return 'the reader closed the pipe (EPIPE)';
    default: return code ? `${String((err as Error).message).split('\n')[0]}` : String((err as Error)?.message ?? err).split('\n')[0];
  }
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** Refuse a dangling symbolic link (writing through it would create a file elsewhere). */
function refuseDanglingLink(p: string, flag: string): void {
  const l = lstatOrUndefined(p);
  if (!l?.isSymbolicLink()) return;
  try {
    statSync(p);
  } catch {
    let target = '?';
    try { target = readlinkSync(p); } catch { /* keep '?' */ }
    throw new OutputError(`${flag} ${p}: a symbolic link to ${target}, which does not exist; remove the link or create its target`);
  }
}

/**
 * The nearest existing ancestor of `p` (or `p` itself), which must be a directory we can create
 * files in; proved by creating and removing a probe file there, as permission bits say nothing
 * for root, a read-only mount or `/proc`.
 */
function probeWritableAncestor(p: string, flag: string, shown: string): void {
  let dir = resolve(p);
  for (;;) {
    const st = lstatOrUndefined(dir);
    if (st) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (err) {
    throw new OutputError(`${flag} ${shown}: cannot use ${dir}: ${fsReason(err)}`);
  }
  if (!st.isDirectory()) throw new OutputError(`${flag} ${shown}: ${dir} is a file, not a directory; choose another path`);
  const probe = join(dir, `.protocheck-write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    throw new OutputError(`${flag} ${shown}: cannot create files in ${dir}: ${fsReason(err)}; choose a writable path`);
  }
}

/**
 * Check, before a long run, that `dir` can become the output directory: not a file, not a
 * dangling link, writable (or creatable), and (without `force`) holding none of `files`.
 */
export function checkOutputDir(dir: string, opts: { flag: string; force?: boolean; files?: string[] }): void {
  const { flag } = opts;
  refuseDanglingLink(dir, flag);
  const st = lstatOrUndefined(dir) && statSync(dir);
  if (st && !st.isDirectory()) throw new OutputError(`${flag} ${dir}: exists and is not a directory; give a directory`);
  if (st && !opts.force) {
    const clash = (opts.files ?? []).map((f) => join(dir, f)).filter((f) => lstatOrUndefined(f));
    if (clash.length) throw new OutputError(`${flag} ${dir}: refusing to overwrite ${clash.join(', ')} (add --force to replace them)`, EXIT.badOption);
  }
  if (st && opts.force) for (const f of opts.files ?? []) checkReplaceable(join(dir, f), flag);
  probeWritableAncestor(dir, flag, dir);
}

/** An existing file that `force` will replace must be a regular file we can open for writing (without changing it). */
function checkReplaceable(file: string, flag: string): void {
  refuseDanglingLink(file, flag);
  const st = lstatOrUndefined(file) && statSync(file);
  if (!st) return;
  if (st.isDirectory()) throw new OutputError(`${flag} ${file}: is a directory; give a file name`);
  try {
    closeSync(openSync(file, constants.O_WRONLY));
  } catch (err) {
    throw new OutputError(`${flag} ${file}: cannot write it: ${fsReason(err)}`);
  }
}

/**
 * Check, before a long run, that `file` can be written: not a directory, not a dangling link,
 * its directory writable, and (without `force`) not an existing file.
 */
export function checkOutputFile(file: string, opts: { flag: string; force?: boolean }): void {
  const { flag } = opts;
  refuseDanglingLink(file, flag);
  const st = lstatOrUndefined(file) && statSync(file);
  if (st?.isDirectory()) throw new OutputError(`${flag} ${file}: is a directory; give a file name`);
  if (st && !opts.force) throw new OutputError(`${flag} ${file}: refusing to overwrite an existing file (add --force to replace it)`, EXIT.badOption);
  if (st) checkReplaceable(file, flag);
  else probeWritableAncestor(dirname(resolve(file)), flag, file);
}

/**
 * Create `dir` and its missing parents one level at a time (Node's recursive `mkdirSync` loops
 * forever on `/proc/x`); a failure is an OutputError naming the level that failed.
 */
export function makeDirs(dir: string, flag: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  while (!lstatOrUndefined(p)) {
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && lstatOrUndefined(d) && statSync(d).isDirectory()) continue;
      throw new OutputError(`${flag} ${dir}: cannot create ${d}: ${fsReason(err)}`);
    }
  }
  try {
    accessSync(dir, constants.F_OK);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    throw new OutputError(`${flag} ${dir}: ${fsReason(err)}`);
  }
}

/** Write one output file; a failure (full disk, read-only, a directory there) is an OutputError. */
export function writeOutput(file: string, text: string, flag: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new OutputError(`${flag} ${file}: cannot write it: ${fsReason(err)}`);
  }
}

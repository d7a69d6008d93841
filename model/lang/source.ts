import type { SourceLoc } from './ir.ts';
import { fileURLToPath } from 'node:url';

// Frames inside the language and the primitive library are skipped, so a location names the
// line of the model file that declared the action or property.
const LIBRARY_DIRS = ['/model/lang/', '/model/primitives/', '/model/lemmas/lang.ts'];
/** This package's root (source maps name the .ts files above dist/ in the compiled CLI). */
const OWN_ROOT = fileURLToPath(import.meta.url).replace(/(dist\/)?model\/lang\/source\.[jt]s$/, '');

/**
 * The first stack frame outside protocheck's own builder code, as a source location. The file
 * is relative to the working directory when it lies below it, so results (JSON, SARIF, ITF)
 * are the same in every checkout.
 */
export function callerLocation(): SourceLoc | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    let file = m[1];
    if (file.startsWith('file://')) file = fileURLToPath(file);
    // protocheck installed in node_modules: its built-in models are still where actions are declared.
    if (file.startsWith('node:') || (file.includes('/node_modules/') && !file.startsWith(OWN_ROOT))) continue;
    if (LIBRARY_DIRS.some((d) => file.includes(d))) continue;
    const cwd = process.cwd() + '/';
    if (file.startsWith(cwd)) file = file.slice(cwd.length);
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** `file:line:col`, relative to the working directory when below it. */
export function formatLoc(loc: SourceLoc | undefined): string {
  if (!loc) return '<unknown>';
  const cwd = process.cwd() + '/';
  const file = loc.file.startsWith(cwd) ? loc.file.slice(cwd.length) : loc.file;
  return `${file}:${loc.line}:${loc.column}`;
}

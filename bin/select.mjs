// Which protocheck the command runs: the compiled one in dist/ (built by `npm run build`, which
// `npm ci` and `npm pack` run) when it is at least as new as every source file, else the
// TypeScript sources through tsx, so an edit in a checkout is never hidden by a stale build
// (an installed copy under node_modules/ always runs its dist/).
// PROTOCHECK_RUN=source or PROTOCHECK_RUN=dist forces one (the tests compare the two).
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['model', 'properties', 'checker', 'counterexamples', 'cli'];

/** The newest mtime (ms) of the .ts/.mjs sources; about 150 stats, a millisecond or two. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  return newest;
}

/** 'dist' or 'source', and why (for PROTOCHECK_RUN=dist without a build). */
export function chooseBuild(env = process.env) {
  let built;
  try { built = statSync(join(ROOT, 'dist', 'BUILT')).mtimeMs; } catch { built = undefined; }
  if (env.PROTOCHECK_RUN === 'source') return { mode: 'source' };
  if (env.PROTOCHECK_RUN === 'dist') {
    return built === undefined ? { mode: 'none', why: 'PROTOCHECK_RUN=dist but dist/ is not built; run `npm run build`' } : { mode: 'dist' };
  }
  if (built === undefined) return { mode: 'source' };
  // An installed package is nobody's work tree: its build is trusted without the ~160 stats.
  if (ROOT.includes('/node_modules/')) return { mode: 'dist' };
  return newestSource() <= built ? { mode: 'dist' } : { mode: 'source' };
}

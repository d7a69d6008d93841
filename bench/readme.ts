/**
 * Keeps the README's sessions true: every block between `<!-- session: ARGS -->` and
 * `<!-- /session -->` is the real output of `protocheck ARGS`, run from the repository root.
 * `npm run docs` rewrites the blocks (nothing outside them); test/docs/readme.test.ts fails when a
 * block no longer matches what the command prints (timings aside).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BLOCK = /<!-- session: (.+?) -->\n[\s\S]*?<!-- \/session -->/g;

export interface Session {
  args: string;
  /** The block as it stands in the README. */
  current: string;
}

export function sessions(readme: string): Session[] {
  return [...readme.matchAll(BLOCK)].map((m) => ({ args: m[1], current: m[0] }));
}

/** Run `protocheck ARGS` and render the block: the command, its output, its exit code. */
export function renderSession(args: string): string {
  const argv = args.split(' ').filter(Boolean);
  const r = spawnSync(process.execPath, [`${ROOT}/bin/protocheck.js`, ...argv], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' } });
  const out = (r.stdout + r.stderr).trimEnd();
  return `<!-- session: ${args} -->\n\`\`\`console\n$ npx protocheck ${args}\n${out}\n$ echo $?\n${r.status}\n\`\`\`\n<!-- /session -->`;
}

/** Timings and rates differ run to run; everything else must match. */
export function normalise(text: string): string {
  return text
    // Column padding before a timing changes with its width (9.9 s vs 10.1 s): ignore it too.
    .replace(/ *\d+(\.\d+)? s\b/g, ' N s')
    .replace(/\d+ states\/s/g, 'N states/s')
    .replace(/[\d.]+ bytes\/state/g, 'N bytes/state')
    .replace(/"(seconds|statesPerSecond)": [\d.e+-]+/g, '"$1": N');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = `${ROOT}/README.md`;
  let readme = readFileSync(file, 'utf8');
  const list = sessions(readme);
  for (const s of list) readme = readme.replace(s.current, () => renderSession(s.args));
  if (process.argv.includes('--write')) {
    writeFileSync(file, readme);
    console.log(`README.md: ${list.length} sessions updated`);
  } else {
    process.stdout.write(readme);
  }
}

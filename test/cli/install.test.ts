/**
 * protocheck installed the README's way, from outside the repository: `npm pack` (which runs
 * `prepare`, the build of dist/), then `npm install ../protocheck-<v>.tgz` into an empty project
 * in a temp dir, using the npm cache that `npm ci` filled. Then, as a user would:
 * a model file importing 'protocheck' and 'protocheck/primitives' from a folder with no
 * package.json is checked by the installed CLI; `node -e "import('protocheck')"` works; and
 * SARIF from the installed CLI has a location on every result, a built-in model's pointing at
 * the installed model file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cli } from './run-cli.ts';

let tmp = '';
let proj = '';
let models = '';
let env: Record<string, string> = {};

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, maxBuffer: 2 ** 26 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// A tiny model: T1 runs inc (x: 0→1), then check, whose requires (x = 0) fails. BFS reaches the
// initial state and the one after inc, where check is the only enabled step: 2 states, a 2-step
// trace (inc, check).
const TINY = `import { model, defineModel, range, step, set, add, eq, requires } from 'protocheck';
import * as primitives from 'protocheck/primitives';

export const primitiveCount = Object.keys(primitives).length;

function build() {
  const m = model('tiny', 'one thread: inc, then a check that x is still 0');
  m.threads(['T1']);
  const x = m.var('x', range(0, 1), 0);
  m.program('T1', ['T1'], () => [
    step('inc', set(x, add(x, 1))),
    step('check', requires('tiny.x-zero', 'x is no longer 0', eq(x, 0))),
  ]);
  return m.build();
}

export default defineModel({
  name: 'tiny',
  doc: 'an installed-package test model',
  variants: [{ name: 'only', doc: 'inc then check', expect: 'violation:tiny.x-zero' }],
  bounds: [],
  build: () => build(),
});
`;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'protocheck-install-'));
  proj = join(tmp, 'proj');
  models = join(tmp, 'models');
  mkdirSync(proj);
  mkdirSync(models);
  // No PROTOCHECK_RUN (vitest sets it to 'source' for the repo's own CLI tests): the installed
  // command picks its compiled build itself. A cache of its own, so the first run type-checks.
  env = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', PROTOCHECK_CACHE: join(tmp, 'cache') } as Record<string, string>;
  delete env.PROTOCHECK_RUN;
  const pack = run('npm', ['pack', '--pack-destination', tmp, '--silent'], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(proj, 'package.json'), '{ "name": "proj", "private": true }\n');
  const inst = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, tgz)], proj);
  expect(inst.code, inst.stderr).toBe(0);
  writeFileSync(join(models, 'tiny.ts'), TINY);
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('installed from the packed tarball', () => {
  const bin = () => join(proj, 'node_modules', '.bin', 'protocheck');

  it('ships the compiled CLI: dist/ is in the installed package', () => {
    expect(existsSync(join(proj, 'node_modules/protocheck/dist/cli/main.js'))).toBe(true);
    expect(existsSync(join(proj, 'node_modules/protocheck/dist/model/lang/index.js'))).toBe(true);
  });

  it('checks a model file importing protocheck from a folder with no package.json', () => {
    expect(existsSync(join(models, 'package.json'))).toBe(false);
    const r = run(bin(), ['check', 'tiny.ts', '--engine', 'explicit'], models);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('VIOLATION tiny/only: tiny.x-zero: x is no longer 0');
    // The property is declared on line 12 of TINY, column 19 (the `requires(` call).
    expect(lines[1]).toBe('  property tiny.x-zero (requires, unsound) defined at tiny.ts:12:19, violated by action check at step 2');
    expect(r.stdout).toMatch(/^ {2}states: 2, /m);
    // The second run finds the type-check in the cache: nothing was written beside the model.
    expect(readdirSync(models)).toEqual(['tiny.ts']);
    expect(readdirSync(join(tmp, 'cache', 'typecheck'))).toHaveLength(1);
    const again = run(bin(), ['check', 'tiny.ts', '--engine', 'explicit'], models);
    expect(again.stdout.split('\n').slice(0, 2)).toEqual(lines.slice(0, 2));
    expect(readdirSync(join(tmp, 'cache', 'typecheck'))).toHaveLength(1);
  });

  it("node -e \"import('protocheck')\" loads the compiled library from plain Node", () => {
    const r = run(process.execPath, ['-e', "import('protocheck').then((m) => import('protocheck/primitives').then((p) => console.log(typeof m.defineModel, typeof m.model, Object.keys(p).length > 0)))"], proj);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('function function true\n');
  });

  it('SARIF from the installed CLI has a location on every result; a built-in model points at the installed model file', () => {
    writeFileSync(join(proj, 'pc.json'), JSON.stringify({ checks: [
      { model: 'mm', variant: 'access-without-mmget', expect: 'pass', engine: 'explicit' },
      { model: '../models/tiny.ts', expect: 'pass', engine: 'explicit' },
    ] }));
    const r = run(bin(), ['ci', '--config', 'pc.json', '--sarif', 'out.sarif'], proj);
    expect(r.code).toBe(1); // two unexpected violations
    const sarif = JSON.parse(readFileSync(join(proj, 'out.sarif'), 'utf8'));
    const results = sarif.runs[0].results as { ruleId: string; locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    expect(results.map((x) => x.ruleId)).toEqual(['mm.access-without-mm_users', 'tiny.x-zero']);
    for (const x of results) expect(x.locations?.length).toBe(1);
    const [mm, tiny] = results.map((x) => x.locations![0].physicalLocation);
    expect(mm.artifactLocation.uri).toBe('node_modules/protocheck/model/mm.ts');
    // The line and column are those the sources give in the repository (source maps of dist/).
    const src = cli(['check', 'mm', '--variant', 'access-without-mmget', '--engine', 'explicit']);
    const at = /defined at model\/mm\.ts:(\d+):(\d+),/.exec(src.stdout)!;
    expect(mm.region).toEqual({ startLine: Number(at[1]), startColumn: Number(at[2]) });
    expect(tiny).toEqual({ artifactLocation: { uri: '../models/tiny.ts' }, region: { startLine: 12, startColumn: 19 } });
  });
});

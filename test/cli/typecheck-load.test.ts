/**
 * How a model file is type-checked (cli/load-typecheck.ts, cli/load-typescript.ts): TypeScript
 * compiled by V8 from a code cache kept in the cache folder, against ES2022 and protocheck's own
 * globals file (console) rather than the DOM library.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, ROOT } from './run-cli.ts';
import { EXIT } from '../../checker/result.ts';

const dir = mkdtempSync(join(tmpdir(), 'protocheck-tc-'));
const lang = join(ROOT, 'model/lang/index.ts');
const model = (name: string, extra: string) => {
  const p = join(dir, name);
  writeFileSync(p, `import { model, range, set, add, guard, lt, eq } from '${lang}';\n${extra}\nconst m = model('x');\nconst x = m.var('x', range(0, 2), 0);\nm.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });\nm.final(eq(x, 2));\nexport default m.build();\n`);
  return p;
};

describe('type-checking a model file', () => {
  it('writes a V8 code cache of TypeScript on first use and the check still passes with it (3 states)', () => {
    const cache = join(dir, 'cache');
    const file = model('plain.ts', '');
    const first = cli(['check', file, '--engine', 'explicit', '--json'], { env: { PROTOCHECK_CACHE: cache } });
    expect(first.code).toBe(EXIT.pass);
    const bins = readdirSync(join(cache, 'code')).filter((f) => /^typescript-[\d.]+-node-.*\.bin$/.test(f));
    expect(bins).toHaveLength(1);
    expect(statSync(join(cache, 'code', bins[0])).size).toBeGreaterThan(1_000_000);
    // A new file's content is checked again, now with TypeScript from the cache.
    const second = cli(['check', model('plain2.ts', 'const y: number = 2; void y;'), '--engine', 'explicit', '--json'], { env: { PROTOCHECK_CACHE: cache } });
    expect(second.code).toBe(EXIT.pass);
    expect(JSON.parse(second.stdout).stats.states).toBe(3);
    // And a type error is still found with it.
    const bad = cli(['check', model('bad.ts', "const y: number = 'two'; void y;")], { env: { PROTOCHECK_CACHE: cache } });
    expect(bad.code).toBe(EXIT.modelCompile);
    expect(bad.stderr).toMatch(/bad\.ts:2:7: does not compile: TS2322/);
  });

  it("a file importing 'protocheck' is checked against the build's declaration files from dist/, against the sources otherwise", () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'bin/build.mjs'), '--quiet'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const file = join(dir, 'uses-package.ts');
    writeFileSync(file, `import { model, range, set, add, guard, lt, eq } from 'protocheck';\nconst m = model('y');\nconst x = m.var('x', range(0, 1), 0);\nm.action('inc', { body: [guard(lt(x, 1)), set(x, add(x, 1))] });\nm.final(eq(x, 1));\nexport default m.build();\n`);
    const depsOf = (run: 'dist' | 'source') => {
      const cache = join(dir, `cache-${run}`);
      const r = cli(['check', file, '--engine', 'explicit'], { env: { PROTOCHECK_CACHE: cache, PROTOCHECK_RUN: run } });
      expect(r.code, r.stderr).toBe(EXIT.pass);
      const entries = readdirSync(join(cache, 'typecheck'));
      expect(entries).toHaveLength(1);
      return (JSON.parse(readFileSync(join(cache, 'typecheck', entries[0]), 'utf8')) as { deps: [string, string][] }).deps.map(([d]) => d);
    };
    const fromDist = depsOf('dist');
    expect(fromDist).toContain(join(ROOT, 'dist/types/model/lang/index.d.ts'));
    expect(fromDist.some((d) => d.endsWith('.ts') && !d.endsWith('.d.ts') && d !== file)).toBe(false);
    expect(depsOf('source')).toContain(join(ROOT, 'model/lang/index.ts'));
  });

  it("from dist/, against the build's one-file ES2022 library: ES2015-2022 features check, a misuse of them is still an error", () => {
    const libs = readdirSync(join(ROOT, 'dist/types')).filter((f) => /^lib\.es2022-ts[\d.]+\.d\.ts$/.test(f));
    expect(libs).toEqual([`lib.es2022-ts${(JSON.parse(readFileSync(join(ROOT, 'node_modules/typescript/package.json'), 'utf8')) as { version: string }).version}.d.ts`]);
    const lib = readFileSync(join(ROOT, 'dist/types', libs[0]), 'utf8');
    expect(lib).not.toMatch(/\/\/\/ <reference/);
    expect(lib).toMatch(/^\/\*!/); // the library's notice, once
    expect(lib.match(/\/\*!/g)).toHaveLength(1);
    const modern = model('modern.ts', "const a = [1, 2, 3].at(-1); const o = Object.hasOwn({ k: 1 }, 'k'); const r = 'a-b'.replaceAll('-', '+'); const b = BigInt(2); const f = [[1], [2]].flatMap((x) => x); const e = Object.fromEntries([['k', 1]]); const n = new Intl.NumberFormat('en').format(1); void [a, o, r, b, f, e, n];");
    expect(cli(['check', modern, '--engine', 'explicit'], { env: { PROTOCHECK_RUN: 'dist' } }).code).toBe(EXIT.pass);
    const misuse = cli(['check', model('misuse.ts', "const s: string = [1, 2].at(0); void s;")], { env: { PROTOCHECK_RUN: 'dist' } });
    expect(misuse.code).toBe(EXIT.modelCompile);
    expect(misuse.stderr).toMatch(/misuse\.ts:2:7: does not compile: TS2322: Type 'number \| undefined' is not assignable to type 'string'/);
  });

  it('console is there for a model file; the DOM is not (document: TS2584 or TS2304)', () => {
    expect(cli(['check', model('console.ts', "console.log('building');"), '--engine', 'explicit']).code).toBe(EXIT.pass);
    const dom = cli(['check', model('dom.ts', 'void document.title;')]);
    expect(dom.code).toBe(EXIT.modelCompile);
    expect(dom.stderr).toMatch(/dom\.ts:2:6: does not compile: TS(2584|2304): Cannot find name 'document'/);
  });
});

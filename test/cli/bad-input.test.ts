import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, ROOT } from './run-cli.ts';
import { EXIT } from '../../checker/result.ts';

// Model files live outside the repository (no package.json): a kernel tree looks like that.
const dir = mkdtempSync(join(tmpdir(), 'protocheck-bad-'));
const lang = join(ROOT, 'model/lang/index.ts');
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const typeError = file('type-error.ts', `import { model } from '${lang}';\nconst n: number = 'two';\nexport default model('x').build();\n`);
const syntaxError = file('syntax-error.ts', `import { model } from '${lang}';\nconst m = model('x'\nexport default m.build();\n`);
const throws = file('throws.ts', `import { model, range } from '${lang}';\nconst m = model('x');\nm.var('x', range(3, 1), 0);\nexport default m.build();\n`);
const noExport = file('no-export.ts', `export const x = 1;\n`);

/** Every bad input: exactly one line on stderr, nothing on stdout, no stack trace, its own code. */
function oneLineError(args: string[], code: number, pattern: RegExp) {
  const r = cli(args);
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^protocheck: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input: one line, its own exit code, no stack trace', () => {
  it('an unknown model names the built-in ones', () => {
    oneLineError(['check', 'mn'], EXIT.modelNotFound, /unknown model 'mn'; built-in models: mm/);
  });
  it('a model file that does not exist', () => {
    oneLineError(['check', join(dir, 'absent.ts')], EXIT.modelNotFound, /model file not found/);
  });
  it('a model file with a TypeScript type error names file, line and column', () => {
    oneLineError(['check', typeError], EXIT.modelCompile, /type-error\.ts:2:7: does not compile: TS2322: Type 'string' is not assignable to type 'number'/);
  });
  it('a model file with a syntax error', () => {
    oneLineError(['check', syntaxError], EXIT.modelCompile, /syntax-error\.ts:3:1: does not compile: TS1005/);
    oneLineError(['check', syntaxError, '--no-typecheck'], EXIT.modelCompile, /does not compile: .*Expected "\)" but found "export"/);
  });
  it('a model file that throws while building names the line in the model', () => {
    oneLineError(['check', throws], EXIT.modelBuild, /throws\.ts: threw while loading: bad range 3\.\.1 \(at .*throws\.ts:3\)/);
  });
  it('a model file that exports no model says how to export one', () => {
    oneLineError(['check', noExport], EXIT.modelBuild, /exports no model; end the file with 'export default defineModel/);
  });
  it('an unknown flag', () => {
    oneLineError(['check', 'mm', '--frobnicate'], EXIT.usage, /unknown option '--frobnicate' \(see 'protocheck check --help'\)/);
  });
  it('an unknown flag that is a bound of the model says --bound NAME=V; a near miss keeps its suggestion, on one line', () => {
    oneLineError(['check', 'binder', '--pages', '3'], EXIT.usage,
      /^protocheck: error: unknown option '--pages'; 'pages' is a bound of model binder: write --bound pages=3 \(see 'protocheck check --help'\)$/);
    oneLineError(['check', 'mm', '--ful'], EXIT.usage, /^protocheck: error: unknown option '--ful' \(Did you mean --full\?\) \(see 'protocheck check --help'\)$/);
  });
  it('an unknown command', () => {
    oneLineError(['frobnicate'], EXIT.usage, /unknown command 'frobnicate'/);
  });
  it('--bound senders=0 gives the allowed range', () => {
    oneLineError(['check', 'mm', '--bound', 'senders=0'], EXIT.badOption, /--bound senders: 0 is outside 1\.\.12 for model mm \(sender threads \(plus the owner and the kworker\)\)$/);
  });
  it('a flag value that is not a number', () => {
    oneLineError(['check', 'mm', '--max-states', 'lots'], EXIT.badOption, /--max-states <n>' argument 'lots' is invalid\. expected a positive integer/);
  });
  it('an unknown variant and an unknown bound list what exists', () => {
    oneLineError(['check', 'mm', '--variant', 'nope'], EXIT.badOption, /has no variant 'nope' \(it has: fixed, /);
    oneLineError(['check', 'mm', '--bound', 'pages=2'], EXIT.badOption, /has no bound 'pages' \(its bounds: senders\)$/);
  });
  it('the exit codes of the classes are distinct', () => {
    const codes = [EXIT.pass, EXIT.violation, EXIT.inconclusive, EXIT.usage, EXIT.badOption, EXIT.modelNotFound, EXIT.modelCompile, EXIT.modelBuild, EXIT.tooLarge, EXIT.internal];
    expect(new Set(codes).size).toBe(codes.length);
  });
});

import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { XMLParser } from 'fast-xml-parser';
import { cli, ROOT } from '../cli/run-cli.ts';
import { EXIT } from '../../checker/result.ts';
import type { CiReport } from '../../cli/ci/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'protocheck-ci-'));
const counter = join(ROOT, 'test/ci/counter-model.ts');
function config(name: string, checks: object[]): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({ checks }));
  return p;
}
const ci = (...args: string[]) => cli(['ci', ...args], { cwd: dir });

describe('protocheck ci: one exit code per outcome', () => {
  it('0: every check as expected', () => {
    const r = ci('--config', config('ok.json', [
      { model: 'mm', variant: 'fixed', expect: 'pass' },
      { model: 'mm', variant: 'pasid-freed-in-mmput', expect: 'violation:mm.pasid-use-after-free' },
    ]));
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout).toMatch(/^ok +mm\/fixed +\d+ states +[\d.]+ s {2}pass$/m);
    expect(r.stdout).toMatch(/2 checks: 2 as expected .*exit 0\)$/m);
  });
  it('1: an unexpected violation, with a message naming the check, expected and actual', () => {
    const r = ci('--config', config('bad.json', [{ model: 'mm', variant: 'pasid-freed-in-mmput', expect: 'pass' }]));
    expect(r.code).toBe(EXIT.violation);
    expect(r.stdout).toMatch(/^FAIL +mm\/pasid-freed-in-mmput +\d+ states +[\d.]+ s {2}expected pass, got violation:mm\.pasid-use-after-free: mm->pasid used after it was freed/m);
  });
  it('2: incomplete (a state limit)', () => {
    const r = ci('--config', config('limit.json', [{ model: 'mm', bounds: { senders: 4 }, maxStates: 50, expect: 'pass' }]));
    expect(r.code).toBe(EXIT.inconclusive);
    expect(r.stdout).toMatch(/^WARN +mm senders=4 +\d+ states +[\d.]+ s {2}expected pass, got incomplete \(stopped at --max-states 50\)/m);
  });
  it('3: an expected violation that is no longer found', () => {
    const r = ci('--config', config('missing.json', [{ model: 'mm', variant: 'fixed', expect: 'violation:deadlock' }]));
    expect(r.code).toBe(EXIT.expectationMissed);
    expect(r.stdout).toMatch(/expected violation:deadlock, got pass \(the bug is no longer found\)/);
  });
  it('66/67/68: a model error carries the loader\'s code', () => {
    expect(ci('--config', config('nf.json', [{ model: 'nope', expect: 'pass' }])).code).toBe(EXIT.modelNotFound);
    const bad = join(dir, 'bad-model.ts');
    writeFileSync(bad, 'const x: number = "s";\nexport default x;\n');
    expect(ci('--config', config('tc.json', [{ model: './bad-model.ts', expect: 'pass' }])).code).toBe(EXIT.modelCompile);
    const throws = join(dir, 'throws-model.ts');
    writeFileSync(throws, 'throw new Error("no");\n');
    const r = ci('--config', config('th.json', [{ model: './throws-model.ts', expect: 'pass' }]));
    expect(r.code).toBe(EXIT.modelBuild);
    expect(r.stdout).toMatch(/^ERROR .*threw while loading: no/m);
  });
  it('64: usage errors (no config here, a malformed shard)', () => {
    const r = ci();
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr.trim()).toBe('protocheck: error: no protocheck.config.ts or protocheck.config.json here; pass --config FILE, or --builtin for the built-in models');
    expect(ci('--builtin', '--shard', '4/3').code).toBe(EXIT.usage);
  });
  it('65: a malformed config names the JSON path at fault', () => {
    const r = ci('--config', config('schema.json', [{ model: 'mm', expect: 'passes' }]));
    expect(r.code).toBe(EXIT.badOption);
    expect(r.stderr).toMatch(/schema\.json: checks\.0\.expect: must match pattern/);
  });
});

describe('protocheck ci: outputs and shards', () => {
  const checks = [
    { model: 'mm', variant: 'fixed', expect: 'pass' },
    { model: 'mm', variant: 'access-without-mmget', expect: 'violation:mm.access-without-mm_users' },
    { model: 'mm', variant: 'pasid-freed-in-mmput', expect: 'pass' },
    { model: 'mm', variant: 'mmput-in-sender-context', expect: 'violation:deadlock' },
    { model: counter, variant: 'racy', expect: 'violation:counter.lost-update' },
  ];
  it('--junit and --sarif are written, and never overwritten without --force', () => {
    const cfg = config('out.json', checks);
    const junit = join(dir, 'r.xml'), sarif = join(dir, 'r.sarif');
    const r = ci('--config', cfg, '--junit', junit, '--sarif', sarif);
    expect(r.code).toBe(EXIT.violation);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(junit, 'utf8'));
    expect(xml.testsuites.testsuite.tests).toBe('5');
    expect(xml.testsuites.testsuite.failures).toBe('1');
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['mm.pasid-use-after-free']);
    const again = ci('--config', cfg, '--junit', junit);
    expect(again.code).toBe(EXIT.badOption);
    expect(again.stderr.trim()).toBe(`protocheck: error: --junit ${junit}: refusing to overwrite an existing file (add --force to replace it)`);
    expect(again.stdout).toBe(''); // refused before any check ran
    expect(ci('--config', cfg, '--junit', junit, '--force').code).toBe(EXIT.violation);
  });
  it('the union of --shard 1/3, 2/3, 3/3 merged equals the unsharded run, check for check', () => {
    const cfg = config('shards.json', checks);
    const whole = JSON.parse(ci('--config', cfg, '--json').stdout) as CiReport;
    const files = [1, 2, 3].map((i) => {
      const r = ci('--config', cfg, '--shard', `${i}/3`, '--json');
      const f = join(dir, `shard-${i}.json`);
      writeFileSync(f, r.stdout);
      return f;
    });
    const m = cli(['merge', ...files, '--json'], { cwd: dir });
    expect(m.code).toBe(whole.exitCode);
    const merged = JSON.parse(m.stdout) as CiReport;
    const strip = (c: CiReport['checks'][number]) => ({ name: c.name, index: c.index, outcome: c.outcome, actual: c.actual, states: c.result?.stats.states, trace: c.result?.trace?.steps.map((s) => s.action) });
    expect(merged.checks.map(strip)).toEqual(whole.checks.map(strip));
    expect(merged.checks).toHaveLength(5);
    expect(existsSync(files[0])).toBe(true);
  });
});

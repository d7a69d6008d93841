import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { validateConfig, resolveChecks, ConfigError, type CiConfig } from '../../cli/ci/config.ts';
import { runChecks, type CiRunner } from '../../cli/ci/run.ts';
import { classify, mergeReports, parseShard, exitCodeFor, MergeError, type CheckReport } from '../../cli/ci/report.ts';
import { toJUnit } from '../../cli/ci/junit.ts';
import { toSarif } from '../../cli/ci/sarif.ts';
import { githubAnnotations } from '../../cli/ci/github.ts';
import { runCheck } from '../../checker/check.ts';
import { EXIT, type Result } from '../../checker/result.ts';
import { counterDef, brokenDef } from './models.ts';

const runner: CiRunner = {
  loadDef: async (spec) => {
    if (spec === 'counter') return counterDef;
    if (spec === 'broken') return brokenDef;
    throw Object.assign(new Error(`unknown model '${spec}'`), { exitCode: EXIT.modelNotFound });
  },
  run: async (model, check, variant) => runCheck(model, { variant, maxStates: check.maxStates }),
};

const config: CiConfig = {
  checks: [
    { model: 'counter', variant: 'locked', expect: 'pass' },
    { model: 'counter', variant: 'racy', expect: 'violation:counter.lost-update' },
    { model: 'counter', variant: 'locked', bounds: { threads: 3 }, expect: 'pass' },
    { model: 'counter', variant: 'racy', bounds: { threads: 3 }, expect: 'violation:counter.lost-update' },
    { model: 'counter', variant: 'locked', bounds: { threads: 1 }, expect: 'pass' },
  ],
};

function fakeResult(verdict: Result['verdict'], property?: string): Result {
  return {
    version: 'protocheck.result/1', model: { name: 'x' }, engine: 'explicit', verdict, bounds: {},
    stats: { states: 1, transitions: 0, depth: 0, seconds: 0, statesPerSecond: 0 },
    ...(property ? { property: { id: property, kind: 'invariant', class: 'unsound', message: 'm' } } : {}),
  };
}

describe('config validation', () => {
  it('names the JSON path at fault', () => {
    expect(() => validateConfig({ checks: [{ model: 'mm', expect: 'passes' }] }, 'c.json')).toThrow(/c\.json: checks\.0\.expect: must match pattern/);
    expect(() => validateConfig({ checks: [{ model: 'mm', expect: 'pass', threads: 3 }] })).toThrow(/checks\.0: must NOT have additional properties 'threads'/);
    expect(() => validateConfig({ checks: [] })).toThrow(ConfigError);
  });
  it('names checks by model, variant and bounds, and applies defaults', () => {
    const r = resolveChecks({ defaults: { engine: 'explicit', maxStates: 10 }, checks: config.checks.slice(0, 3) }, '/x');
    expect(r.map((c) => c.name)).toEqual(['counter/locked', 'counter/racy', 'counter/locked threads=3']);
    expect(r[0].maxStates).toBe(10);
  });
});

describe('expectations', () => {
  it('classifies every verdict against every kind of expectation', () => {
    expect(classify('pass', fakeResult('pass')).outcome).toBe('as-expected');
    expect(classify('pass', fakeResult('violation', 'a')).outcome).toBe('unexpected-violation');
    expect(classify('pass', fakeResult('incomplete')).outcome).toBe('inconclusive');
    expect(classify('proved', fakeResult('pass')).outcome).toBe('inconclusive');
    expect(classify('proved', fakeResult('proved')).outcome).toBe('as-expected');
    expect(classify('violation:a', fakeResult('violation', 'a')).outcome).toBe('as-expected');
    expect(classify('violation:a', fakeResult('violation', 'b')).outcome).toBe('unexpected-violation');
    expect(classify('violation:a', fakeResult('pass')).outcome).toBe('expected-violation-missing');
    expect(classify('violation:a', fakeResult('unknown')).outcome).toBe('inconclusive');
  });
  it('a wrong expectation names the check, the expected and the actual verdict', async () => {
    const checks = resolveChecks({ checks: [{ model: 'counter', variant: 'racy', expect: 'pass' }] }, '.');
    const rep = await runChecks(checks, runner);
    expect(rep.checks[0].outcome).toBe('unexpected-violation');
    expect(rep.checks[0].name).toBe('counter/racy');
    expect(rep.checks[0].message).toBe('expected pass, got violation:counter.lost-update: an increment was lost');
    expect(rep.exitCode).toBe(EXIT.violation);
  });
  it('exit code: the most severe outcome wins', () => {
    const c = (outcome: CheckReport['outcome'], errorCode?: number) => ({ outcome, errorCode }) as CheckReport;
    expect(exitCodeFor([c('as-expected')])).toBe(0);
    expect(exitCodeFor([c('as-expected'), c('inconclusive')])).toBe(EXIT.inconclusive);
    expect(exitCodeFor([c('inconclusive'), c('expected-violation-missing')])).toBe(EXIT.expectationMissed);
    expect(exitCodeFor([c('expected-violation-missing'), c('unexpected-violation')])).toBe(EXIT.violation);
    expect(exitCodeFor([c('unexpected-violation'), c('model-error', EXIT.modelNotFound)])).toBe(EXIT.modelNotFound);
  });
  it('a model that throws while building is a model error with its message', async () => {
    const rep = await runChecks(resolveChecks({ checks: [{ model: 'broken', expect: 'pass' }] }, '.'), runner);
    expect(rep.checks[0].outcome).toBe('model-error');
    expect(rep.checks[0].message).toContain('deliberate failure while building');
    expect(rep.exitCode).toBe(EXIT.modelBuild);
  });
});

describe('shards', () => {
  it('the union of 1/3, 2/3, 3/3 equals the unsharded run, check for check', async () => {
    const checks = resolveChecks(config, '.');
    const whole = await runChecks(checks, runner);
    const parts: Awaited<ReturnType<typeof runChecks>>[] = [];
    for (const i of [1, 2, 3]) parts.push(await runChecks(checks, runner, parseShard(`${i}/3`)));
    expect(parts.map((p) => p.checks.length)).toEqual([2, 2, 1]);
    const merged = mergeReports(parts);
    const strip = (c: CheckReport) => ({ ...c, result: c.result && { ...c.result, stats: { ...c.result.stats, seconds: 0, statesPerSecond: 0 } } });
    expect(merged.checks.map(strip)).toEqual(whole.checks.map(strip));
    expect(merged.exitCode).toBe(whole.exitCode);
    expect(merged.summary['as-expected']).toBe(5);
    expect(() => mergeReports([parts[0], parts[0]])).toThrow(MergeError);
  });
  it('rejects a malformed shard', () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/n/);
  });
});

describe('outputs', () => {
  const mixed: CiConfig = { checks: [
    { model: 'counter', variant: 'locked', expect: 'pass' },
    { model: 'counter', variant: 'racy', expect: 'pass' },
    { model: 'counter', variant: 'locked', expect: 'violation:counter.lost-update' },
    { model: 'broken', expect: 'pass' },
  ] };

  it('JUnit parses back: one test case per check, failures carry the trace summary', async () => {
    const rep = await runChecks(resolveChecks(mixed, '.'), runner);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(toJUnit(rep));
    const suite = xml.testsuites.testsuite;
    expect(suite.tests).toBe('4');
    expect(suite.failures).toBe('2');
    expect(suite.errors).toBe('1');
    const cases = suite.testcase;
    expect(cases.map((c: { name: string }) => c.name)).toEqual(['counter/locked', 'counter/racy', 'counter/locked #2', 'broken']);
    expect(cases[0].failure).toBeUndefined();
    expect(cases[1].failure.type).toBe('unexpected-violation');
    expect(cases[1].failure.message).toBe('expected pass, got violation:counter.lost-update: an increment was lost');
    // The racy trace: the lock step is a no-op; both threads read 0, both write 1, then a check
    // sees c=1 with two increments finished. Of the 7-step traces, minimisation picks one with
    // the fewest context switches (2: T1 reads, T2 reads and writes, T1 writes and checks).
    expect(cases[1].failure['#text']).toBe([
      'property counter.lost-update (unsound): an increment was lost',
      '1. T1 lock', '2. T1 read', '3. T2 lock', '4. T2 read', '5. T2 write', '6. T1 write', '7. T1 check',
      'states: 28, depth: 7',
    ].join('\n'));
    expect(cases[1].properties.property).toEqual({ name: 'class', value: 'unsound' });
    expect(cases[2].failure.type).toBe('expected-violation-missing');
    expect(cases[3].error.type).toBe('model-error');
  });

  it('SARIF validates against the official 2.1.0 schema and points at the model file', async () => {
    const rep = await runChecks(resolveChecks(mixed, '.'), runner);
    const sarif = toSarif(rep) as { runs: { results: Record<string, any>[] }[] };
    const schema = JSON.parse(readFileSync('test/fixtures/sarif-2.1.0.json', 'utf8'));
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const ok = ajv.validate(schema, sarif);
    expect(ajv.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.map((r) => r.ruleId)).toEqual(['counter.lost-update', 'protocheck.expected-violation-missing', 'protocheck.model-error']);
    const loc = results[0].locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe('test/ci/models.ts');
    expect(loc.region.startLine).toBe(17); // the requires(...) call in models.ts
    const flows = results[0].codeFlows[0].threadFlows;
    expect(flows.map((f: { id: string }) => f.id).sort()).toEqual(['T1', 'T2']);
    const stepLocs = flows.flatMap((f: { locations: any[] }) => f.locations);
    expect(stepLocs.every((l: any) => l.location.physicalLocation.artifactLocation.uri === 'test/ci/models.ts')).toBe(true);
  });

  it('SARIF level and GitHub annotation level follow the property class', async () => {
    const rep = await runChecks(resolveChecks(mixed, '.'), runner);
    const racy = rep.checks[1];
    const levels = (['unsound', 'warn', 'liveness', 'leak', 'capability'] as const).map((cls) => {
      const c = { ...racy, result: { ...racy.result!, property: { ...racy.result!.property!, id: `x.${cls}`, class: cls } } };
      const log = toSarif({ ...rep, checks: [c] }) as { runs: { results: Record<string, any>[]; tool: { driver: { rules: any[] } } }[] };
      const r = log.runs[0].results[0];
      expect(r.properties).toEqual({ class: cls });
      expect(log.runs[0].tool.driver.rules[0].defaultConfiguration.level).toBe(r.level);
      return [cls, r.level, githubAnnotations({ ...rep, checks: [c] })[0].split(' ')[0]];
    });
    expect(levels).toEqual([
      ['unsound', 'error', '::error'], ['warn', 'warning', '::warning'], ['liveness', 'error', '::error'],
      ['leak', 'warning', '::warning'], ['capability', 'note', '::notice'],
    ]);
    // Outcomes without a violated property keep their own levels.
    const levelsByRule = Object.fromEntries((toSarif(rep) as any).runs[0].results.map((r: any) => [r.ruleId, r.level]));
    expect(levelsByRule).toEqual({ 'counter.lost-update': 'error', 'protocheck.expected-violation-missing': 'error', 'protocheck.model-error': 'error' });
  });

  it('GitHub annotations: one per unexpected outcome, on the property line', async () => {
    const rep = await runChecks(resolveChecks(mixed, '.'), runner);
    const lines = githubAnnotations(rep);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('::error file=test/ci/models.ts,line=17,col=19,title=protocheck%3A counter/racy::[unsound] expected pass, got violation:counter.lost-update: an increment was lost');
  });
});

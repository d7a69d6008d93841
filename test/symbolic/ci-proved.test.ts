/**
 * `expect: proved` / `proved:any` in a ci config, met only by an actual proof: `engine: pdr` on
 * the mutex workers proves (exit 0); the explicit engine's exhaustive pass is not a proof
 * (inconclusive, exit 2); the lock without its wait is a violation under pdr too (exit 1);
 * `proved:any` needs a proof for any number of workers.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, ROOT } from '../cli/run-cli.ts';
import { EXIT } from '../../checker/result.ts';
import { validateConfig } from '../../cli/ci/config.ts';
import { classify } from '../../cli/ci/report.ts';
import type { Result } from '../../checker/result.ts';

const dir = mkdtempSync(join(tmpdir(), 'protocheck-ci-proved-'));
const counter = join(ROOT, 'test/ci/counter-model.ts');
const workers = join(ROOT, 'test/symbolic/fixtures/workers-model.ts');
function config(name: string, checks: object[]): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({ checks }));
  return p;
}
const ci = (file: string) => cli(['ci', '--config', file], { cwd: dir });

describe('ci: expect proved', () => {
  it('the schema takes engine pdr, in a check and in the defaults', () => {
    expect(() => validateConfig({ defaults: { engine: 'pdr' }, checks: [{ model: 'mm', engine: 'pdr', expect: 'proved' }] })).not.toThrow();
    expect(() => validateConfig({ checks: [{ model: 'mm', engine: 'spacer', expect: 'proved' }] }, 'c.json')).toThrow(/^c\.json: checks\.0\.engine: must be equal to one of the allowed values$/);
  });

  it('engine pdr on workers/mutex (2 workers): proved as expected, exit 0', () => {
    const r = ci(config('ok.json', [{ model: workers, variant: 'mutex', engine: 'pdr', expect: 'proved' }]));
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout).toMatch(/^ok +\S*workers-model\.ts\/mutex +\d+ states +[\d.]+ s {2}proved$/m);
  }, 120_000);

  it('engine explicit on counter/locked: an exhaustive pass is not a proof (inconclusive, exit 2)', () => {
    const r = ci(config('explicit.json', [{ model: counter, variant: 'locked', expect: 'proved' }]));
    expect(r.code).toBe(EXIT.inconclusive);
    expect(r.stdout).toMatch(/expected proved, got pass \(exhaustive within bounds, but no proof for all depths\)/);
  });

  it('engine pdr on workers/no-wait (the lock\'s wait removed): never proved, the violation (exit 1)', () => {
    const r = ci(config('racy.json', [{ model: workers, variant: 'no-wait', engine: 'pdr', expect: 'proved' }]));
    expect(r.code).toBe(EXIT.violation);
    expect(r.stdout).toMatch(/expected proved, got violation:mutex\.one-in-crit/);
  }, 120_000);
});

describe('ci: expect proved:any', () => {
  const proved = (anyMembers?: string): Result => ({
    version: 'protocheck.result/1', model: { name: 'x' }, engine: 'pdr', verdict: 'proved', bounds: {},
    stats: { states: 1, transitions: 0, depth: 0, seconds: 0, statesPerSecond: 0 },
    proof: { method: 'spacer', invariant: [], recheck: { smt: 'valid', explicitStates: 0, explicitComplete: false }, seconds: 0, ...(anyMembers ? { anyMembers } : {}) },
  });
  it('met only by a proof for any number of members; a proof at one bound is inconclusive', () => {
    expect(classify('proved:any', proved('senders'))).toMatchObject({ outcome: 'as-expected', actual: 'proved:any' });
    expect(classify('proved:any', proved()).outcome).toBe('inconclusive');
    expect(classify('proved', proved('senders')).outcome).toBe('as-expected');
  });

  it('engine pdr on workers/mutex: proved for any number of workers, exit 0', () => {
    const r = ci(config('any.json', [{ model: workers, variant: 'mutex', engine: 'pdr', expect: 'proved:any' }]));
    expect(r.code).toBe(EXIT.pass);
    expect(r.stdout).toMatch(/^ok +\S*workers-model\.ts\/mutex +\d+ states +[\d.]+ s {2}proved:any$/m);
  }, 120_000);

  it('proved:any where the abstraction does not apply, or without engine pdr: a model error naming why (exit 65)', () => {
    const r = ci(config('any-bad.json', [
      { model: workers, variant: 'relay', engine: 'pdr', expect: 'proved:any' },
      { model: workers, variant: 'mutex', expect: 'proved:any' },
    ]));
    expect(r.code).toBe(EXIT.badOption);
    expect(r.stdout).toMatch(/expected proved:any, but the model failed: expect proved:any: parameters from, to each pick a member; the counter abstraction follows at most one member besides the one taking the step \(action hand\)/);
    expect(r.stdout).toMatch(/expected proved:any, but the model failed: expect proved:any: needs "engine": "pdr" \(got explicit\)/);
  }, 120_000);
});

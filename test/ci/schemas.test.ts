import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { builtinModels } from '../../model/registry.ts';
import { runCheck } from '../../checker/check.ts';
import { boundsFor } from '../../cli/ci/run.ts';
import { cli } from '../cli/run-cli.ts';
import { builtinChecks } from '../../cli/commands/ci.ts';

// The published schemas describe what protocheck prints: every built-in result, and a ci report.
const load = (f: string) => JSON.parse(readFileSync(new URL(`../../schema/${f}`, import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(load('result.schema.json'), 'result.schema.json');
const validateResult = ajv.getSchema('result.schema.json')!;
const validateReport = ajv.compile(load('ci-report.schema.json'));

describe('published JSON schemas', () => {
  it('every built-in variant\'s result validates against schema/result.schema.json', () => {
    let n = 0;
    for (const def of builtinModels) {
      for (const v of def.variants) {
        const r = JSON.parse(JSON.stringify(runCheck(def.build(v.name, boundsFor(def)), { variant: v.name })));
        expect(validateResult(r), `${def.name}/${v.name}: ${JSON.stringify(validateResult.errors)}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(30);
  });
  it('a result missing its verdict does not validate', () => {
    const r = JSON.parse(JSON.stringify(runCheck(builtinModels[0].build(builtinModels[0].variants[0].name, boundsFor(builtinModels[0])))));
    delete r.verdict;
    expect(validateResult(r)).toBe(false);
  });
  it('ci --builtin --json validates against schema/ci-report.schema.json', () => {
    const r = cli(['ci', '--builtin', '--json', '--shard', '1/4']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    // The shard names its place and the size of the whole run, so merge can tell a set is complete.
    expect(report.shard).toEqual({ index: 1, count: 4, checks: builtinChecks().length });
    report.checks[0].outcome = 'fine';
    expect(validateReport(report)).toBe(false);
  });
});

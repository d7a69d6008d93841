/**
 * Every SARIF result has a location (GitHub's code scanning rejects one without): a check whose
 * model could not be loaded has no source location, so it points at the model file the config
 * names, or, for a built-in model, at the registry of built-in models (cli/ci/sarif.ts).
 * test/cli/install.test.ts checks the same from an installed protocheck.
 */
import { describe, it, expect } from 'vitest';
import { toSarif } from '../../cli/ci/sarif.ts';
import { makeReport, type CheckReport } from '../../cli/ci/report.ts';
import { ROOT } from './run-cli.ts';

const failed = (index: number, model: string): CheckReport => ({
  index, name: `${model}/fixed`, model, engine: 'explicit', expect: 'pass',
  outcome: 'model-error', actual: 'error', message: 'expected pass, but the model failed: model file not found', errorCode: 65,
});

describe('SARIF: a location on every result', () => {
  it('a model that failed to load: its file, or the built-in registry', () => {
    const log = toSarif(makeReport([failed(0, './models/gone.ts'), failed(1, 'nosuch')], 0), ROOT) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: unknown }[] }[] }[];
    };
    const results = log.runs[0].results;
    expect(results.map((r) => r.ruleId)).toEqual(['protocheck.model-error', 'protocheck.model-error']);
    expect(results[0].locations).toEqual([{ physicalLocation: { artifactLocation: { uri: './models/gone.ts' } } }]);
    // The registry, relative to the root given (here the repository this test runs in).
    expect(results[1].locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'model/registry.ts' } } }]);
  });
});

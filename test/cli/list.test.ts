import { describe, it, expect } from 'vitest';
import { cli } from './run-cli.ts';
import { EXIT } from '../../checker/result.ts';

describe('list', () => {
  it('list FILE: the model file\'s variants and bounds', () => {
    const r = cli(['list', 'examples/kref-lookup.ts']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'kref-lookup — kref lookup race: kref_get vs kref_get_unless_zero on an object found in a table',
      '  bounds: readers=2 (1..6: reader threads)',
      '  get-unless-zero  readers use kref_get_unless_zero and check the result  [expect pass]',
      '  kref-get         readers use kref_get on an object found in the table  [expect violation:refcount.add-on-zero]',
    ]);
    const j = JSON.parse(cli(['list', 'api-task', '--json']).stdout) as { name: string; variants: { name: string }[]; bounds: { name: string; default: number }[] };
    expect([j.name, j.variants.map((v) => v.name), j.bounds.map((b) => `${b.name}=${b.default}`)]).toEqual(['api-task', ['any-task', 'current-only', 'current-sendable'], ['clients=2', 'budget=3']]);
  });
  it('list of an unknown model is the model-not-found error', () => {
    const r = cli(['list', 'nosuch']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([EXIT.modelNotFound, expect.stringMatching(/^protocheck: error: unknown model 'nosuch'; built-in models: mm, /)]);
  });
});

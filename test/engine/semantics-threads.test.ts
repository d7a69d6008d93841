/**
 * Threaded differential suite (issue 15 point 4): random programs of 2–3 threads built from
 * `step`, `branch`, `either`, `loop` and `goto`, checked by protocheck (builder, explicit
 * engine) and by the independent reference interpreter of test/helpers/reference-semantics.ts:
 * the same verdict, shortest trace length and violated property, and on a pass the same number
 * of states and BFS depth (test/engine/semantics-differential.ts). Seeded: the same 60 programs
 * every run, up to ~5·10^4 states and traces of up to ~17 steps.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { threadedPrograms } from './random-programs.ts';
import { differential, type Agreement } from './semantics-differential.ts';

describe('threaded programs: builder and explicit engine against the reference semantics', () => {
  it('60 random programs agree on verdict, shortest length, property and states', () => {
    const seen: Agreement[] = [];
    fc.assert(fc.property(threadedPrograms(), (spec) => {
      const d = differential(spec);
      expect(d).toBeDefined();
      seen.push(d!);
    }), { numRuns: 60, seed: 154 });
    // Not vacuous: large state spaces, long traces, every kind of verdict.
    expect(seen.filter((d) => d.states >= 1_000).length).toBeGreaterThanOrEqual(10);
    expect(seen.filter((d) => d.states >= 10_000).length).toBeGreaterThanOrEqual(3);
    expect(seen.filter((d) => (d.length ?? 0) >= 10).length).toBeGreaterThanOrEqual(5);
    const kinds = new Set(seen.map((d) => (d.verdict === 'pass' ? 'pass' : d.property!.replace(/^r\d+$/, 'requires'))));
    expect([...kinds].sort()).toEqual(['bounds', 'deadlock', 'inv', 'pass', 'requires']);
  });
});

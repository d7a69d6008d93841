/**
 * Shortest traces and verdicts: on random small models the explicit engine agrees with an
 * independent interpreter-only BFS (test/engine/helpers.ts) on pass/violation, and a reported
 * violation is at the minimal depth at which any violation exists; its trace replays on the
 * interpreter and ends in a violation of the claimed kind.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkExplicit } from '../../checker/explicit.ts';
import { instancesOf } from '../../checker/interpreter.ts';
import { replayPath } from '../../counterexamples/replay.ts';
import { interpreterBfs, key } from './helpers.ts';
import { randomModels } from './random-models.ts';

describe('explicit engine vs interpreter-only BFS on random models', () => {
  it('same verdict; violation depth = minimal depth; trace replays (200 models)', () => {
    let violations = 0, passes = 0, deep = 0;
    fc.assert(fc.property(randomModels(), ({ model }) => {
      const bfs = interpreterBfs(model);
      const raw = checkExplicit(model);
      expect(raw.verdict).toBe(bfs.minViolation === undefined ? 'pass' : 'violation');
      if (raw.verdict === 'pass') {
        passes++;
        // Exhaustive: the same reachable states, the same transitions, the same depth.
        expect(raw.states).toBe(bfs.states);
        expect(raw.transitions).toBe(bfs.transitions);
        expect(raw.depth).toBe(bfs.maxDepth);
        return;
      }
      violations++;
      const kind = raw.violation!.kind;
      if (kind === 'cover') { expect(bfs.kinds).toEqual(new Set(['cover'])); return; }
      const path = raw.path!;
      if (path.length >= 2) deep++;
      // No shorter path reaches a violation: the BFS's minimum over every kind is this length.
      expect(path.length).toBe(bfs.minViolation);
      expect(bfs.kinds.has(kind)).toBe(true);
      // The trace replays on the interpreter and the claimed violation holds at its end.
      const states = replayPath(model, path, raw.violation, instancesOf(model));
      // Every state on the path is at its BFS depth (a shortest path to each of them); a
      // requires/bounds step's successor is not a stored state, so it is skipped.
      const stored = kind === 'requires' || kind === 'bounds' ? states.slice(0, -1) : states;
      stored.forEach((s, i) => expect(bfs.depth.get(key(s))).toBe(i));
    }), { numRuns: 200 });
    // The generator yields both outcomes in quantity (else this test would prove little).
    expect(violations).toBeGreaterThan(20);
    expect(passes).toBeGreaterThan(20);
    // About 7% of the violations are 2 or more steps deep (3 of 200 is far below that).
    expect(deep).toBeGreaterThanOrEqual(3);
  });
});

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
import { replayPath } from '../../checker/replay.ts';
import { interpreterBfs, key } from './helpers.ts';
import { randomModels } from './random-models.ts';
import { tinyModels } from './models.ts';
import { builtinModels } from '../../model/registry.ts';
import type { Model } from '../../model/lang/ir.ts';

/** The engine's verdict, depth and counts against the BFS's (a pass must match both counts). */
function agree(model: Model, bfs: ReturnType<typeof interpreterBfs>): string {
  // Every state, as the BFS counts them (symmetry has its own test: symmetry.test.ts).
  const raw = checkExplicit(model, { symmetry: false });
  expect(raw.verdict).toBe(bfs.minViolation === undefined ? 'pass' : 'violation');
  if (raw.verdict === 'pass') {
    expect(raw.states).toBe(bfs.states);
    expect(raw.transitions).toBe(bfs.transitions);
    expect(raw.depth).toBe(bfs.maxDepth);
    return 'pass';
  }
  const kind = raw.violation!.kind;
  expect(bfs.kinds.has(kind)).toBe(true);
  if (kind !== 'cover') {
    expect(raw.path!.length).toBe(bfs.minViolation);
    replayPath(model, raw.path!, raw.violation, instancesOf(model));
  }
  return kind;
}

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

describe('explicit engine vs interpreter-only BFS on the built-in and test models', () => {
  // Every variant is cross-checked: a passing one state for state, a violation up to the BFS
  // level that settles the shortest one. The largest is api-task/current-only (248570 states
  // without symmetry, a pass); the limit only stops a runaway, and a variant past it fails
  // here: raise the limit (or lower the variant's default bounds), never skip the cross-check.
  const BFS_LIMIT = 300_000;
  // The plain interpreter BFS takes up to a few CPU-minutes on the largest variants.
  const TIMEOUT = 15 * 60_000;
  for (const def of [...builtinModels, ...tinyModels]) {
    for (const variant of def.variants) {
      it(`${def.name}/${variant.name}: same verdict, shortest depth, counts`, () => {
        const model = def.build(variant.name, Object.fromEntries(def.bounds.map((b) => [b.name, b.default])));
        const got = agree(model, interpreterBfs(model, BFS_LIMIT, true));
        // A built-in variant states its expected verdict: the engine must give it.
        if (builtinModels.includes(def)) {
          expect(variant.expect === 'pass' ? 'pass' : 'violation').toBe(got === 'pass' ? 'pass' : 'violation');
        }
      }, TIMEOUT);
    }
  }

  it('a run stopped by the state limit is incomplete at exactly that many states, never pass', () => {
    // binder/fixed passes with 35042 states; stopped at 4000 it must say so.
    const def = builtinModels.find((d) => d.name === 'binder')!;
    const model = def.build('fixed', Object.fromEntries(def.bounds.map((b) => [b.name, b.default])));
    const raw = checkExplicit(model, { maxStates: 4_000, symmetry: false });
    expect(raw.verdict).toBe('incomplete');
    expect(raw.reason).toBe('stopped at --max-states 4000');
    expect(raw.states).toBe(4_000);
    expect(() => interpreterBfs(model, 4_000, true)).toThrow('interpreterBfs: more than 4000 states');
  });
});

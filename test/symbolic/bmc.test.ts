/**
 * BMC: hand-computed shortest violations of every property kind (the length and the step the
 * explicit engine reports), the wording of a bounded pass, and the differential against the
 * explicit engine: every built-in model variant at its smallest bounds and 200 random small
 * models, where BMC's first failing length must equal the BFS trace length and both must agree
 * on violation / no violation up to the depth.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Model } from '../../model/lang/ir.ts';
import { runBmc } from '../../checker/symbolic/index.ts';
import { runCheck } from '../../checker/check.ts';
import { builtinModels } from '../../model/registry.ts';
import { randomModels } from '../engine/random-models.ts';
import { counterDef } from '../ci/models.ts';
import * as tiny from './models.ts';

/** The explicit engine's answer within `depth` steps: the shortest violation length, or none. */
function explicitWithin(model: Model, depth: number): { length?: number; kind?: string; exhaustiveDepth: number } {
  const r = runCheck(model, { minimise: false });
  if (r.verdict === 'violation' && r.property!.kind !== 'cover') {
    const length = r.trace!.steps.length;
    return length <= depth ? { length, kind: r.property!.kind, exhaustiveDepth: r.stats.depth } : { exhaustiveDepth: r.stats.depth };
  }
  expect(r.verdict === 'pass' || r.property?.kind === 'cover').toBe(true);
  return { exhaustiveDepth: r.stats.depth };
}

describe('BMC shortest violations (hand-computed)', () => {
  const cases: [string, () => Model, number, string, string, string?][] = [
    // name, model, length, property kind, property id, last action
    ['invariant false initially', tiny.initBad, 0, 'invariant', 'init-bad.x-is-1'],
    ['deadlock in the initial state', tiny.stuck, 0, 'deadlock', 'deadlock'],
    ['requires on the first step', tiny.useBeforeReady, 1, 'requires', 'ready.use-before-ready', 'use'],
    ['index out of range in a guard', tiny.peekOutOfRange, 3, 'bounds', 'bounds', 'peek'],
    ['assignment out of range', tiny.overflow, 2, 'bounds', 'bounds', 'inc'],
    ['requires wins over bounds in one step', tiny.requiresBeforeBounds, 1, 'requires', 'rb.x-is-0', 'bad'],
    ['quiescence in a final state', tiny.leak, 1, 'quiescence', 'leak.y-released', 'finish'],
  ];
  for (const [name, build, length, kind, id, action] of cases) {
    it(`${name}: length ${length}, ${kind}`, async () => {
      const model = build();
      const r = await runBmc(model, { depth: 5 });
      expect(r.engine).toBe('bmc');
      expect(r.verdict).toBe('violation');
      expect(r.property).toMatchObject({ kind, id });
      expect(r.trace!.steps.length).toBe(length);
      if (action) expect(r.trace!.steps[length - 1].action).toBe(action);
      expect(r.stats.depth).toBe(length);
      // The explicit engine reports the same length and property.
      const ex = runCheck(model, { minimise: false });
      expect(ex.property).toMatchObject({ kind, id });
      expect(ex.trace!.steps.length).toBe(length);
    });
  }

  it('racy counter, 2 threads: lost update at length 7 (lock, read, lock, read, write, write, check)', async () => {
    const r = await runBmc(counterDef.build('racy', { threads: 2 }), { depth: 10 });
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('counter.lost-update');
    expect(r.trace!.steps.map((s) => s.action.replace(/@.*/, '')).filter((a) => a === 'write')).toHaveLength(2);
    expect(r.trace!.steps).toHaveLength(7);
    expect(r.trace!.steps[6].action).toMatch(/check/);
  });
});

describe('BMC bounded pass', () => {
  it('locked counter: bounded (not pass) with bounds.depth = K and "no violation within K steps"', async () => {
    const model = counterDef.build('locked', { threads: 2 });
    const r = await runBmc(model, { depth: 6, smtTimeoutMs: 60_000 });
    // Its reachable states lie deeper than 6 steps, so 6 steps are not a pass.
    const depth = runCheck(model, { minimise: false }).stats.depth;
    expect(depth).toBeGreaterThanOrEqual(6);
    expect(r.verdict).toBe('bounded');
    expect(r.bounds.depth).toBe(6);
    expect(r.bounds.smtTimeoutMs).toBe(60_000);
    expect(r.note).toBe(`no violation within 6 steps; not a pass: reachable states lie up to ${depth} steps deep; give --depth ${depth + 1} or more, or use --engine explicit`);
    expect(JSON.stringify(r)).not.toMatch(/verified/i);
    expect(r.trace).toBeUndefined();
    // One figure per length 0..6.
    expect(r.smt!.perDepth!.map((d) => d.depth)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a violation deeper than K is not reported, and no pass either: racy counter is bounded within 6 steps', async () => {
    const r = await runBmc(counterDef.build('racy', { threads: 2 }), { depth: 6 });
    expect(r.verdict).toBe('bounded');
    expect(r.note).toBe('no violation within 6 steps; not a pass: a longer search finds a violation at 7 steps; use --engine explicit');
  });

  it('a depth beyond every reachable state is a pass: locked counter at its BFS depth + 1', async () => {
    const model = counterDef.build('locked', { threads: 2 });
    const ex = runCheck(model, { minimise: false });
    expect(ex.verdict).toBe('pass');
    const atDepth = await runBmc(model, { depth: ex.stats.depth });
    expect(atDepth.verdict).toBe('bounded'); // a step out of the deepest state is one longer
    const r = await runBmc(model, { depth: ex.stats.depth + 1 });
    expect(r.verdict).toBe('pass');
    expect(r.note).toBe(`no violation within ${ex.stats.depth + 1} steps; complete: every reachable state is within ${ex.stats.depth} steps (an exhaustive search of ${ex.stats.states} states), fewer than ${ex.stats.depth + 1}`);
  });
});

/** Built-in variants whose full BFS depth is within this many steps are checked to that depth. */
const FULL_DEPTH_LIMIT = 12;
/** Deeper ones are checked up to this depth (the comparison is then "up to the depth"). */
const CAPPED_DEPTH = 8;
/**
 * A violation up to this long is checked at its full length, so BMC's minimal failing depth is
 * compared with the BFS trace length (aref into-raw-leak 13, binder K3 14 and rule (a) 13: about
 * 10 s together). Longer ones fall back to CAPPED_DEPTH: at 15..18 steps binder K1/K2,
 * binder-rust no-check-vma and page drop-before-zap take 2-30 s each and vma no-vm_mm-recheck
 * more than a minute, too much for CI.
 */
const VIOLATION_DEPTH_LIMIT = 14;

describe('BMC vs explicit: built-in models at their smallest bounds', () => {
  it(`model list is not empty (${builtinModels.length} built-in models)`, () => {
    expect(builtinModels.length).toBeGreaterThan(0);
  });
  for (const def of builtinModels) {
    for (const variant of def.variants) {
      const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.min]));
      it(`${def.name}/${variant.name} ${JSON.stringify(bounds)}`, async () => {
        const model = def.build(variant.name, bounds);
        const full = explicitWithin(model, Infinity);
        const natural = full.length ?? full.exhaustiveDepth;
        const limit = full.length !== undefined ? VIOLATION_DEPTH_LIMIT : FULL_DEPTH_LIMIT;
        const depth = natural <= limit ? natural : CAPPED_DEPTH;
        const want = explicitWithin(model, depth);
        const r = await runBmc(model, { depth });
        if (want.length !== undefined) {
          expect(r.verdict).toBe('violation');
          expect(r.trace!.steps.length).toBe(want.length);
        } else {
          // depth <= the BFS depth: never provably complete, so bounded (exit 2), not pass.
          expect(r.verdict).toBe('bounded');
          expect(r.bounds.depth).toBe(depth);
        }
      });
    }
  }
});

describe('BMC vs explicit: random small models', () => {
  it('200 models: the first failing length is the BFS trace length; no violation agrees up to the depth', async () => {
    let violations = 0, passes = 0;
    await fc.assert(fc.asyncProperty(randomModels(), async ({ model }) => {
      const ex = runCheck(model, { minimise: false });
      const depth = Math.min(ex.stats.depth + 1, 12);
      const want = explicitWithin(model, depth);
      const r = await runBmc(model, { depth });
      if (want.length !== undefined) {
        violations++;
        expect(r.verdict).toBe('violation');
        expect(r.trace!.steps.length).toBe(want.length);
        // Both name a property of the same kind when the shortest violation is unique in kind;
        // either way the BMC trace was replayed on the interpreter inside runBmc.
        expect(['invariant', 'requires', 'deadlock', 'quiescence', 'bounds']).toContain(r.property!.kind);
      } else {
        passes++;
        // A pass exactly when the depth goes past every reachable state of an exhaustive pass.
        expect(r.verdict).toBe(ex.verdict === 'pass' && ex.stats.depth < depth ? 'pass' : 'bounded');
      }
    }), { numRuns: 200 });
    expect(violations).toBeGreaterThan(40);
    expect(passes).toBeGreaterThan(20);
  });
});

/**
 * `--workers N`: the parallel explicit search gives the one-thread engine's results, figures and
 * traces exactly (only seconds, states/s and the `workers` figure differ). Helpers are forced
 * onto these small models (no start delay, any frontier, tiny chunks), so every level is split
 * over both threads and many chunks, and a state is often found by several chunks at once.
 */
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../model/registry.ts';
import { runCheck } from '../../checker/check.ts';
import { checkExplicit, type ExplicitOptions } from '../../checker/explicit.ts';
import { ModelError } from '../../model/lang/expr.ts';
import { model, range, bool, guard, set, add, eq, lt, type Model } from '../../model/lang/index.ts';
import { counters, mutex, philosophers, twoSteps, requiresModel, boundsModel, coverModel } from './models.ts';
import { rawWithout, json } from './timeless.ts';

/** Helpers on from the first level, chunks of 2 states. */
const FORCED: ExplicitOptions = { workers: 2, parallel: { startAfterMs: 0, waitForHelpers: true, minFrontier: 2, minChunk: 1, chunkSize: 2 } };



/** Smaller bounds for the variants whose defaults take seconds. */
const SMALL: Record<string, Record<string, number>> = {
  'api-task': { clients: 1 },
  'api-mm': { clients: 1 },
};

describe('parallel search: the same results as one thread', () => {
  for (const def of builtinModels) {
    it(`${def.name}: every variant gives byte-identical JSON with 1 and 2 workers`, () => {
      const bounds = { ...Object.fromEntries(def.bounds.map((b) => [b.name, b.default])), ...SMALL[def.name] };
      for (const v of def.variants) {
        const m = def.build(v.name, bounds);
        const one = runCheck(m, { variant: v.name, workers: 1 });
        const two = runCheck(m, { variant: v.name, ...FORCED });
        expect(json(two), `${def.name}/${v.name}`).toBe(json(one));
        expect(one.stats.workers).toBeUndefined();
        // The helper really searched whenever a level had two states or more.
        if (one.stats.states > 2) expect(two.stats.workers, `${def.name}/${v.name}`).toBe(2);
      }
    });
  }

  it('3 threads running `a; b`: 3^3 = 27 states, 3 * 2 * 3^2 = 54 transitions, depth 6, with 3 workers', () => {
    // Each thread's pc is one of a, b, done: 27 states; a thread not done has one step in each
    // of the 9 combinations of the others, twice (at a and at b): 54 transitions.
    const r = checkExplicit(twoSteps(3), { ...FORCED, workers: 3 });
    expect([r.verdict, r.states, r.transitions, r.depth]).toEqual(['pass', 27, 54, 6]);
    expect(r.workers).toBeGreaterThanOrEqual(2);
    expect(rawWithout(r)).toEqual(rawWithout(checkExplicit(twoSteps(3))));
  });

  it('--max-states stops at the same state, with the same figures, at every limit', () => {
    // counters(3, 3): 64 states; every limit below that is incomplete, 64 and above pass.
    const m = counters(3, 3);
    for (const maxStates of [1, 17, 63, 64]) {
      const one = checkExplicit(m, { maxStates });
      expect(rawWithout(checkExplicit(m, { ...FORCED, maxStates }))).toEqual(rawWithout(one));
      expect(one.verdict).toBe(maxStates >= 64 ? 'pass' : 'incomplete');
    }
  });

  it('the memory limit stops at the same state (its byte figure is the one-thread store\'s)', () => {
    // counters(2, 99): 10,000 states of 1 word; one page of 4096 states costs 4096 * (4 word
    // + 4 parent + 1 via) bytes plus a table of 8192 4-byte slots (4096 states at most 4/5
    // full): 69,632 bytes. A second page (8192 * 9 + 16384 * 4 = 139,264) would pass a
    // 100,000-byte limit: incomplete at 4096.
    const m = counters(2, 99);
    const one = checkExplicit(m, { maxBytes: 100_000 });
    expect([one.verdict, one.reason, one.states, one.bytesAllocated]).toEqual(['incomplete', 'stopped at the memory limit for stored states', 4096, 69_632]);
    expect(rawWithout(checkExplicit(m, { ...FORCED, maxBytes: 100_000 }))).toEqual(rawWithout(one));
  });

  it('a dead end later in a level beats a violation on the way to the next level', () => {
    // x=0 -a-> 1, x=0 -b-> 2 (level 1 in that order); from 1, `bad` reaches 3, which breaks
    // the invariant (trace length 2); 2 is a dead end (trace length 1): the deadlock is reported.
    // Chunks of 1 state put 1 and 2 in different chunks.
    const m = deadEndAfterViolation();
    const one = checkExplicit(m);
    expect([one.verdict, one.violation, one.path?.length, one.states, one.transitions]).toEqual(['violation', { kind: 'deadlock' }, 1, 4, 3]);
    expect(rawWithout(checkExplicit(m, { ...FORCED, parallel: { ...FORCED.parallel, chunkSize: 1 } }))).toEqual(rawWithout(one));
  });

  it('invariant, requires, bounds, deadlock and cover violations: the same first violation and path', () => {
    for (const m of [mutex(true), philosophers(3, false), philosophers(4, true), requiresModel(), boundsModel(), coverModel('vacuous'), coverModel('reachable')]) {
      expect(rawWithout(checkExplicit(m, FORCED)), m.name).toEqual(rawWithout(checkExplicit(m)));
    }
  });

  it('a property that reads outside its sort fails the same way', () => {
    const m = outOfRangeInvariant();
    expect(() => checkExplicit(m)).toThrow(ModelError);
    const message = (() => { try { checkExplicit(m); } catch (e) { return (e as Error).message; } return ''; })();
    expect(message).toMatch(/^invariant arr\.at-x reads an array index outside its sort/);
    expect(() => checkExplicit(m, FORCED)).toThrow(message);
  });

  it('with the lead expanding again chunks a helper has not finished (the first result wins): the same results', () => {
    const backups: ExplicitOptions = { ...FORCED, parallel: { ...FORCED.parallel, backups: true } };
    for (const name of ['mm', 'drm_mm', 'vma']) {
      const def = builtinModels.find((d) => d.name === name)!;
      const bounds = Object.fromEntries(def.bounds.map((b) => [b.name, b.default]));
      for (const v of def.variants) {
        const m = def.build(v.name, bounds);
        expect(json(runCheck(m, { variant: v.name, ...backups })), `${name}/${v.name}`).toBe(json(runCheck(m, { variant: v.name })));
      }
    }
  });

  it('backups, vma/fixed 8 times with a level ending only when no helper is left on it: 9,458 states every time', () => {
    // A helper left running on a chunk the lead expanded again used to claim a state in the next
    // level that was never stored (9,457 states in 1 of 4 runs under load).
    const backups: ExplicitOptions = { ...FORCED, parallel: { ...FORCED.parallel, backups: true } };
    const def = builtinModels.find((d) => d.name === 'vma')!;
    const m = def.build('fixed', Object.fromEntries(def.bounds.map((b) => [b.name, b.default])));
    for (let i = 0; i < 8; i++) expect(checkExplicit(m, backups).states).toBe(9458);
  });

  it('symmetry on: the same orbits and traces (mm with 4 senders, every variant)', () => {
    const def = builtinModels.find((d) => d.name === 'mm')!;
    for (const v of def.variants) {
      const m = def.build(v.name, { senders: 4 });
      expect(json(runCheck(m, { variant: v.name, ...FORCED })), v.name).toBe(json(runCheck(m, { variant: v.name })));
    }
  });
});

function deadEndAfterViolation(): Model {
  const m = model('dead-end-after-violation');
  const x = m.var('x', range(0, 3), 0);
  m.action('a', { body: [guard(eq(x, 0)), set(x, 1)] });
  m.action('b', { body: [guard(eq(x, 0)), set(x, 2)] });
  m.action('bad', { body: [guard(eq(x, 1)), set(x, 3)] });
  m.invariant('x.not-3', 'x reached 3', lt(x, 3));
  m.final(eq(x, 3));
  return m.build();
}

function outOfRangeInvariant(): Model {
  const m = model('out-of-range');
  const arr = m.var('arr', bool, true, [range(0, 1)]);
  const x = m.var('x', range(0, 2), 0);
  m.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
  m.invariant('arr.at-x', 'arr[x] holds', arr.at(x));
  m.final(eq(x, 2));
  return m.build();
}

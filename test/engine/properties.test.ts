/** Violations of each property kind: requires, bounds, quiescence, cover; unreached actions on pass. */
import { describe, expect, it } from 'vitest';
import { model, range, guard, set, add, eq, lt } from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';
import { requiresModel, boundsModel, refModel, coverModel } from './models.ts';
import { explicit, traceSteps } from './helpers.ts';

describe('requires', () => {
  it('the failing step is last in the trace and its property is reported', () => {
    // inc1 and inc2 run with x = 0 and 1; inc3 runs with x = 2 and its `x < 2` fails: length 3.
    // Only (inc1,0), (inc2,1), (inc3,2) are stored before the failing step: 3 states.
    const r = runCheck(requiresModel());
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatchObject({ id: 'x.max', kind: 'requires', action: 'inc3', message: 'inc with x already 2' });
    expect(r.property?.loc?.file).toMatch(/test\/engine\/models\.ts$/);
    expect(traceSteps(r)).toEqual(['inc1@T', 'inc2@T', 'inc3@T']);
    expect(r.trace?.steps.at(-1)).toMatchObject({ index: 3, action: 'inc3', thread: 'T' });
    expect(r.stats.states).toBe(3);
    expect(r.stats.depth).toBe(3);
  });
});

describe('bounds', () => {
  it('assigning outside a range sort is property bounds, offending step last', () => {
    // x in 0..2, inc unguarded: the third inc assigns 3. The step's "after" state is the
    // unchanged pre-state (x = 2): the successor is not a legal state.
    const r = runCheck(boundsModel());
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatchObject({ id: 'bounds', kind: 'bounds', action: 'inc' });
    expect(traceSteps(r)).toEqual(['inc', 'inc', 'inc']);
    expect(r.trace?.steps.map((s) => s.state.x)).toEqual([1, 2, 2]);
  });

  it('an index outside its sort in a guard is property bounds of that action', () => {
    // x reaches 2 after two incs; then peek's guard reads arr[2] of an array over 0..1.
    const m = model('guard-bounds');
    const x = m.var('x', range(0, 2), 0);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
    m.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
    m.action('peek', { body: [guard(eq(arr.at(x), 0))] });
    m.noDeadlockCheck();
    const r = runCheck(m.build());
    expect(r.property).toMatchObject({ id: 'bounds', kind: 'bounds', action: 'peek' });
    expect(traceSteps(r)).toEqual(['inc', 'inc', 'peek']);
  });
});

describe('quiescence', () => {
  it('a reference forgotten on one path: violation after get, forget', () => {
    // States: (get, refs 0), (exit, 1), then put -> (done, 0) and forget -> (done, 1), final
    // with refs = 1: the leak, at depth 2.
    const r = runCheck(refModel(true));
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatchObject({ id: 'ref.leak', kind: 'quiescence' });
    expect(traceSteps(r)).toEqual(['get@T', 'forget@T']);
    expect(r.trace?.steps[1].state).toMatchObject({ refs: 1, pc: { T: 'done' } });
  });

  it('without the forgetful path: pass with 3 states and 2 transitions', () => {
    const r = runCheck(refModel(false));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
    expect(r.stats.transitions).toBe(2);
  });
});

describe('cover and unreached actions', () => {
  it('a cover property never satisfied is a violation (vacuous), without a trace', () => {
    // x goes 0, 1, 2 and stops: 3 states, all explored; x = 3 is never reached.
    const r = runCheck(coverModel('vacuous'));
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatchObject({ id: 'x.three', kind: 'cover', message: 'x reaches 3' });
    expect(r.trace).toBeUndefined();
    expect(r.stats.states).toBe(3);
  });

  it('a reachable cover passes, and the never-enabled action is listed as unreached', () => {
    const r = runCheck(coverModel('reachable'));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(3);
    expect(r.stats.transitions).toBe(2);
    expect(r.unreachedActions).toEqual(['reset']);
  });

  it('unreached actions without any cover property', () => {
    expect(runCheck(coverModel('none')).unreachedActions).toEqual(['reset']);
  });

  it('the engine marks an action reached when it fires in any state', () => {
    const { raw } = explicit(coverModel('none'));
    expect(raw.unreachedActions).toEqual(['reset']);
  });
});

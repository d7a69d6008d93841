import { describe, it, expect } from 'vitest';
import type { Model } from '../../model/lang/ir.ts';
import { runCheck } from '../../checker/check.ts';
import { compileModel } from '../../checker/compile.ts';
import { checkExplicit, type RawViolation } from '../../checker/explicit.ts';
import { canFire, evaluate, initialState, instancesOf, isFinal, enabled, step, type State } from '../../checker/interpreter.ts';
import { minimiseViolation, subsets } from '../../checker/minimise.ts';
import { pathFigures, figuresOf } from '../../checker/figures.ts';
import { bugModels, splitModel, racyCounter } from './models.ts';

/**
 * Every violating path of length L, by brute force on the interpreter, and the lexicographic
 * minimum of (threads, switches) over them: what the minimiser must reach exactly.
 */
function bruteForceBest(model: Model, L: number, target: RawViolation, targetId: string) {
  const all = instancesOf(model);
  let best: { threads: number; switches: number } | undefined;
  let count = 0;
  const consider = (path: number[]) => {
    count++;
    const f = pathFigures(model, path, all);
    if (!best || f.threads < best.threads || (f.threads === best.threads && f.switches < best.switches)) best = f;
  };
  const stateViolates = (s: State): boolean => {
    const props = (k: string) => model.properties.filter((p) => p.kind === k);
    if (target.kind === 'invariant') { const p = props('invariant')[target.index]; return 'expr' in p && !evaluate(model, p.expr, s, {}); }
    if (target.kind === 'quiescence') { const p = props('quiescence')[target.index]; return isFinal(model, s) && 'expr' in p && !evaluate(model, p.expr, s, {}); }
    if (target.kind === 'deadlock') return !isFinal(model, s) && enabled(model, s, all).length === 0;
    return false;
  };
  const go = (s: State, path: number[]) => {
    if (path.length === L) { if (stateViolates(s)) consider(path); return; }
    for (const inst of all) {
      const f = canFire(model, s, inst);
      if (!f.enabled) continue;
      const r = f.bounds ? { state: s, bounds: f.bounds, violated: undefined } : step(model, s, inst);
      const last = path.length === L - 1;
      if (r.violated || r.bounds) {
        const hit = target.kind === 'requires' ? r.violated?.id === targetId : target.kind === 'bounds' && !r.violated && r.bounds;
        if (last && hit) consider([...path, inst.id]);
        continue;
      }
      go(r.state, [...path, inst.id]);
    }
  };
  go(initialState(model), []);
  return { best: best!, count };
}

describe('minimisation after shortest', () => {
  it('picks the 2-thread trace when the engine first finds a 3-thread one', () => {
    const m = splitModel();
    const raw = runCheck(m, { minimise: false });
    // Unminimised: BFS order reaches x=3 through T1, T2, T3 (3 threads, 2 switches).
    expect(raw.trace!.steps.map((s) => `${s.thread} ${s.action}`)).toEqual(['T1 inc1', 'T2 inc2', 'T3 p']);
    const r = runCheck(m);
    expect(r.verdict).toBe('violation');
    expect(r.property!.id).toBe('x.below-3');
    expect(r.trace!.steps).toHaveLength(3);
    // T3 must take both its steps (the only way to 3 increments with 2 threads); one switch.
    expect(r.trace!.steps.map((s) => `${s.thread} ${s.action}`)).toEqual(['T3 p', 'T3 q', 'T1 inc1']);
    expect(r.trace!.steps[2].state).toEqual({ pc: { T1: 'done', T2: 'inc2', T3: 'done' }, x: 3 });
    expect(r.minimisation).toMatchObject({ exact: true, threads: 2, threadsTotal: 3, switches: 1, before: { threads: 3, switches: 2 } });
    // k = 0: 1 subset, k = 1: 3, k = 2: 3 ({T1,T2} fails; {T1,T3} and {T2,T3} are both replayed).
    expect(r.minimisation!.searches).toBe(7);
    expect(r.minimisation!.replayed).toBe(2);
    expect(r.stats).toEqual({ ...raw.stats, seconds: r.stats.seconds, statesPerSecond: r.stats.statesPerSecond });
  });

  it('cuts context switches: the racy counter goes from 4 to 2', () => {
    const r = runCheck(racyCounter(2));
    const raw = runCheck(racyCounter(2), { minimise: false });
    expect(raw.trace!.steps.map((s) => `${s.thread} ${s.action}`)).toEqual(['T1 read', 'T2 read', 'T1 write', 'T2 write', 'T1 check']);
    expect(r.trace!.steps.map((s) => `${s.thread} ${s.action}`)).toEqual(['T1 read', 'T2 read', 'T2 write', 'T1 write', 'T1 check']);
    expect(r.minimisation).toMatchObject({ exact: true, threads: 2, switches: 2, before: { threads: 2, switches: 4 } });
  });

  const cases: [string, () => Model][] = [
    ['split', splitModel],
    ['racy counter, 2 threads', () => racyCounter(2)],
    ['racy counter, 3 threads', () => racyCounter(3)],
    ...bugModels.variants.filter((v) => v.expect !== 'pass').map((v) => [`cx-bugs/${v.name}`, () => bugModels.build(v.name, {})] as [string, () => Model]),
  ];
  for (const [name, make] of cases) {
    it(`equals the brute-force minimum over every shortest violating path: ${name}`, () => {
      const m = make();
      const c = compileModel(m);
      const raw = checkExplicit(m, {}, c);
      expect(raw.verdict).toBe('violation');
      const all = instancesOf(m);
      const id = raw.violation!.kind === 'requires' ? all[raw.path!.at(-1)!].action.requires[raw.violation!.requirement].id : '';
      const min = minimiseViolation(m, c, raw.path!, raw.violation!);
      const brute = bruteForceBest(m, raw.path!.length, raw.violation!, id);
      expect(brute.count).toBeGreaterThan(0);
      expect(min.path).toHaveLength(raw.path!.length);
      expect({ threads: min.info.threads, switches: min.info.switches }).toEqual(brute.best);
      expect(pathFigures(m, min.path, all)).toEqual(brute.best);
      expect(min.violation.kind).toBe(raw.violation!.kind);
      expect(min.info.exact).toBe(true);
    });
  }

  it('stops at its state limit and keeps the engine trace, saying so', () => {
    const m = splitModel();
    const c = compileModel(m);
    const raw = checkExplicit(m, {}, c);
    const min = minimiseViolation(m, c, raw.path!, raw.violation!, { maxStates: 5 });
    expect(min.path).toEqual(raw.path);
    expect(min.info.exact).toBe(false);
    expect(min.info.reason).toBe('minimisation stopped at its limit of 5 states');
    expect(min.info).toMatchObject({ threads: 3, switches: 2, before: { threads: 3, switches: 2 } });
  });

  it('figures and subsets', () => {
    expect(figuresOf(['T1', 'T2', 'T2', 'T1'])).toEqual({ threads: 2, switches: 2 });
    expect(figuresOf([undefined, 'T1', undefined])).toEqual({ threads: 1, switches: 2 });
    expect([...subsets(4, 2)]).toEqual([0b0011, 0b0101, 0b1001, 0b0110, 0b1010, 0b1100]);
    expect([...subsets(3, 0)]).toEqual([0]);
    expect([...subsets(2, 3)]).toEqual([]);
  });
});

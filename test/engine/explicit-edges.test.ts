/**
 * checker/explicit.ts at its edges: which engine a `workers` figure selects, a violation in the
 * initial state, `--max-states` when the last stored state leads back to the initial one, the
 * memory limit told apart from other store failures, a symmetric model whose initial state is
 * not its orbit's representative, and a symmetry declaration that cannot be read at all.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { model, range, bool, guard, set, add, lt, eq, ge, not, ite, type Expr, type Model } from '../../model/lang/index.ts';
import { checkExplicit } from '../../checker/explicit.ts';
import { PagedStore } from '../../checker/visited.ts';
import { counters } from './models.ts';

afterEach(() => vi.restoreAllMocks());

/** `x` counts 0, 1, ..., n - 1 and back to 0: n states, the last one's only successor the initial state. */
function ring(n: number): Model {
  const m = model(`ring${n}`);
  const x = m.var('x', range(0, n - 1), 0);
  m.action('next', { body: [set(x, ite(eq(x, n - 1), 0, add(x, 1)))] });
  return m.build();
}

describe('workers: the parallel search only when more than one thread is asked for', () => {
  // The parallel search always reports its thread count (1 here: a search this small ends before
  // helpers would start); the one-thread search leaves it out.
  it('no figure and 1 search on one thread: no workers figure', () => {
    const m = counters(2, 2);
    expect(checkExplicit(m).workers).toBeUndefined();
    expect(checkExplicit(m, { workers: 1 }).workers).toBeUndefined();
  });

  it('2 searches in parallel: the workers figure is there, with the same states', () => {
    const r = checkExplicit(counters(2, 2), { workers: 2 });
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect([r.verdict, r.states, r.transitions, r.depth]).toEqual(['pass', 9, 12, 4]);
  });
});

describe('a violation in the initial state', () => {
  it('is reported with an empty path before anything is expanded', () => {
    const m = model('bad-start');
    const x = m.var('x', range(0, 3), 0);
    m.action('inc', { body: [guard(lt(x, 3)), set(x, add(x, 1))] });
    m.final(eq(x, 3));
    m.invariant('x.positive', 'x is at least 1', ge(x, 1));
    const r = checkExplicit(m.build());
    expect(r).toMatchObject({ verdict: 'violation', violation: { kind: 'invariant', index: 0 }, path: [], states: 1, transitions: 0, depth: 0 });
  });
});

describe('--max-states: only a new state passes the limit', () => {
  it('a ring of 5 with maxStates 5: the step back to the initial state (index 0) is no new state, so the run is exhaustive', () => {
    const r = checkExplicit(ring(5), { maxStates: 5 });
    expect([r.verdict, r.reason, r.states, r.transitions]).toEqual(['pass', undefined, 5, 5]);
    const cut = checkExplicit(ring(5), { maxStates: 4 });
    expect([cut.verdict, cut.reason, cut.states]).toEqual(['incomplete', 'stopped at --max-states 4', 4]);
  });
});

describe('the memory limit is the store\'s RangeError("memory") and nothing else', () => {
  /** Make the store fail with `err` once 5 states are stored. */
  function failAt5(err: Error) {
    const insert = PagedStore.prototype.insert;
    vi.spyOn(PagedStore.prototype, 'insert').mockImplementation(function (this: PagedStore, ...args: Parameters<PagedStore['insert']>) {
      if (this.count >= 5) throw err;
      return insert.apply(this, args);
    });
  }

  it('RangeError("memory") stops the run incomplete with the 5 states stored', () => {
    failAt5(new RangeError('memory'));
    const r = checkExplicit(counters(3, 9));
    expect([r.verdict, r.reason, r.states]).toEqual(['incomplete', 'stopped at the memory limit for stored states', 5]);
  });

  it('another RangeError (an allocation that failed) and an Error that only says "memory" are thrown as they are', () => {
    const alloc = new RangeError('Array buffer allocation failed');
    failAt5(alloc);
    expect(() => checkExplicit(counters(3, 9))).toThrow(alloc);
    vi.restoreAllMocks();
    const plain = new Error('memory');
    failAt5(plain);
    expect(() => checkExplicit(counters(3, 9))).toThrow(plain);
  });
});

describe('symmetry', () => {
  /** Threads T1, T2 interchangeable; `toggle(t)` flips t's flag; flags start as given. */
  function toggles(init: [boolean, boolean]): Model {
    const m = model('toggles');
    const T = m.threads(['T1', 'T2']);
    m.symmetric(['T1', 'T2']);
    const f = m.var('f', bool, init, [T.sort]);
    const t: Expr = { op: 'param', sort: T.sort, name: 't' };
    m.action('toggle', { params: [{ name: 't', sort: T.sort }], body: [set(f.at(t), not(f.at(t)))] });
    m.noDeadlockCheck();
    return m.build();
  }

  it('an initial state that is not its orbit\'s representative is stored as the representative: 3 orbits from either start', () => {
    // Orbits by the number of flags set: none, one, both. The start with one flag set is one of
    // the two states of its orbit; stored as it is, its twin would be stored again when reached.
    for (const init of [[true, false], [false, true]] as [boolean, boolean][]) {
      const on = checkExplicit(toggles(init));
      expect([init, on.verdict, on.states, on.symmetry]).toEqual([init, 'pass', 3, { on: true, members: ['T1', 'T2'], orbits: 3, exact: true }]);
      expect([init, checkExplicit(toggles(init), { symmetry: false }).states]).toEqual([init, 4]);
    }
  });

  it('a declaration checkSymmetry cannot read is an error, not a model searched without reduction', () => {
    const m = toggles([false, false]);
    const broken: Model = { ...m, symmetry: { ...m.symmetry!, tied: { ...m.symmetry!.tied, Bogus: 5 as unknown as number[][] } } };
    expect(() => checkExplicit(broken)).toThrow(TypeError);
  });
});

/** Regressions for compiled-engine bugs the differential tests found (see the commits of compile.ts). */
import { describe, expect, it } from 'vitest';
import { model, range, guard, set, sub, eq, lt, add, implies, TRUE, ModelError } from '../../model/lang/index.ts';
import { compileModel } from '../../checker/compile.ts';
import { initialState } from '../../checker/interpreter.ts';
import { runCheck } from '../../checker/check.ts';
import { compiledSuccessors, interpSuccessors, showSuccs } from './helpers.ts';

describe('compiled code', () => {
  it('subtracting a negative constant compiles (was `v[0]--1`)', () => {
    const m = model('neg');
    const x = m.var('x', range(0, 3), 0);
    m.action('up', { body: [guard(lt(x, 3)), set(x, sub(x, -1))] });
    m.final(eq(x, 3));
    const r = runCheck(m.build());
    expect(r.verdict).toBe('pass');
    // One path x = 0, 1, 2, 3 (x - (-1) adds 1): 4 states.
    expect(r.stats.states).toBe(4);
  });

  it('implies(a, true) still evaluates a: an index error in a is a bounds error in both engines', () => {
    const m = model('implies');
    const x = m.var('x', range(0, 3), 3);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
    m.action('a', { body: [guard(implies(eq(arr.at(x), 0), TRUE)), set(x, 0)] });
    const built = m.build();
    const s = initialState(built);
    const mine = interpSuccessors(built, s);
    expect(mine.map((x) => x.status)).toEqual([-1]);
    expect(showSuccs(compiledSuccessors(built, compileModel(built), s))).toEqual(showSuccs(mine));
  });

  it('an invariant reading outside a sort is a ModelError naming it, not a bounds error of the step', () => {
    // Before the fix the step that reached x = 2 was reported as a bounds violation, which then
    // failed replay (an internal error).
    const m = model('inv-oob');
    const x = m.var('x', range(0, 2), 0);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
    m.action('inc', { body: [guard(lt(x, 2)), set(x, add(x, 1))] });
    m.invariant('cell', 'arr[x] is 0', eq(arr.at(x), 0));
    m.noDeadlockCheck();
    const built = m.build();
    expect(() => runCheck(built)).toThrow(ModelError);
    expect(() => runCheck(built)).toThrow(/^invariant cell reads an array index outside its sort in a reachable state/);
  });
});

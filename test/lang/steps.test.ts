/** Sequential statements inside one step, compiled to parallel assignments (stmt.ts). */
import { describe, expect, it } from 'vitest';
import { model, range, guard, set, add, lt, when, requires } from '../../model/lang/index.ts';
import { runCheck } from '../../checker/check.ts';

describe('when', () => {
  // i counts 0..2 over an array of two cells; `mark` writes arr[i] := 1 only when i < 2.
  const build = (guarded: boolean) => {
    const m = model('when-index');
    const i = m.var('i', range(0, 2), 0);
    const arr = m.var('arr', range(0, 1), 0, [range(0, 1)]);
    m.action('next', { body: [guard(lt(i, 2)), set(i, add(i, 1))] });
    const write = set(arr.at(i), 1);
    m.action('mark', { body: guarded ? [when(lt(i, 2), [write])] : [write] });
    m.noDeadlockCheck();
    return m.build();
  };

  it('an index the branch guards against is not a bounds error', () => {
    // States: i in 0..2 with arr[0], arr[1] set only by mark at i = 0 / 1: i=0: arr (0,0),(1,0);
    // i=1: (0,0),(1,0),(0,1),(1,1); i=2: the same 4: 10 states.
    const r = runCheck(build(true));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(10);
  });

  it('the same write without the when is a bounds violation at i = 2', () => {
    const r = runCheck(build(false));
    expect(r.property).toMatchObject({ id: 'bounds', action: 'mark' });
    expect(r.trace?.steps).toHaveLength(3);
  });

  it('statements see earlier writes of the same step; requires reads the written value', () => {
    // x := x + 1; then requires x <= 2 sees the new value: the third step (x = 2 -> 3) fails it.
    const m = model('seq');
    const x = m.var('x', range(0, 3), 0);
    const y = m.var('y', range(0, 3), 0);
    m.action('bump', { body: [guard(lt(x, 3)), set(x, add(x, 1)), set(y, x), requires('x.le2', 'x above 2', lt(x, 3))] });
    m.noDeadlockCheck();
    const r = runCheck(m.build());
    expect(r.property).toMatchObject({ id: 'x.le2', kind: 'requires' });
    expect(r.trace?.steps.map((s) => [s.state.x, s.state.y])).toEqual([[1, 1], [2, 2], [3, 3]]);
  });
});

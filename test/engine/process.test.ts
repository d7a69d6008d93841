/** The process layer's control flow (loop, either, branch, goto), by hand-counted state spaces. */
import { describe, expect, it } from 'vitest';
import { model, range, bool, step, either, branch, loop, goto, guard, set, add, lt, not } from '../../model/lang/index.ts';
import { checkExplicit } from '../../checker/explicit.ts';
import { explicit } from './helpers.ts';

describe('process layer control flow', () => {
  it('loop: one thread spins x up to 2, then leaves: 4 states, 3 transitions', () => {
    // (spin,0) -inc-> (spin,1) -inc-> (spin,2) -after-> (done,2). The loop test is read with
    // the step it leads to, so `spin` is the only pc value besides done.
    const build = (watch: boolean) => {
      const m = model('loop');
      m.threads(['T']);
      const x = m.var('x', range(0, 2), 0);
      const left = m.var('left', bool, false);
      m.program('p', ['T'], () => [loop('spin', lt(x, 2), [step('inc', set(x, add(x, 1)))]), step('after', set(left, true))]);
      if (watch) m.invariant('stays', 'the thread left the loop', not(left));
      return m.build();
    };
    const built = build(false);
    expect(built.actions.map((a) => a.name)).toEqual(['inc', 'after']);
    const r = checkExplicit(built);
    expect([r.verdict, r.states, r.transitions]).toEqual(['pass', 4, 3]);
    // Leaving the loop takes exactly inc, inc, after.
    expect(explicit(build(true)).steps).toEqual(['inc@T', 'inc@T', 'after@T']);
  });

  it('loop with two threads on a shared counter: 6 states, 8 transitions', () => {
    // x = 0 or 1: both threads at spin (2 states, 2 incs each); x = 2: each thread at spin or
    // done (4 states; a spinning thread has one step, `after`): 2+2+2+1+1+0 = 8 transitions.
    const m = model('loop2');
    m.threads(['T1', 'T2']);
    const x = m.var('x', range(0, 2), 0);
    m.program('p', ['T1', 'T2'], () => [loop('spin', lt(x, 2), [step('inc', set(x, add(x, 1)))]), step('after')]);
    const r = checkExplicit(m.build());
    expect([r.verdict, r.states, r.transitions]).toEqual(['pass', 6, 8]);
  });

  it('either: one, or two then three; then end: 6 states, 5 transitions', () => {
    // (choose,0) -> (end,1) | (three,2); (three,2) -> (end,3); (end,1) -> (done,1); (end,3) -> (done,3).
    const m = model('either');
    m.threads(['T']);
    const x = m.var('x', range(0, 3), 0);
    m.program('p', ['T'], () => [
      either('choose', [step('one', set(x, 1))], [step('two', set(x, 2)), step('three', set(x, 3))]),
      step('end'),
    ]);
    const r = checkExplicit(m.build());
    expect([r.verdict, r.states, r.transitions]).toEqual(['pass', 6, 5]);
  });

  it('branch: only the taken side is enabled: 4 states, 3 transitions', () => {
    // flip sets b, so at `test` only `yes` can fire: (flip), (test), (end, x=1), (done, x=1).
    const m = model('branch');
    m.threads(['T']);
    const b = m.var('b', bool, false);
    const x = m.var('x', range(0, 3), 0);
    m.program('p', ['T'], () => [step('flip', set(b, true)), branch('test', b, [step('yes', set(x, 1))], [step('no', set(x, 2))]), step('end')]);
    const r = checkExplicit(m.build());
    expect([r.verdict, r.states, r.transitions]).toEqual(['pass', 4, 3]);
    expect(r.unreachedActions).toEqual(['no']);
  });

  it('goto back to a step: one action per step, reached from its own position and from the branch; 5 states, 4 transitions', () => {
    // (inc,0) -> (again,1) -> (again,2) -> (again,3) -> (done,3).
    const m = model('goto');
    m.threads(['T']);
    const x = m.var('x', range(0, 3), 0);
    m.program('p', ['T'], () => [step('inc', guard(lt(x, 3)), set(x, add(x, 1))), branch('again', lt(x, 3), [goto('inc')])]);
    const built = m.build();
    expect(built.actions.map((a) => a.name)).toEqual(['inc', 'again']);
    const r = checkExplicit(built);
    expect([r.verdict, r.states, r.transitions]).toEqual(['pass', 5, 4]);
  });
});

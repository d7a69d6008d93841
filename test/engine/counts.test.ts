/**
 * State and transition counts of models whose state spaces are products we can count by hand.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../checker/check.ts';
import { counters, counterArray, twoSteps } from './models.ts';

describe('independent counters', () => {
  // k counters, each 0..n and only ever incremented by its own action: every combination of
  // values is reachable, so (n+1)^k states. In a state, inc<i> is enabled iff x_i < n; each
  // counter is below n in n of its n+1 values, independently of the others, so the enabled
  // instances summed over all states are k * n * (n+1)^(k-1). The depth is k*n (all at n).
  const cases: [number, number][] = [[1, 3], [2, 2], [3, 2], [3, 4], [4, 1]];
  for (const [k, n] of cases) {
    it(`k=${k}, n=${n}: ${(n + 1) ** k} states, ${k * n * (n + 1) ** (k - 1)} transitions, pass`, () => {
      const r = runCheck(counters(k, n));
      expect(r.verdict).toBe('pass');
      expect(r.stats.states).toBe((n + 1) ** k);
      expect(r.stats.transitions).toBe(k * n * (n + 1) ** (k - 1));
      expect(r.stats.depth).toBe(k * n);
      expect(r.unreachedActions).toBeUndefined();
    });
  }

  it('as one array and a parameterised action: the same counts (3 counters 0..2: 27 states, 54 transitions)', () => {
    // 3^3 = 27 states; 3 * 2 * 3^2 = 54 transitions.
    const r = runCheck(counterArray(3, 2));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(27);
    expect(r.stats.transitions).toBe(54);
    expect(r.stats.depth).toBe(6);
  });

  it('without a final condition the all-at-n state is a deadlock, reached by the shortest trace', () => {
    // Same counters but final never holds: (2,2) is a dead end at depth 4, the first dead end.
    const m = counters(2, 2);
    const r = runCheck({ ...m, final: { op: 'lit', sort: { kind: 'bool' }, value: 0 } });
    expect(r.verdict).toBe('violation');
    expect(r.property?.id).toBe('deadlock');
    expect(r.trace?.steps.map((s) => s.action)).toEqual(['inc0', 'inc0', 'inc1', 'inc1']);
  });
});

describe('process layer: threads running a 2-step program', () => {
  // Each thread's pc is one of a, b, done, and threads never block one another, so every
  // combination is reachable: 3^t states. The shared `steps` counter equals the number of
  // steps taken, a function of the pcs (a: 0, b: 1, done: 2), so it adds no states. A thread
  // not done has exactly one enabled step: 2 of its 3 pc values, so t * 2 * 3^(t-1) transitions.
  for (const t of [1, 2, 3, 4]) {
    it(`${t} thread(s): ${3 ** t} states, ${t * 2 * 3 ** (t - 1)} transitions, depth ${2 * t}`, () => {
      const r = runCheck(twoSteps(t));
      expect(r.verdict).toBe('pass');
      expect(r.stats.states).toBe(3 ** t);
      expect(r.stats.transitions).toBe(t * 2 * 3 ** (t - 1));
      expect(r.stats.depth).toBe(2 * t);
    });
  }
});

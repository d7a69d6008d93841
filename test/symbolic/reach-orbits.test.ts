/**
 * reachableStates with `orbits`: one state per orbit of the interchangeable members, the samples
 * count Houdini learns from (renaming members changes no count).
 */
import { describe, expect, it } from 'vitest';
import { reachableStates } from '../../checker/symbolic/reach.ts';
import * as tiny from './models.ts';

describe('reachableStates', () => {
  it('3 mutex workers: 20 states, 7 orbits', () => {
    // Each worker at lock, unlock or done, at most one at unlock: 2^3 (none at unlock) + 3 * 2^2 = 20.
    const all = reachableStates(tiny.mutexWorkers(3), 1000);
    expect(all.complete).toBe(true);
    expect(all.states.length).toBe(20);
    // Orbits: how many at lock/done with none at unlock (4) plus with one there (3) = 7.
    const orbits = reachableStates(tiny.mutexWorkers(3), 1000, undefined, { orbits: true });
    expect(orbits.complete).toBe(true);
    expect(orbits.states.length).toBe(7);
  });

  it('one worker has no renaming: the same 3 states either way', () => {
    expect(reachableStates(tiny.mutexWorkers(1), 1000, undefined, { orbits: true }).states.length).toBe(3);
  });

  it('stops at maxStates and says so', () => {
    const r = reachableStates(tiny.mutexWorkers(3), 5, undefined, { orbits: true });
    expect(r.complete).toBe(false);
    expect(r.states.length).toBe(5);
  });
});

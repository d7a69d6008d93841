/** Dining philosophers: left-then-right deadlocks; one philosopher reversing the order fixes it. */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../checker/check.ts';
import { philosophers, withoutDeadlock } from './models.ts';
import { explicit, traceSteps } from './helpers.ts';

// A philosopher's pc is take_first (holds nothing), take_second (holds its first fork),
// release (holds both) or done (holds nothing); forks follow from the pcs. Every assignment
// of pcs whose held forks are pairwise disjoint is reachable (run the done ones alone first,
// then those holding both, then those holding one), so counting states = counting disjoint
// assignments, weighting "holds nothing" by 2 (take_first or done).

describe('dining philosophers, all take the left fork first', () => {
  it('N=2: deadlock after P1 and P2 take their left forks; 6 states stored when found', () => {
    // Level 0: (first,first). Level 1: (second,first), (first,second). Expanding (second,first):
    // take_first@P2 -> (second,second), take_second@P1 -> (release,first); expanding
    // (first,second): (second,second) again, take_second@P2 -> (first,release). Level 2 starts
    // with (second,second): nothing enabled, not final -> deadlock. 1+2+3 = 6 states, 2+2+2 = 6
    // transitions, trace length 2 (no shorter: each needs one fork to block the other).
    const { raw, steps, trace } = explicit(philosophers(2, false));
    expect(raw.verdict).toBe('violation');
    expect(raw.violation).toEqual({ kind: 'deadlock' });
    expect(steps).toEqual(['take_first@P1', 'take_first@P2']);
    expect(raw.states).toBe(6);
    expect(raw.transitions).toBe(6);
    expect(trace?.steps[1].state).toMatchObject({ fork: { P1: true, P2: true } });
    const r = runCheck(philosophers(2, false));
    expect(r.property).toMatchObject({ id: 'deadlock', kind: 'deadlock' });
    expect(traceSteps(r).sort()).toEqual(['take_first@P1', 'take_first@P2']);
  });

  it('N=2 without the deadlock check: 13 states, 14 transitions', () => {
    // 16 pc pairs minus the 3 sharing a fork: (release, second|release), (second, release).
    // Enabled steps: (f,f) 2, (f,s) 2, (f,r) 1, (f,d) 1, (s,f) 2, (s,s) 0, (s,d) 1, (r,f) 1,
    // (r,d) 1, (d,f) 1, (d,s) 1, (d,r) 1, (d,d) 0: 14.
    const r = runCheck(withoutDeadlock(philosophers(2, false)));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(13);
    expect(r.stats.transitions).toBe(14);
  });

  it('N=3: deadlock after P1, P2, P3 take their left forks', () => {
    // Level 2 begins with (second,second,first) (from (second,first,first) by take_first@P2);
    // its take_first@P3 discovers (second,second,second) first in level 3, which is expanded
    // first: the deadlock. Length 3: each philosopher must hold one fork.
    const { raw, steps, trace } = explicit(philosophers(3, false));
    expect(raw.violation).toEqual({ kind: 'deadlock' });
    expect(steps).toEqual(['take_first@P1', 'take_first@P2', 'take_first@P3']);
    expect(trace?.steps[2].state).toMatchObject({ fork: { P1: true, P2: true, P3: true } });
    const r = runCheck(philosophers(3, false));
    expect(r.property?.id).toBe('deadlock');
    expect(traceSteps(r).sort()).toEqual(['take_first@P1', 'take_first@P2', 'take_first@P3']);
  });

  it('N=3 without the deadlock check: 45 states', () => {
    // Around the cycle, a philosopher holding both forks forces the next one to hold nothing.
    // Transfer matrix over (nothing: weight 2, one fork: 1, both: 1), rows = this philosopher:
    // [[2,1,1],[2,1,1],[2,0,0]]; states = trace(M^N): M^2 has trace 8+3+2 = 13 (N=2 above),
    // M^3 has trace 28+11+6 = 45.
    const r = runCheck(withoutDeadlock(philosophers(3, false)));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(45);
  });
});

describe('dining philosophers, the last takes the right fork first', () => {
  it('N=2: pass, 12 states, 12 transitions', () => {
    // Both now take fork P1 first, so any two holders conflict: 16 - 2*2 = 12 states. Enabled:
    // both holding nothing: (f,f) 2, (f,d) 1, (d,f) 1, (d,d) 0; one holding: 8 states with 1
    // each (the holder moves, the other waits for fork P1 or is done). 4 + 8 = 12.
    const r = runCheck(philosophers(2, true));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(12);
    expect(r.stats.transitions).toBe(12);
  });

  it('N=3: pass, 42 states', () => {
    // P1 holds {1} or {1,2}; P2 {2} or {2,3}; P3 {1} or {1,3} (fork n = Pn's left fork).
    // P1 and P3 both need fork 1, so at most one of them holds anything. Weights (nothing = 2):
    // neither: 2*2*(2+1+1) = 16; P1 one fork: 1*2*4 = 8; P1 both: P2 must hold nothing, 1*2*2 = 4;
    // P3 one: 2*4 = 8; P3 both: P2 nothing or {2}, 2*3 = 6. Total 42.
    const r = runCheck(philosophers(3, true));
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(42);
  });
});

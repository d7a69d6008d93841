/**
 * Limits end a run with verdict `incomplete` and a reason, never `pass` (nor a violation they
 * cut short). No timings are asserted: the time limit is only checked to stop a run that
 * could not possibly finish in it.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../checker/check.ts';
import { counters, mutex } from './models.ts';

describe('--max-states', () => {
  // 3 counters 0..9: 10^3 = 1000 states.
  const m = counters(3, 9);

  it('below the state count: incomplete at exactly the limit', () => {
    const r = runCheck(m, { maxStates: 100 });
    expect(r.verdict).toBe('incomplete');
    expect(r.reason).toBe('stopped at --max-states 100');
    expect(r.stats.states).toBe(100);
    expect(r.bounds.maxStates).toBe(100);
    expect(r.trace).toBeUndefined();
    expect(r.property).toBeUndefined();
  });

  it('one below: incomplete; equal to the state count: exhaustive, pass', () => {
    expect(runCheck(m, { maxStates: 999 }).verdict).toBe('incomplete');
    const r = runCheck(m, { maxStates: 1000 });
    expect(r.verdict).toBe('pass');
    expect(r.stats.states).toBe(1000);
  });

  it('a violation beyond the limit is not reported, and neither is pass', () => {
    // The broken mutex's violation is at depth 4; levels 0..1 hold 3 states.
    const r = runCheck(mutex(true), { maxStates: 3 });
    expect(r.verdict).toBe('incomplete');
    expect(r.stats.states).toBe(3);
  });
});

describe('--max-seconds', () => {
  it('a run far too big for the limit stops incomplete', () => {
    // 5 counters 0..15: 16^5 = 1,048,576 states; 20 ms is far too short to store them all.
    const r = runCheck(counters(5, 15), { maxSeconds: 0.02 });
    expect(r.verdict).toBe('incomplete');
    expect(r.reason).toBe('stopped at --max-seconds 0.02');
    expect(r.stats.states).toBeLessThan(16 ** 5);
    expect(r.bounds.maxSeconds).toBe(0.02);
  });
});

describe('memory limit', () => {
  it('a store that would grow past maxBytes stops incomplete', () => {
    // 3 counters 0..19: 8000 states, more than the store's first page (4096 states of one word,
    // parent and via links, and the table: 69,632 bytes); a second page would pass 100,000 bytes.
    const r = runCheck(counters(3, 19), { maxBytes: 100_000 });
    expect(r.verdict).toBe('incomplete');
    expect(r.reason).toBe('stopped at the memory limit for stored states');
    expect(r.stats.states).toBe(4096);
    // With room to grow, the same model passes with all 8000 states.
    const ok = runCheck(counters(3, 19), { maxBytes: 10_000_000 });
    expect(ok.verdict).toBe('pass');
    expect(ok.stats.states).toBe(8000);
  });
});

/**
 * checker/explicit.ts's clock: `--max-seconds` and `onProgress` are looked at once every 1024
 * expanded states (the states numbered 0, 1024, 2048, ...), progress is reported when more than
 * a second has passed since the last report, and `seconds` is the run's time. The clock
 * (`performance.now`) is replaced, for the one synchronous search only, by one that moves a
 * fixed amount at each reading, so every figure is exact. The model is a chain: one counter
 * bumped from 0 to n - 1, one state per BFS level, so after expanding state `cur` there are
 * `cur + 2` states and depth is `cur`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { model, range, guard, set, add, lt, eq } from '../../model/lang/index.ts';
import { checkExplicit, type ExplicitOptions, type RawResult } from '../../checker/explicit.ts';
import { compileModel } from '../../checker/compile.ts';

function chain(n: number) {
  const m = model(`chain${n}`);
  const x = m.var('x', range(0, n - 1), 0);
  m.action('inc', { body: [guard(lt(x, n - 1)), set(x, add(x, 1))] });
  m.final(eq(x, n - 1));
  return m.build();
}

const CHAIN = chain(4500);
const COMPILED = compileModel(CHAIN);

/** Search CHAIN with a clock that starts at 10 s and moves `stepMs` at each reading. */
function withClock(stepMs: number, opts: ExplicitOptions): RawResult {
  let t = 10_000;
  const spy = vi.spyOn(performance, 'now').mockImplementation(() => (t += stepMs));
  try {
    return checkExplicit(CHAIN, opts, COMPILED);
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('--max-seconds, read every 1024 states', () => {
  it('a clock moving 1 ms a reading passes 1.5 ms at the second look (state 1024): 1026 states', () => {
    // Readings: the start, state 0 (1 ms: under the limit), state 1024 (2 ms: over), the end (3 ms).
    const r = withClock(1, { maxSeconds: 0.0015 });
    expect(r).toMatchObject({ verdict: 'incomplete', reason: 'stopped at --max-seconds 0.0015', states: 1026, transitions: 1025, depth: 1024, seconds: 0.003 });
  });

  it('reaching the limit exactly is not passing it: 2 ms stops at the third look (state 2048)', () => {
    const r = withClock(1, { maxSeconds: 0.002 });
    expect(r).toMatchObject({ verdict: 'incomplete', reason: 'stopped at --max-seconds 0.002', states: 2050, transitions: 2049, depth: 2048, seconds: 0.004 });
  });

  it('without a limit the same clock never stops the run', () => {
    const r = withClock(1, {});
    expect(r).toMatchObject({ verdict: 'pass', states: 4500, transitions: 4499, depth: 4499 });
    expect(r.reason).toBeUndefined();
  });
});

describe('onProgress: more than a second since the last report, read every 1024 states', () => {
  it('a clock moving 0.5 s a reading reports once, at state 2048; seconds is the whole run', () => {
    // Readings: start 10.5 s; states 0, 1024, 2048, 3072, 4096 at 11, 11.5, 12, 12.5, 13 s; end 13.5 s.
    // Since the last report: 0.5, 1.0 (not more than a second), 1.5 (report), 0.5, 1.0.
    const reports: unknown[] = [];
    const r = withClock(500, { onProgress: (p) => reports.push(p) });
    expect(reports).toEqual([{ states: 2050, depth: 2048, statesPerSecond: 2050 / 1.5, seconds: 1.5 }]);
    expect(r).toMatchObject({ verdict: 'pass', states: 4500, transitions: 4499, depth: 4499, seconds: 3 });
  });
});

/**
 * Results with what may differ between thread counts left out (seconds, states/s and the
 * `workers` figure): the parallel-search tests compare the rest byte for byte.
 */
import type { RawResult } from '../../checker/explicit.ts';
import type { Result } from '../../checker/result.ts';

/** A raw engine result without its seconds and workers figure. */
export function rawWithout(r: RawResult): unknown {
  const { seconds: _s, workers: _w, ...rest } = r;
  return rest;
}

/** The Result as the CLI prints it with --json, timings and the workers figure left out. */
export function json(r: Result): string {
  const { seconds: _s, statesPerSecond: _p, workers: _w, ...stats } = r.stats;
  return JSON.stringify({ ...r, stats }, null, 2);
}

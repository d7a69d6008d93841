/**
 * `npm run bench`: the explicit engine on the fixed mm model at growing sender counts, until a
 * run passes 30 s (or the model's largest bound), each with 1 and with 2 search threads
 * (`--workers`; BENCH_WORKERS=1,2,4 to change; BENCH_SENDERS=6,7 runs only those sizes). Prints states, transitions, seconds, states/s,
 * bytes per stored state (the visited set's arrays divided by the states held) and, for more
 * than one worker, the wall time against the 1-worker run of the same size measured just
 * before it (the machine may be shared: only ratios measured in one run compare).
 */
import mmDef from '../model/mm.ts';
import { runCheck } from '../checker/check.ts';

const LIMIT_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const max = mmDef.bounds.find((b) => b.name === 'senders')!.max;
const SIZES = process.env.BENCH_SENDERS ? process.env.BENCH_SENDERS.split(',').map(Number) : Array.from({ length: max }, (_, i) => i + 1);

console.log('explicit engine, mm/fixed (owner + N senders + kworker), no symmetry reduction');
console.log('senders workers       states    transitions  depth   seconds    states/s  bytes/state  MiB held  verdict  vs 1 worker');
for (const t of SIZES) {
  let slowest = 0;
  let base: number | undefined;
  for (const w of WORKERS) {
    // Every state (no symmetry reduction), as SPIN's search stores them.
    const r = runCheck(mmDef.build('fixed', { senders: t }), { variant: 'fixed', symmetry: false, workers: w });
    const s = r.stats;
    if (w === 1) base = s.seconds;
    const ratio = w !== 1 && base ? `${(s.seconds / base).toFixed(2)}x (${s.workers ?? 1} ran)` : '';
    console.log(
      `${String(t).padStart(7)} ${String(w).padStart(7)} ${String(s.states).padStart(12)} ${String(s.transitions).padStart(14)} ${String(s.depth).padStart(6)}` +
      ` ${s.seconds.toFixed(3).padStart(9)} ${String(s.statesPerSecond).padStart(11)} ${String(s.bytesPerState).padStart(12)} ${((s.bytesAllocated ?? 0) / 2 ** 20).toFixed(1).padStart(9)}  ${r.verdict.padEnd(7)}  ${ratio}`,
    );
    slowest = Math.max(slowest, s.seconds);
  }
  if (slowest > LIMIT_SECONDS) break;
}

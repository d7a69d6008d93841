/**
 * `npm run bench`: the explicit engine on the fixed mm model at growing thread counts, until a
 * run passes 30 s (or the model's largest bound). Prints states, transitions, seconds,
 * states/s and bytes per stored state (the visited set's arrays divided by the states held).
 */
import mmDef from '../model/mm.ts';
import { runCheck } from '../checker/check.ts';

const LIMIT_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const max = mmDef.bounds.find((b) => b.name === 'threads')!.max;

console.log('explicit engine, mm/fixed (owner + N senders + kworker)');
console.log('threads       states    transitions  depth   seconds    states/s  bytes/state  MiB held  verdict');
for (let t = 1; t <= max; t++) {
  // Every state (no symmetry reduction), as SPIN's search stores them.
  const r = runCheck(mmDef.build('fixed', { threads: t }), { variant: 'fixed', symmetry: false });
  const s = r.stats;
  console.log(
    `${String(t).padStart(7)} ${String(s.states).padStart(12)} ${String(s.transitions).padStart(14)} ${String(s.depth).padStart(6)}` +
    ` ${s.seconds.toFixed(3).padStart(9)} ${String(s.statesPerSecond).padStart(11)} ${String(s.bytesPerState).padStart(12)} ${((s.bytesAllocated ?? 0) / 2 ** 20).toFixed(1).padStart(9)}  ${r.verdict}`,
  );
  if (s.seconds > LIMIT_SECONDS) break;
}

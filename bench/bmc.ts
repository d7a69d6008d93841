/**
 * BMC on the fixed mm model: seconds per trace length (cumulative too) for 1 and 2 senders,
 * and the k-induction proof with its k, to the full BFS depth of each model. Set BENCH_SECONDS
 * to stop a run early (default 120 s per sender count; BENCH_SENDERS=1,2 picks the counts).
 */
import mmDef from '../model/mm.ts';
import { runCheck } from '../checker/check.ts';
import { runBmc, runInduction } from '../checker/symbolic/index.ts';

const LIMIT_SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const sendersList = (process.env.BENCH_SENDERS ?? '1,2').split(',').map(Number);

console.log('BMC (Z3, QF_BV), mm/fixed (owner + N senders + kworker)');
for (const t of sendersList) {
  const model = mmDef.build('fixed', { senders: t });
  const depth = runCheck(model, { minimise: false }).stats.depth;
  console.log(`\nsenders ${t}: BFS depth ${depth}`);
  console.log('  depth   seconds  cumulative');
  let total = 0;
  const r = await runBmc(model, {
    depth, onDepth: (d, cumulative) => {
      const step = cumulative - total;
      total = cumulative;
      console.log(`  ${String(d).padStart(5)} ${step.toFixed(3).padStart(9)} ${cumulative.toFixed(3).padStart(11)}`);
      if (cumulative > LIMIT_SECONDS) throw new Error(`stopped after ${LIMIT_SECONDS} s`);
    },
  }).catch((e: Error) => ({ verdict: e.message }));
  console.log(`  verdict: ${r.verdict}`);
  const t0 = performance.now();
  const ind = await runInduction(model, { maxK: 30 });
  console.log(`  k-induction: ${ind.verdict}${ind.k !== undefined ? ` with k=${ind.k}` : ''}, ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}

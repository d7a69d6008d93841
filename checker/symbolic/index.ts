/**
 * The symbolic engine's entry points (Z3): bounded model checking, k-induction, the `auto`
 * combination with the explicit engine, and bit-vector lemmas. Every result is the one Result
 * shape; every trace is replayed on the interpreter first.
 *
 * @example
 * const r = await runBmc(model, { depth: 10, smtTimeoutMs: 30_000 });
 * r.verdict; // 'pass' with r.bounds.depth === 10, or 'violation' with a shortest trace
 */
export {
  runBmc, runInduction, type BmcRunOptions, type InductionRunOptions,
} from './run.ts';
export { checkLemmas, type LemmaResult, type LemmaOptions } from './lemmas.ts';
export { shutdownZ3 } from './z3.ts';

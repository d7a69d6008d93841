/**
 * The tests `npm run mutate` runs against each mutant of the core (stryker.config.mjs): the
 * language, engine and replay tests that exercise checker/ and model/lang directly. The slow
 * generated-code tests (codegen-size, layout) and the CLI/model suites are left out to keep a run
 * within reach of 2 cores; `npm test` still runs them all. The symmetry suite (≈30 s) is in,
 * for explicit.ts's reduction code, unless MUTATE_WITHOUT_SYMMETRY is set (compile.ts's 888
 * mutants each reach nearly every test: `MUTATE_WITHOUT_SYMMETRY=1 npm run mutate -- --mutate checker/compile.ts`).
 */
import { defineConfig } from 'vitest/config';

const symmetry = process.env.MUTATE_WITHOUT_SYMMETRY ? '' : ',symmetry';

export default defineConfig({
  test: {
    include: [
      'test/lang/*.test.ts',
      `test/engine/{first-violation,first-violation-order,explicit-edges,explicit-timing,store-memory,fingerprint,compile-a-exprs,compile-a-sameexpr,compile-b-writes,compile-b-runtime,compile-b-dispatch,codegen-split,codegen-chunked-props,replay-rejects,replay-guard,replay-render,interpreter-semantics,limits,counts,properties,philosophers,process,mutex,compile-regressions,differential,random-models${symmetry}}.test.ts`,
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

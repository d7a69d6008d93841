/**
 * The tests `npm run mutate` runs against each mutant of the core (stryker.config.mjs): the
 * language, engine and replay tests that exercise checker/ and model/lang directly. The slow
 * generated-code tests (codegen-*, symmetry, layout) and the CLI/model suites are left out to
 * keep a run within reach of 2 cores; `npm test` still runs them all.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/lang/*.test.ts',
      'test/engine/{first-violation-order,replay-rejects,replay-guard,replay-render,interpreter-semantics,limits,counts,properties,philosophers,process,mutex,compile-regressions,differential,random-models}.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

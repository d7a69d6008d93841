/**
 * Mutation testing of the core (`npm run mutate`; not in .ci/run: it takes hours on 2 cores).
 * Mutates the engines, the interpreter, the replay and the language's statements and
 * expressions; the tests run against each mutant are those of stryker.vitest.config.ts.
 * One file at a time: `npm run mutate -- --mutate checker/interpreter.ts`.
 * Survivors judged equivalent are listed with their reasons in docs/mutation.md.
 */
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker.vitest.config.ts' },
  mutate: [
    'checker/explicit.ts',
    'checker/compile.ts',
    'checker/interpreter.ts',
    'checker/replay.ts',
    'checker/first-violation.ts',
    'model/lang/stmt.ts',
    'model/lang/expr.ts',
  ],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process.
  concurrency: 1,
  // Mutants that loop forever in the BFS are stopped and counted as detected (timeout).
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

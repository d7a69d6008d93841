import { defineConfig } from 'vitest/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Spawned CLI runs and Z3 share 2 cores; forks keep WASM and child processes isolated.
    pool: 'forks',
    // Two test files at a time (vitest's default is one fewer than the cores: one on the 2-core CI machine).
    maxWorkers: 2,
    // `npm test` tests the sources: the CLI spawned by tests runs them, not dist/ (test/cli/install*.test.ts tests the compiled one).
    // The type-check cache of model files goes to a temporary folder, not the user's ~/.cache.
    env: { PROTOCHECK_RUN: 'source', PROTOCHECK_CACHE: join(tmpdir(), 'protocheck-test-cache') },
  },
});

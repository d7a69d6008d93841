import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Spawned CLI runs and Z3 share 2 cores; forks keep WASM and child processes isolated.
    pool: 'forks',
  },
});

import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Spawns a `fayger` CLI bundled from the current sources (test/global-setup.ts): no prior build needed.
    globalSetup: ['test/global-setup.ts'],
    // Each case is one child process, bounded by its own generous timeout (support/run.ts); run them one at a
    // time so their peak RSS is their own and a loaded machine is not loaded further.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});

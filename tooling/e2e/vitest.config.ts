import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Spawns a `fayger` CLI bundled from the current sources (test/global-setup.ts): no prior build needed.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
  },
});

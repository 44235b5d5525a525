import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests spawn a CLI bundled from the current sources (see test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});

import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests spawn a CLI bundled from the current sources (see test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // Generous: every test spawns node, and the shared 2-core machine is often heavily loaded.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  // Generous per-test deadlines: verdicts must not depend on machine speed (CI and dev boxes are loaded 2-core machines).
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});

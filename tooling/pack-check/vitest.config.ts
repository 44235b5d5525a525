import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    // pnpm pack of every package on a loaded 2-core machine: generous, bounded by the package count.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});

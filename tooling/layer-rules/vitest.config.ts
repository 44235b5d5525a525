import { defineProject } from 'vitest/config';

export default defineProject({
  test: { include: ['test/**/*.test.ts'], exclude: ['test/fixtures/**'], testTimeout: 60_000, hookTimeout: 60_000 },
});

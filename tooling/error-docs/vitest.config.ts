import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});

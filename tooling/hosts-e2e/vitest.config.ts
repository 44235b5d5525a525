import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  // One file at a time: two cores, and the browser/tmux runs are timing-sensitive.
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 90_000, fileParallelism: false },
});

import { defineProject } from 'vitest/config';

// In the monorepo, Fayger's packages resolve to their sources; outside it, to the installed tarballs.
export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: { include: ['test/**/*.test.ts'] },
});

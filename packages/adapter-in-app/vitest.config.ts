// Relative path: the harness exports TypeScript, which the config loader does not transpile from node_modules.
import { defineBrowserProject } from '../../tooling/browser-harness/src/vitest-project.js';
import { defineConfig, defineProject } from 'vitest/config';

const conditions = ['@fayger/source'];

// Node tests (bridge, protocol, adapter against the simulator over MessagePort and fake globals) and the
// real-Chromium suite (test/browser) through the shared harness.
export default defineConfig({
  test: {
    projects: [
      defineProject({
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'adapter-in-app (node)',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
        },
      }),
      defineBrowserProject({ name: 'adapter-in-app', include: ['test/browser/**/*.test.ts'] }),
    ],
  },
});

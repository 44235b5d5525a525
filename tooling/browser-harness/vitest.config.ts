import { defineConfig, defineProject } from 'vitest/config';
import { defineBrowserProject } from './src/vitest-project.js';

// Two projects: the Node-side harness API (launcher, servers, bundler) and an in-page self-test run
// through the vitest browser project that other packages use.
export default defineConfig({
  test: {
    projects: [
      defineProject({
        test: {
          name: 'browser-harness (node)',
          include: ['test/node/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      }),
      defineBrowserProject({ include: ['test/browser/**/*.test.ts'] }),
    ],
  },
});

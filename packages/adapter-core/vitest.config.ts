// Relative path: the harness exports TypeScript, which the config loader does not transpile from node_modules.
import { defineBrowserProject } from '../../tooling/browser-harness/src/vitest-project.js';
import { defineConfig, defineProject } from 'vitest/config';

const conditions = ['@fayger/source'];

// Node tests, and the DOM building blocks (DomUi, DomUiHost) in real Chromium through the shared harness.
export default defineConfig({
  test: {
    projects: [
      defineProject({
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        // Generous per-test deadlines: verdicts must not depend on machine speed (CI and dev boxes are loaded 2-core machines).
        test: {
          name: 'adapter-core (node)',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      }),
      defineBrowserProject({ name: 'adapter-core', include: ['test/browser/**/*.test.ts'] }),
    ],
  },
});

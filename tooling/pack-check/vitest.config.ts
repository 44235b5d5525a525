import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    // Packs every published package once (pnpm pack), for all test files.
    globalSetup: ['test/global-setup.ts'],
    // npm installs from tarballs and an AssemblyScript build on a loaded 2-core machine: generous, bounded.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

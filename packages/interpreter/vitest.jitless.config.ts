import { defineProject } from 'vitest/config';

// Runs the package's tests in worker processes started with `node --jitless` (no JIT, no WebAssembly global):
// the interpreter must work there. Vitest itself stays in a normal process, since its tooling needs WebAssembly.
export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that compare against the host's native WebAssembly cannot run without it; the snapshot determinism
    // proof assembles the bench WAT workloads with wabt (itself WebAssembly).
    exclude: ['test/differential/**', 'test/facade-npm/**', 'test/snapshot/determinism.test.ts'],
    pool: 'forks',
    execArgv: ['--jitless'],
    testTimeout: 120_000,
  },
});

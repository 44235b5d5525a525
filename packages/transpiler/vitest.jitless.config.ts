import { defineProject } from 'vitest/config';

// The package's tests in worker processes started with `node --jitless` (no JIT, no WebAssembly global): generated
// code then runs on V8's bytecode interpreter. Tests that need wabt or V8's WebAssembly are left out or skip.
export default defineProject({
  resolve: { conditions: ['@fayger/source'] },
  ssr: { resolve: { conditions: ['@fayger/source'] } },
  test: {
    include: ['test/differential/**/*.test.ts', 'test/runtime/**/*.test.ts', 'test/snapshot/engine-snapshot.test.ts'],
    // support.test.ts loads wabt at import time (a WebAssembly module): it cannot load without the WebAssembly global.
    exclude: ['test/runtime/support.test.ts'],
    pool: 'forks',
    execArgv: ['--jitless'],
    testTimeout: 300_000,
  },
});

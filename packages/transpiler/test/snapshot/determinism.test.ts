import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { describeSnapshotDeterminism } from '@fayger/wasm-testgen/snapshot-determinism';
import { createTranspilerImplementation } from '../../src/index.js';

// The determinism proof of issue #18 on this engine (the suite is shared with the other engine, see
// tooling/wasm-testgen/src/snapshot/determinism-suite.ts), with the cross legs: snapshots taken here resume on
// the interpreter and the interpreter's here (this package has both engines).
// More: SNAP_DET_SEED=<n> SNAP_DET_RANDOM=<modules> pnpm --filter @fayger/transpiler exec vitest run test/snapshot
const here = dirname(fileURLToPath(import.meta.url));
describeSnapshotDeterminism({
  label: 'transpiler',
  engine: createTranspilerImplementation,
  packageDir: join(here, '..', '..'),
  childEntry: join(here, 'child-resume.ts'),
  keepGoing: true,
  cross: {
    label: 'interpreter',
    engine: createInterpreterImplementation,
    childEntry: join(here, 'child-resume-interpreter.ts'),
  },
});

import { runChildResume } from '@fayger/wasm-testgen/snapshot';
import { createTranspilerImplementation } from '../../src/index.js';

// A fresh process: `node child-resume.mjs '<guest spec JSON>' <snapshot file>` restores the snapshot into a new
// compilation and instance of the guest on this engine, runs it to its end and prints the outcome as JSON
// (bundled by determinism.test.ts with tsup from the sources under test).
await runChildResume(createTranspilerImplementation);

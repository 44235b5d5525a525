import { createInterpreterImplementation } from '@fayger/interpreter';
import { runChildResume } from '@fayger/wasm-testgen/snapshot';

// A fresh process for the cross-engine legs: restores a snapshot (written by either engine) on the interpreter,
// runs it to its end and prints the outcome as JSON (bundled by determinism.test.ts with tsup).
await runChildResume(createInterpreterImplementation);

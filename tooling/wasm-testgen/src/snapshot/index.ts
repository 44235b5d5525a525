// @fayger/wasm-testgen/snapshot: the engine-neutral snapshot test support both engines' test/snapshot suites use.
// Free of vitest and tsup, so an engine's child-resume.ts bundles it into a plain node script.
export {
  type EngineFactory,
  type Finished,
  type Guest,
  type SnapshotHarness,
  type SplitRun,
  decodeSnapshot,
  drive,
  encodeSnapshot,
  memoryHash,
  resume,
  runFull,
  runSplit,
  runUntil,
  snapshotHarness,
} from './harness.js';
export {
  type GuestSpec,
  INTERPRETER_DIR_ENV,
  benchCGuest,
  benchWatGuest,
  guestFromSpec,
  interpreterDir,
  randomGuest,
  snapGuest,
} from './guests.js';
export { runChildResume } from './child-resume.js';

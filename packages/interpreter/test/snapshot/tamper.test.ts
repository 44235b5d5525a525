import type { HostImports } from '@fayger/contracts';
import { describeSnapshotTamper } from '@fayger/wasm-testgen/snapshot-tamper';
import { createInterpreterImplementation } from '../../src/index.js';

// Tampered snapshot states on the interpreter (the suite is shared with the transpiler, see
// tooling/wasm-testgen/src/snapshot/tamper-suite.ts).
describeSnapshotTamper({
  label: '',
  engine: createInterpreterImplementation,
  imports: (): HostImports => ({
    host: { tick: ([i, acc]) => BigInt.asIntN(64, (acc as bigint) * 31n + BigInt(i as number)) },
  }),
});

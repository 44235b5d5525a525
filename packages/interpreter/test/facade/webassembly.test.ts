import { FaygerError } from '@fayger/contracts';
import { describeFacade } from '@fayger/wasm-testgen';
import * as WA from '../../src/facade/index.js';
import { fixture } from '../helpers.js';

// The facade suite every engine's facade runs (tooling/wasm-testgen/src/facade-suite.ts).
describeFacade('WebAssembly facade', {
  WA,
  fixture: () => fixture('facade'),
  isFaygerError: (e, code) => FaygerError.is(e, code as never),
});

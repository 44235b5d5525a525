import type { EngineAdapter } from '../types.js';

// Stand-in until @fayger/interpreter exposes its native API; replaced by the real adapter.
export class InterpreterEngine {
  constructor() {
    throw new Error('@fayger/interpreter is not available yet');
  }
}
export type _Unused = EngineAdapter;

import type { EngineAdapter } from '../types.js';
import { NativeEngine } from './native.js';

/**
 * `interpreter`: @fayger/interpreter's native API; `interpreter-sliced`: the same, every call run in small fuel
 * slices (suspend/resume). `facade`: its `WebAssembly`-compatible facade, driven
 * exactly like V8 through the JS API. `native`: V8's own WebAssembly, the runner's self-check.
 */
export type EngineName =
  | 'native'
  | 'interpreter'
  | 'interpreter-sliced'
  | 'facade'
  | 'transpiler'
  | 'transpiler-sliced';

export const ENGINE_NAMES: readonly EngineName[] = [
  'interpreter',
  'interpreter-sliced',
  'facade',
  'native',
  'transpiler',
  'transpiler-sliced',
];

export async function createEngine(name: EngineName): Promise<EngineAdapter> {
  if (name === 'native') return new NativeEngine();
  // Loaded lazily so the native self-check runs even when the interpreter is not built.
  if (name === 'facade') {
    const { WebAssembly: facade } = await import('@fayger/interpreter/webassembly');
    return new NativeEngine(facade as unknown as typeof WebAssembly, 'facade');
  }
  if (name === 'transpiler' || name === 'transpiler-sliced') {
    // @fayger/transpiler: WebAssembly compiled to JavaScript, checked against the same scripts.
    const { TranspilerEngine } = await import('./transpiler.js');
    return new TranspilerEngine(name === 'transpiler-sliced' ? { seed: 0x2545f491, maxSlice: 97 } : undefined);
  }
  const { InterpreterEngine } = await import('./interpreter.js');
  if (name === 'interpreter-sliced') return new InterpreterEngine({ slices: { seed: 0x2545f491, maxSlice: 97 } });
  return new InterpreterEngine();
}

import type { EngineAdapter } from '../types.js';
import { NativeEngine } from './native.js';

export type EngineName = 'native' | 'interpreter';

export const ENGINE_NAMES: readonly EngineName[] = ['interpreter', 'native'];

export async function createEngine(name: EngineName): Promise<EngineAdapter> {
  if (name === 'native') return new NativeEngine();
  // Loaded lazily so the native self-check runs even when the interpreter is not built.
  const { InterpreterEngine } = await import('./interpreter.js');
  return new InterpreterEngine();
}

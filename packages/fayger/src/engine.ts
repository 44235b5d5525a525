import { FaygerError } from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import type { ImplementationRegistration } from '@fayger/runtime';
import { createTranspilerImplementation } from '@fayger/transpiler';

/**
 * Which execution engine runs the guests:
 * - `auto`: the router decides per artifact — the manifest's runtime policy (`runtime.implementation.preferred`
 *   / `requiredFeatures`) first, then the transpiler where the host allows `new Function`, the interpreter
 *   otherwise, with a fallback to the interpreter at load time when the transpiler refuses the module (a
 *   feature it does not compile, e.g. SIMD);
 * - `interpreter`: the pure-TypeScript interpreter only (runs everywhere, CSP without eval included);
 * - `transpiler`: WebAssembly compiled to JavaScript only; FAYGER_ENGINE_UNAVAILABLE where the host forbids
 *   `new Function`, and the typed refusal of a module it cannot compile (no fallback).
 */
export type EngineChoice = 'auto' | 'interpreter' | 'transpiler';

export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'interpreter', 'transpiler'];

/** The engine `createFayger` uses when `engine` is not given. */
export const DEFAULT_ENGINE: EngineChoice = 'auto';

/** Names a manifest's `runtime.implementation.preferred` may use besides the implementation ids. */
const INTERPRETER_ALIASES = ['@fayger/interpreter', 'interpreter'];
const TRANSPILER_ALIASES = ['@fayger/transpiler', 'transpiler'];

/**
 * The Runtime_Implementations registered for an engine choice, in router order. `flag` names how the choice
 * was made, for the error (`engine` option, `--engine`).
 */
export function engineImplementations(
  engine: unknown = DEFAULT_ENGINE,
  flag = 'the createFayger option engine',
): ImplementationRegistration[] {
  if (!ENGINE_CHOICES.includes(engine as EngineChoice)) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'configure',
      what: `reading ${flag}`,
      expected: ENGINE_CHOICES.join(', '),
      found: JSON.stringify(engine) ?? String(engine),
    });
  }
  const interpreter: ImplementationRegistration = {
    implementation: createInterpreterImplementation(),
    aliases: INTERPRETER_ALIASES,
  };
  if (engine === 'interpreter') return [interpreter];
  const transpilerImpl = createTranspilerImplementation();
  const transpiler: ImplementationRegistration = { implementation: transpilerImpl, aliases: TRANSPILER_ALIASES };
  if (engine === 'auto') return [transpiler, interpreter];
  const host = transpilerImpl.hostSupport?.() ?? { ok: true };
  if (!host.ok) {
    throw new FaygerError({
      code: 'FAYGER_ENGINE_UNAVAILABLE',
      phase: 'configure',
      what: `forcing the transpiler engine (${flag} = transpiler)`,
      expected: 'a host that allows new Function',
      found: host.reason,
      hint: `Drop ${flag} or set it to auto (the router then picks the interpreter here) or interpreter.`,
      details: { engine: 'transpiler', flag, feature: host.feature },
    });
  }
  return [transpiler];
}

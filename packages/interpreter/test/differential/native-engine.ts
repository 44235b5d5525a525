import type { CallOutcome, DiffEngine, DiffInstance } from './diff-engine.js';
import { hostImplementations, type NumType } from '@fayger/wasm-testgen';

/**
 * V8 words one trap ambiguously: "float unrepresentable in integer range" covers both NaN (invalid conversion)
 * and out-of-range (integer overflow) inputs.
 */
const V8_TRAPS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^unreachable/, ['TRAP_UNREACHABLE']],
  [/(divide|remainder) by zero/, ['TRAP_INTEGER_DIVIDE_BY_ZERO']],
  [/divide result unrepresentable/, ['TRAP_INTEGER_OVERFLOW']],
  [/float unrepresentable in integer range/, ['TRAP_INVALID_CONVERSION', 'TRAP_INTEGER_OVERFLOW']],
  [/memory access out of bounds/, ['TRAP_MEMORY_OUT_OF_BOUNDS']],
  [
    /table index is out of bounds|table (access|get|set)? ?out of bounds|out of bounds table/,
    ['TRAP_TABLE_OUT_OF_BOUNDS'],
  ],
  // V8 has one message for a null slot and a signature mismatch.
  [/null function or function signature mismatch/, ['TRAP_UNINITIALIZED_ELEMENT', 'TRAP_INDIRECT_CALL_TYPE_MISMATCH']],
  [/function signature mismatch/, ['TRAP_INDIRECT_CALL_TYPE_MISMATCH']],
];

export function classifyNative(e: unknown): readonly string[] {
  if (e instanceof WebAssembly.RuntimeError) {
    for (const [re, codes] of V8_TRAPS) if (re.test(e.message)) return codes;
  }
  if (e instanceof RangeError) return ['TRAP_CALL_STACK_EXHAUSTED'];
  throw e;
}

export const nativeEngine: DiffEngine = {
  name: 'native',
  instantiate(bytes: Uint8Array<ArrayBuffer>): DiffInstance {
    let memory: WebAssembly.Memory | undefined;
    const env = hostImplementations(() => memory!.buffer);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env } as WebAssembly.Imports);
    const exports = instance.exports as Record<string, unknown>;
    const main = exports['main'] as (...a: unknown[]) => unknown;
    memory = exports['mem'] as WebAssembly.Memory;
    return {
      call(params: readonly NumType[], args: readonly bigint[], results: readonly NumType[]): CallOutcome {
        const jsArgs = args.map((b, i) => (params[i] === 'i32' ? Number(BigInt.asIntN(32, b)) : BigInt.asIntN(64, b)));
        let raw: unknown;
        try {
          raw = main(...jsArgs);
        } catch (e) {
          return { trap: classifyNative(e) };
        }
        const list = results.length === 1 ? [raw] : (raw as unknown[]);
        return { values: results.map((t, i) => toBits(t, list[i])) };
      },
      memory: () => new Uint8Array(memory!.buffer),
      global: (name: string, type: NumType) => toBits(type, (exports[name] as WebAssembly.Global).value),
    };
  },
};

function toBits(t: NumType, v: unknown): bigint {
  if (t === 'i32') return BigInt((v as number) >>> 0);
  if (t === 'i64') return BigInt.asUintN(64, v as bigint);
  throw new Error(`main returns only integers, got ${t}`);
}

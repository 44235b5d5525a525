import { FaygerError } from '@fayger/contracts';
import { F32, F64, I32, I64, V128 } from '../decode/module-ir.js';
import type { RawValue, ValueType } from './types.js';

/**
 * Raw values (types.ts: floats as bit patterns) ↔ JS values (floats as numbers), shared by both engines'
 * runtime implementations and the WebAssembly JS-API facade. Reference and v128 values pass unchanged: each
 * caller handles its own function objects.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** A JS value (plain numbers for floats, bigint or number for i64) → its raw bit pattern. */
export function rawOfJS(t: ValueType, v: unknown): RawValue {
  switch (t) {
    case 'i32':
      return Number(v) | 0;
    case 'i64':
      return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    case 'f32':
      f32[0] = Number(v);
      return u32[0];
    case 'f64':
      f64[0] = Number(v);
      return u64[0];
    default:
      return v as RawValue;
  }
}

/** A raw value → its JS value (i64 as a signed bigint, floats as numbers); references and v128 unchanged. */
export function jsOfRaw(t: ValueType, v: RawValue): unknown {
  switch (t) {
    case 'i32':
      return (v as number) | 0;
    case 'i64':
      return BigInt.asIntN(64, v as bigint);
    case 'f32':
      u32[0] = v as number;
      return f32[0];
    case 'f64':
      u64[0] = v as bigint;
      return f64[0];
    default:
      return v;
  }
}

/**
 * Throws WASM_BAD_VALUE for a raw value that does not fit wasm type `t` (a type code); `ref` describes what a
 * reference must be for the caller (its engine's function objects).
 */
export function badValue(t: number, v: unknown, ref = 'funcref (a function of this engine or null)'): never {
  const name =
    t === I32
      ? 'i32 (a number)'
      : t === F32
        ? 'f32 bits (a number)'
        : t === I64
          ? 'i64 (a bigint)'
          : t === F64
            ? 'f64 bits (a bigint)'
            : t === V128
              ? 'v128 (a Uint8Array of 16 bytes, lane 0 first)'
              : ref;
  throw new FaygerError({
    code: 'WASM_BAD_VALUE',
    phase: 'execute',
    what: 'passing a value across the guest boundary',
    expected: name,
    found: typeof v === 'object' ? String(v) : `${typeof v} ${String(v)}`,
  });
}

import { FaygerError } from '@fayger/contracts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64 } from '../decode/module-ir.js';
import type { RawValue } from '../api/types.js';
import { WasmFunction } from './objects.js';

/** Writes a raw value of wasm type `t` into slot index `s2` (= slot * 2). */
export function writeRaw(I32a: Int32Array, refs: unknown[], s2: number, t: number, v: RawValue): void {
  switch (t) {
    case I32:
    case F32:
      if (typeof v !== 'number') badValue(t, v);
      I32a[s2] = v as number;
      return;
    case I64:
    case F64: {
      if (typeof v !== 'bigint') badValue(t, v);
      const x = v as bigint;
      I32a[s2] = Number(BigInt.asIntN(32, x));
      I32a[s2 + 1] = Number(BigInt.asIntN(32, x >> 32n));
      return;
    }
    case FUNCREF:
      if (v !== null && !(v instanceof WasmFunction)) badValue(t, v);
      refs[s2 >> 1] = v;
      return;
    default:
      refs[s2 >> 1] = v === undefined ? null : v;
  }
}

/** Reads slot index `s2` as a raw value of wasm type `t`. */
export function readRaw(I32a: Int32Array, refs: unknown[], s2: number, t: number): RawValue {
  switch (t) {
    case I32:
    case F32:
      return I32a[s2] >>> 0;
    case I64:
    case F64:
      return (BigInt(I32a[s2 + 1] >>> 0) << 32n) | BigInt(I32a[s2] >>> 0);
    case FUNCREF:
    case EXTERNREF:
    default:
      return refs[s2 >> 1];
  }
}

function badValue(t: number, v: unknown): never {
  const name = t === I32 ? 'i32 (a number)' : t === F32 ? 'f32 bits (a number)' : t === I64 ? 'i64 (a bigint)' : t === F64 ? 'f64 bits (a bigint)' : 'funcref (a WasmFunction or null)';
  throw new FaygerError({
    code: 'WASM_BAD_VALUE',
    phase: 'execute',
    what: 'passing a value across the guest boundary',
    expected: name,
    found: typeof v === 'object' ? String(v) : `${typeof v} ${String(v)}`,
  });
}

import { F32, F64, FUNCREF, I32, I64, V128, badValue as badValueOf } from '@fayger/wasm';

const badValue = (t: number, v: unknown): never => badValueOf(t, v, 'funcref (a WasmFunction or null)');
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
    case V128: {
      if (!(v instanceof Uint8Array) || v.length !== 16) badValue(t, v);
      const u = v as Uint8Array;
      for (let i = 0; i < 4; i++)
        I32a[s2 + i] = u[4 * i] | (u[4 * i + 1] << 8) | (u[4 * i + 2] << 16) | (u[4 * i + 3] << 24);
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
    case V128: {
      const u = new Uint8Array(16);
      for (let i = 0; i < 4; i++) {
        const w = I32a[s2 + i];
        u[4 * i] = w;
        u[4 * i + 1] = w >>> 8;
        u[4 * i + 2] = w >>> 16;
        u[4 * i + 3] = w >>> 24;
      }
      return u;
    }
    default: // FUNCREF, EXTERNREF
      return refs[s2 >> 1];
  }
}

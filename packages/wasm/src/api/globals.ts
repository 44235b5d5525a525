import { F32, F64, FUNCREF, I32, I64, V128 } from '../decode/module-ir.js';
import { WasmGlobal, WasmMemory, WasmTable, typeCode } from '../execute/objects.js';
import type { GlobalType, MemoryType, RawValue, TableType } from './types.js';
import { badValue as badValueOf } from './values.js';

const badValue = (t: number, v: unknown): never => badValueOf(t, v, "funcref (the engine's function object or null)");

/**
 * Host-side constructors and accessors of the shared memory, table and global objects, in the raw-value encoding
 * of types.ts. Engine-neutral: a funcref is the engine's function object, so any object (or null) is accepted
 * here; an engine checks its own function objects where it links them.
 */

export function createMemory(type: MemoryType, options: { maxPages?: number } = {}): WasmMemory {
  return new WasmMemory(type.initial, type.maximum, options.maxPages ?? 65536);
}

export function createTable(type: TableType, init: RawValue = null): WasmTable {
  return new WasmTable(typeCode(type.element), type.initial, type.maximum, init);
}

export function createGlobal(type: GlobalType, value: RawValue): WasmGlobal {
  const g = new WasmGlobal(typeCode(type.value), type.mutable);
  setGlobalValue(g, value);
  return g;
}

export function getGlobalValue(g: WasmGlobal): RawValue {
  switch (g.valueType) {
    case I32:
    case F32:
      return g.lo >>> 0;
    case I64:
    case F64:
      return (BigInt(g.hi >>> 0) << 32n) | BigInt(g.lo >>> 0);
    case V128: {
      const u = new Uint8Array(16);
      const w = [g.lo, g.hi, g.w2, g.w3];
      for (let i = 0; i < 4; i++) {
        u[4 * i] = w[i];
        u[4 * i + 1] = w[i] >>> 8;
        u[4 * i + 2] = w[i] >>> 16;
        u[4 * i + 3] = w[i] >>> 24;
      }
      return u;
    }
    default: // FUNCREF, EXTERNREF
      return g.ref;
  }
}

/** Sets `g` (mutable or not: this is the host's initialisation path) to a raw value of its type. */
export function setGlobalValue(g: WasmGlobal, value: RawValue): void {
  const t = g.valueType;
  switch (t) {
    case I32:
    case F32:
      if (typeof value !== 'number') badValue(t, value);
      g.lo = (value as number) | 0;
      return;
    case I64:
    case F64: {
      if (typeof value !== 'bigint') badValue(t, value);
      const x = value as bigint;
      g.lo = Number(BigInt.asIntN(32, x));
      g.hi = Number(BigInt.asIntN(32, x >> 32n));
      return;
    }
    case V128: {
      if (!(value instanceof Uint8Array) || value.length !== 16) badValue(t, value);
      const u = value as Uint8Array;
      const w = [0, 0, 0, 0];
      for (let i = 0; i < 4; i++) w[i] = u[4 * i] | (u[4 * i + 1] << 8) | (u[4 * i + 2] << 16) | (u[4 * i + 3] << 24);
      g.lo = w[0];
      g.hi = w[1];
      g.w2 = w[2];
      g.w3 = w[3];
      return;
    }
    case FUNCREF:
      if (value !== null && typeof value !== 'object' && typeof value !== 'function') badValue(t, value);
      g.ref = value;
      return;
    default:
      g.ref = value === undefined ? null : value;
  }
}

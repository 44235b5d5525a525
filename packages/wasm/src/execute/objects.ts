import { FaygerError } from '@fayger/contracts';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64, V128 } from '../decode/module-ir.js';
import type { FuncTypeIR } from '../decode/module-ir.js';
import type { FunctionType, ValueType } from '../api/types.js';

export const PAGE = 65536;

/**
 * Work proportional to bytes (memory.grow/fill/copy/init, table.grow/fill/copy/init at 8 bytes per element)
 * costs one unit of fuel per this many bytes, on top of the instruction itself, so no single instruction buys
 * unbounded work for its fuel. Charged through FuelAccount.debt after the operation.
 */
export const BYTES_PER_FUEL = 64;

/** Fuel for bulk work on `bytes` bytes. */
export function bulkFuel(bytes: number): number {
  return Math.floor(bytes / BYTES_PER_FUEL);
}

/** The instance-wide budget of table elements (all tables together), shared by its tables. */
export interface TableBudget {
  readonly limit: number;
  used: number;
  /** The largest total a refused table.grow asked for (0: none refused). */
  refused: number;
}

const CODE_TO_NAME: Record<number, ValueType> = {
  [I32]: 'i32',
  [I64]: 'i64',
  [F32]: 'f32',
  [F64]: 'f64',
  [V128]: 'v128',
  [FUNCREF]: 'funcref',
  [EXTERNREF]: 'externref',
};
const NAME_TO_CODE: Record<string, number> = {
  i32: I32,
  i64: I64,
  f32: F32,
  f64: F64,
  v128: V128,
  funcref: FUNCREF,
  externref: EXTERNREF,
  anyfunc: FUNCREF,
};

export function typeName(code: number): ValueType {
  return CODE_TO_NAME[code];
}

export function typeCode(name: string): number {
  const c = NAME_TO_CODE[name];
  if (c === undefined) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'instantiate',
      what: 'reading a value type',
      expected: 'i32, i64, f32, f64, v128, funcref or externref',
      found: JSON.stringify(name),
    });
  }
  return c;
}

// Signatures are interned process-wide so call_indirect compares one integer, across modules and instances.
const sigIds = new Map<string, number>();
export function sigId(t: FuncTypeIR): number {
  const key = `${t.params.join(',')}:${t.results.join(',')}`;
  let id = sigIds.get(key);
  if (id === undefined) {
    id = sigIds.size;
    sigIds.set(key, id);
  }
  return id;
}

export function publicFuncType(t: FuncTypeIR): FunctionType {
  return { params: t.params.map(typeName), results: t.results.map(typeName) };
}

export class WasmMemory {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  dv: DataView;
  /** An Int32Array over `u8`'s bytes, made on first use by aligned v128 accesses; valid while `i32u8 === u8`. */
  i32: Int32Array | null = null;
  i32u8: Uint8Array | null = null;
  /** Declared maximum in pages (undefined = 65536). */
  readonly maximum: number | undefined;
  /** Page quota from InstanceOptions: growth beyond it fails with -1. */
  limit: number;
  /** Called after every successful grow (the facade refreshes its buffer object). */
  onGrow: (() => void) | null = null;
  /** The largest size in pages a grow refused by `limit` (not by the declared maximum) asked for; 0: none. */
  refused = 0;
  /**
   * Geometric: `buffer` may be larger than the memory (capacity doubles, capped at the limit), so growing one
   * page at a time copies O(size) bytes in total instead of O(size²). `u8` and `dv` always span exactly the
   * memory. Only for memories no facade exposes as an ArrayBuffer (the runtime implementation's instances).
   */
  readonly geometric: boolean;

  constructor(initial: number, maximum: number | undefined, limit = 65536, geometric = false) {
    this.maximum = maximum;
    this.limit = limit;
    this.geometric = geometric;
    if (initial > limit) {
      throw new FaygerError({
        code: 'WASM_LINK_ERROR',
        phase: 'instantiate',
        what: 'allocating linear memory',
        expected: `at most ${limit} pages (the page quota)`,
        found: `${initial} initial pages`,
        hint: 'Raise maxMemoryPages or use a module that needs less memory.',
        details: { limit: 'memoryPages', requested: initial, max: limit },
      });
    }
    this.buffer = new ArrayBuffer(initial * PAGE);
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  get kind(): 'memory' {
    return 'memory';
  }

  get pages(): number {
    return this.u8.length / PAGE;
  }

  /** Grows by `delta` pages; returns the old size in pages or -1. */
  grow(delta: number): number {
    const old = this.pages;
    const next = old + delta;
    const declared = this.maximum ?? 65536;
    const max = Math.min(declared, this.limit);
    if (next > max) {
      if (next <= declared && next > this.refused) this.refused = next;
      return -1;
    }
    if (delta === 0) return old;
    const bytes = next * PAGE;
    let buffer = this.buffer;
    if (bytes > buffer.byteLength) {
      const capacity = this.geometric ? Math.max(next, Math.min(2 * old, max)) : next;
      try {
        buffer = new ArrayBuffer(capacity * PAGE);
      } catch {
        return -1;
      }
      new Uint8Array(buffer).set(this.u8);
    }
    // Bytes past the old size are zero: fresh, or never reachable before (every access is checked against u8/dv).
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer, 0, bytes);
    this.dv = new DataView(buffer, 0, bytes);
    this.onGrow?.();
    return old;
  }
}

export class WasmTable {
  elements: unknown[];
  readonly elemType: number;
  readonly maximum: number | undefined;
  /** The defining instance's element budget (InstanceOptions.maxTableElements); null: only the 10M cap. */
  budget: TableBudget | null = null;

  constructor(elemType: number, initial: number, maximum: number | undefined, init: unknown = null) {
    this.elemType = elemType;
    this.maximum = maximum;
    if (initial > 10_000_000) {
      throw new FaygerError({
        code: 'WASM_LINK_ERROR',
        phase: 'instantiate',
        what: 'allocating a table',
        expected: 'at most 10,000,000 initial elements',
        found: String(initial),
      });
    }
    this.elements = new Array(initial).fill(init);
  }

  get kind(): 'table' {
    return 'table';
  }

  get size(): number {
    return this.elements.length;
  }

  /** Grows by `delta` elements filled with `init`; returns the old size or -1. */
  grow(delta: number, init: unknown): number {
    const old = this.elements.length;
    const next = old + delta;
    if (next > (this.maximum ?? 0xffffffff) || next > 10_000_000) return -1;
    const b = this.budget;
    if (b !== null) {
      if (b.used + delta > b.limit) {
        if (b.used + delta > b.refused) b.refused = b.used + delta;
        return -1;
      }
      b.used += delta;
    }
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}

/**
 * A global cell. Numeric values are stored as two int32 halves (f32 bits in `lo`, f64 bits in lo/hi) so the
 * dispatch loop copies bits without conversions; references live in `ref`.
 */
export class WasmGlobal {
  lo = 0;
  hi = 0;
  /** Words 2 and 3 of a v128 (words 0 and 1 are lo and hi). */
  w2 = 0;
  w3 = 0;
  ref: unknown = null;
  readonly valueType: number;
  readonly mutable: boolean;

  constructor(valueType: number, mutable: boolean) {
    this.valueType = valueType;
    this.mutable = mutable;
  }

  get kind(): 'global' {
    return 'global';
  }
}

/**
 * Public value and extern types of the native APIs, shared by both engines (the interpreter's and the
 * transpiler's). Values cross it as raw bit patterns so a caller (the conformance runner,
 * the runtime layer) never loses precision or NaN payloads:
 *   i32       number, the 32-bit pattern (any integer is accepted and wrapped; results are unsigned 0..2^32-1)
 *   i64       bigint, the 64-bit pattern (accepted signed or unsigned; results unsigned 0..2^64-1)
 *   f32       number, the IEEE-754 single bits as an unsigned 32-bit integer
 *   f64       bigint, the IEEE-754 double bits as an unsigned 64-bit integer
 *   v128      Uint8Array of 16 bytes, the vector's memory image (byte 0 = lowest lane's lowest byte)
 *   funcref   the engine's function object (a WasmFunction of the interpreter) or null
 *   externref any host value; null is the null reference
 */
export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

export type RawValue = number | bigint | null | unknown;

export interface FunctionType {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

export interface GlobalType {
  readonly value: ValueType;
  readonly mutable: boolean;
}

export interface MemoryType {
  /** Initial size in 64 KiB pages. */
  readonly initial: number;
  readonly maximum?: number;
}

export interface TableType {
  readonly element: 'funcref' | 'externref';
  readonly initial: number;
  readonly maximum?: number;
}

export type ExternKind = 'function' | 'table' | 'memory' | 'global';

export interface ImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind;
  readonly type: FunctionType | TableType | MemoryType | GlobalType;
}

export interface ExportDescriptor {
  readonly name: string;
  readonly kind: ExternKind;
  readonly type: FunctionType | TableType | MemoryType | GlobalType;
}

/**
 * The decoded module: plain data produced by `decode`, checked by `validate`, consumed by `compile` and
 * instantiation. Function bodies are pre-decoded into a flat instruction stream (see `instruction-stream.ts`)
 * so later stages never re-read LEB128 bytes.
 */

/** Value type codes as in the binary format. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

export type ValTypeCode = number;

export interface FuncTypeIR {
  readonly params: readonly ValTypeCode[];
  readonly results: readonly ValTypeCode[];
}

export interface LimitsIR {
  readonly min: number;
  readonly max: number | undefined;
}

export interface TableTypeIR extends LimitsIR {
  readonly elem: ValTypeCode;
}

export interface GlobalTypeIR {
  readonly type: ValTypeCode;
  readonly mutable: boolean;
}

/** External kinds as in the binary format. */
export const KIND_FUNC = 0;
export const KIND_TABLE = 1;
export const KIND_MEMORY = 2;
export const KIND_GLOBAL = 3;

export type ImportIR =
  | { readonly module: string; readonly name: string; readonly kind: 0; readonly type: number }
  | { readonly module: string; readonly name: string; readonly kind: 1; readonly table: TableTypeIR }
  | { readonly module: string; readonly name: string; readonly kind: 2; readonly memory: LimitsIR }
  | { readonly module: string; readonly name: string; readonly kind: 3; readonly global: GlobalTypeIR };

export interface ExportIR {
  readonly name: string;
  readonly kind: number;
  readonly index: number;
}

/** A constant expression, as an instruction stream (validated to be constant by `validate`). */
export interface ConstExprIR {
  readonly code: Int32Array;
  readonly offset: number;
}

export interface GlobalIR {
  readonly type: GlobalTypeIR;
  readonly init: ConstExprIR;
}

export const SEG_ACTIVE = 0;
export const SEG_PASSIVE = 1;
export const SEG_DECLARATIVE = 2;

export interface ElemIR {
  readonly mode: number;
  readonly table: number;
  readonly offset: ConstExprIR | undefined;
  readonly type: ValTypeCode;
  /** One constant expression per element. */
  readonly init: readonly ConstExprIR[];
}

export interface DataIR {
  readonly mode: number;
  readonly memory: number;
  readonly offset: ConstExprIR | undefined;
  readonly bytes: Uint8Array;
}

export interface CodeIR {
  /** Types of the declared locals (params excluded), expanded. */
  readonly locals: readonly ValTypeCode[];
  readonly body: Int32Array;
  /** Byte offset of the body (its instructions, after the locals) in the module. */
  readonly offset: number;
  /** End of the body in the module; with `bytes`, lets `instructionOffsets` re-decode it for error details. */
  readonly end: number;
  readonly bytes: Uint8Array;
}

export interface CustomSectionIR {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface NameSectionIR {
  moduleName?: string;
  functionNames: Map<number, string>;
}

export interface ModuleIR {
  readonly types: FuncTypeIR[];
  readonly imports: ImportIR[];
  /** Type index of each defined (non-imported) function. */
  readonly funcs: number[];
  readonly tables: TableTypeIR[];
  readonly memories: LimitsIR[];
  readonly globals: GlobalIR[];
  readonly exports: ExportIR[];
  start: number | undefined;
  readonly elems: ElemIR[];
  readonly datas: DataIR[];
  dataCount: number | undefined;
  readonly codes: CodeIR[];
  readonly customs: CustomSectionIR[];
  names: NameSectionIR | undefined;
}

/** A WebAssembly value as the spec scripts describe it: numbers by raw bit pattern, references by identity. */
export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type RefType = 'funcref' | 'externref';
export type ValType = NumType | RefType | 'v128';

export interface NumValue {
  readonly type: NumType;
  /** Unsigned bit pattern (32 or 64 bits wide). */
  readonly bits: bigint;
}

/**
 * `ref` is `null`, a host-reference number (externref: the script's opaque number) or `'func'` for a non-null
 * function reference whose identity the scripts never compare.
 */
export interface RefValue {
  readonly type: RefType;
  readonly ref: null | number | 'func';
}

/** A v128 as one unsigned 128-bit pattern: lane 0 in the lowest bits (the vector's little-endian memory image). */
export interface VecValue {
  readonly type: 'v128';
  readonly bits: bigint;
}

export type WasmValue = NumValue | RefValue | VecValue;

/** Stable outcome codes; engines classify their failures into these (the interpreter's FaygerError codes). */
export type FailureCode =
  | 'TRAP_UNREACHABLE'
  | 'TRAP_INTEGER_DIVIDE_BY_ZERO'
  | 'TRAP_INTEGER_OVERFLOW'
  | 'TRAP_INVALID_CONVERSION'
  | 'TRAP_MEMORY_OUT_OF_BOUNDS'
  | 'TRAP_TABLE_OUT_OF_BOUNDS'
  | 'TRAP_INDIRECT_CALL_TYPE_MISMATCH'
  | 'TRAP_UNINITIALIZED_ELEMENT'
  | 'TRAP_CALL_STACK_EXHAUSTED'
  | 'TRAP_FUEL_EXHAUSTED'
  | 'WASM_MALFORMED'
  | 'WASM_INVALID'
  | 'WASM_UNSUPPORTED_FEATURE'
  | 'WASM_LINK_ERROR'
  /** The engine cannot tell malformed from invalid (V8 throws CompileError for both). */
  | 'WASM_COMPILE_ERROR'
  /** A trap the engine reported but whose kind could not be recognised. */
  | 'TRAP_UNKNOWN'
  /** Anything else: a crash of the engine or of the adapter. */
  | 'UNEXPECTED';

export interface Classified {
  readonly code: FailureCode;
  readonly message: string;
  /** Other codes this failure may stand for, when the engine's report is ambiguous (native V8 only). */
  readonly acceptable?: readonly FailureCode[];
}

/** Opaque engine-side handles. */
export type CompiledModule = unknown;
export type ModuleInstance = unknown;

/**
 * The small surface a conformance run needs from an engine. Every method may throw; the runner passes what it
 * caught to `classify`. Methods may be sync or async.
 */
export interface EngineAdapter {
  readonly name: string;
  /** False when malformed and invalid modules produce the same error (then `WASM_COMPILE_ERROR` matches both). */
  readonly distinguishesMalformedFromInvalid: boolean;
  /** The standard `spectest` host module as an instance whose exports other modules can import. */
  spectest(): ModuleInstance | Promise<ModuleInstance>;
  /** Decode and validate. */
  compile(bytes: Uint8Array): CompiledModule | Promise<CompiledModule>;
  /** Link `module` against registered instances (import module name → instance) and instantiate it. */
  instantiate(
    module: CompiledModule,
    registry: ReadonlyMap<string, ModuleInstance>,
  ): ModuleInstance | Promise<ModuleInstance>;
  /**
   * Call an exported function. `resultTypes` is what the script expects back, when known (the native adapter
   * needs it to read float bits exactly).
   */
  invoke(
    instance: ModuleInstance,
    field: string,
    args: readonly WasmValue[],
    resultTypes: readonly ValType[] | undefined,
  ): readonly WasmValue[] | Promise<readonly WasmValue[]>;
  /** Read an exported global. */
  get(instance: ModuleInstance, field: string, type: ValType | undefined): WasmValue | Promise<WasmValue>;
  classify(error: unknown): Classified;
}

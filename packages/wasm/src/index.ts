// @fayger/wasm: the engine-neutral WebAssembly core both execution strategies share (@fayger/interpreter and
// @fayger/transpiler): the decoder, the validator, the module IR and opcode tables, the runtime objects
// (memories, tables, global cells), traps, numeric and SIMD lane helpers, the start-function driver and the
// engine-parameterised WebAssembly JS-API facade. It depends on @fayger/contracts only.

export { decode, DECODE_LIMITS } from './decode/decode.js';
export type { DecodeOptions } from './decode/decode.js';
export { validate, blockSig } from './validate/validate.js';
export { SIMPLE } from './validate/op-signatures.js';
export type { SimpleSig, SimdSig } from './validate/op-signatures.js';
export {
  I32,
  I64,
  F32,
  F64,
  V128,
  FUNCREF,
  EXTERNREF,
  KIND_FUNC,
  KIND_TABLE,
  KIND_MEMORY,
  KIND_GLOBAL,
  SEG_ACTIVE,
  SEG_PASSIVE,
  SEG_DECLARATIVE,
} from './decode/module-ir.js';
export type {
  ModuleIR,
  FuncTypeIR,
  LimitsIR,
  TableTypeIR,
  GlobalTypeIR,
  ImportIR,
  ExportIR,
  ConstExprIR,
  GlobalIR,
  ElemIR,
  DataIR,
  CodeIR,
  CustomSectionIR,
  NameSectionIR,
  ValTypeCode,
} from './decode/module-ir.js';
/** A growable int32 buffer (the decoder's instruction streams; the interpreter's compiled code). */
export { IntBuf } from './decode/int-buf.js';
export type {
  ValueType,
  RawValue,
  FunctionType,
  GlobalType,
  MemoryType,
  TableType,
  ExternKind,
  ImportDescriptor,
  ExportDescriptor,
} from './api/types.js';
export {
  WasmGlobal,
  WasmMemory,
  WasmTable,
  PAGE,
  BYTES_PER_FUEL,
  bulkFuel,
  sigId,
  typeCode,
  typeName,
  publicFuncType,
} from './execute/objects.js';
export type { TableBudget } from './execute/objects.js';
export { trap, Trap } from './execute/trap.js';
// Integer and float helpers on int32 word pairs (i64 as lo/hi), used by the interpreter's dispatch loop and by
// the SIMD lane operations.
export {
  toBig,
  fromBig,
  i64DivS,
  i64DivU,
  i64RemS,
  i64RemU,
  i64Mul,
  nearest,
  i64FromF64,
  truncTrap,
  truncSat,
  i64ToF64,
  i64ToF32,
  popcnt32,
  ctz32,
} from './execute/numeric.js';
export { runStartFunction, type StartExecution, type StartOptions } from './api/start.js';
export { getGlobalValue, setGlobalValue, createMemory, createTable, createGlobal } from './api/globals.js';
// SIMD: the lane operations work on a shared scratch of 16 int32 words (A 0..3, B 4..7, R 8..11), so each
// engine's value representation reuses them by copying its operands in and the result out.
export {
  SIMD_W,
  UNARY as SIMD_UNARY,
  lanewise as simdLanewise,
  test as simdTest,
  shiftLanes as simdShift,
  replaceLane as simdReplaceLane,
  loadInto as simdLoadInto,
  loadLane as simdLoadLane,
  storeLane as simdStoreLane,
  LOAD_BYTES as SIMD_LOAD_BYTES,
} from './execute/simd.js';
export { SIMD_SIG } from './validate/op-signatures.js';
export { SIMD_BASE } from './decode/opcodes.js';
// The WebAssembly JS-API facade, engine-parameterised: each engine's `/webassembly` facade subclasses Module
// with its engine and reuses the rest (Memory, Table, Global and the errors wrap the shared objects).
export {
  Module as FacadeModuleBase,
  Instance as FacadeInstance,
  Memory as FacadeMemory,
  Table as FacadeTable,
  Global as FacadeGlobal,
  CompileError as FacadeCompileError,
  LinkError as FacadeLinkError,
  RuntimeError as FacadeRuntimeError,
  facadeFunctions,
} from './facade/webassembly.js';
export type { FacadeEngine, FacadeFunction, FacadeModuleCode } from './facade/webassembly.js';
// Snapshot errors, engine-neutral: both engines take and restore snapshots with the same codes and phases.
export { snapshotError, type SnapshotErrorCode } from './execute/snapshot-error.js';
// Raw ↔ JS value conversion and the bad-value error, shared by both engines and the facade.
export { rawOfJS, jsOfRaw, badValue } from './api/values.js';
// The engine-neutral engine state of a snapshot (state version 3): both engines write it and read it.
export {
  WASM_STATE_VERSION,
  WASM_STATE_FORMAT,
  TRANSPILER_V1_FORMAT,
  stateModule,
  encodeWasmState,
  decodeWasmState,
  stateFormatOf,
  isRefType,
  stateKindOf,
} from './snapshot/state.js';
export type {
  StateFormat,
  StateValue,
  StateFrame,
  StateCall,
  WasmState,
  StateSite,
  StateSites,
  StateModule,
} from './snapshot/state.js';

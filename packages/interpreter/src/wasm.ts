// Internal subpath `@fayger/interpreter/wasm`: the decoder, the validator, the module IR and the runtime objects
// (memories, tables, global cells), shared with @fayger/transpiler so a second execution strategy reuses them
// instead of copying them. Until they move into a package of their own, this list is the shared surface.

export { decode } from './decode/decode.js';
export { validate, blockSig } from './validate/validate.js';
export { SIMPLE } from './validate/op-signatures.js';
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
export { trap } from './execute/trap.js';
export { runStartFunction, type StartExecution, type StartOptions } from './api/start.js';
export { getGlobalValue, setGlobalValue, createMemory, createTable, createGlobal } from './api/native.js';
// SIMD: the lane operations work on a shared scratch of 16 int32 words (A 0..3, B 4..7, R 8..11), so another
// value representation reuses them by copying its operands in and the result out.
export {
  SIMD_W,
  lanewise as simdLanewise,
  test as simdTest,
  shiftLanes as simdShift,
  replaceLane as simdReplaceLane,
  loadLane as simdLoadLane,
  storeLane as simdStoreLane,
  LOAD_BYTES as SIMD_LOAD_BYTES,
} from './execute/simd.js';
export { SIMD_SIG } from './validate/op-signatures.js';
export { SIMD_BASE } from './decode/opcodes.js';
// The WebAssembly JS-API facade, engine-parameterised: @fayger/transpiler/webassembly subclasses Module with its
// engine and reuses the rest (Memory, Table, Global and the errors wrap the shared objects).
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

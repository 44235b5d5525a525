// Public API of @fayger/interpreter. Every export is listed by name (no `export *`).

export {
  WasmModule,
  WasmInstance,
  compileModule,
  validateModule,
  instantiateModule,
  instantiateModuleAsync,
  invokeFunction,
  hostFunction,
  createMemory,
  createTable,
  createGlobal,
  getGlobalValue,
  setGlobalValue,
  DEFAULT_MAX_CALL_DEPTH,
} from './api/native.js';
export { WasmFunction, WasmGlobal, WasmMemory, WasmTable } from './execute/objects.js';
export { Execution } from './execute/execution.js';
export type { ExecutionState } from './execute/execution.js';
export type { Extern, Imports } from './execute/instantiate.js';
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
  CompileOptions,
  InstanceOptions,
  RunOptions,
  ExecutionResult,
  HostFunctionImpl,
} from './api/types.js';
export { createInterpreterImplementation, INTERPRETER_IMPLEMENTATION_ID } from './runtime/implementation.js';

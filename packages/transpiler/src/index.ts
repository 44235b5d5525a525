// Public API of @fayger/transpiler: the same native API shape as @fayger/interpreter (raw values, FaygerErrors),
// backed by generated JavaScript instead of a dispatch loop. Every export is listed by name.

export {
  TranspiledModule,
  TranspiledInstance,
  compileModule,
  validateModule,
  instantiateModule,
  instantiateModuleAsync,
  createGlobal,
  createMemory,
  createTable,
  getGlobalValue,
  setGlobalValue,
  WasmFunction,
  WasmGlobal,
  WasmMemory,
  WasmTable,
} from './api.js';
export type { ImportDescriptor, ExportDescriptor, ExternKind, InstanceOptions, FunctionType } from './api.js';
export { Execution, hostFunction, canGenerateCode, DEFAULT_MAX_CALL_DEPTH } from './runtime.js';
export type {
  ExecutionResult,
  ExecutionState,
  RawValue,
  ValueType,
  HostFunctionImpl,
  Extern,
  Imports,
} from './runtime.js';
export { createTranspilerImplementation, TRANSPILER_IMPLEMENTATION_ID } from './implementation.js';
export { emitterCompilesSimd, moduleSupport, hostSupport, estimatedSourceChars, TRANSPILER_LIMITS } from './support.js';

// `@fayger/interpreter/webassembly`: a drop-in for the `WebAssembly` namespace, backed by the interpreter.
import {
  CompileError,
  Global,
  Instance,
  LinkError,
  Memory,
  Module,
  RuntimeError,
  Table,
  compile,
  compileStreaming,
  instantiate,
  instantiateStreaming,
  validate,
} from './webassembly.js';

export {
  CompileError,
  Global,
  Instance,
  LinkError,
  Memory,
  Module,
  RuntimeError,
  Table,
  compile,
  compileStreaming,
  instantiate,
  instantiateStreaming,
  validate,
};

/** The whole namespace as one object, e.g. `globalThis.WebAssembly ??= WebAssembly` in a no-wasm host. */
export const WebAssembly = {
  CompileError,
  Global,
  Instance,
  LinkError,
  Memory,
  Module,
  RuntimeError,
  Table,
  compile,
  compileStreaming,
  instantiate,
  instantiateStreaming,
  validate,
} as const;

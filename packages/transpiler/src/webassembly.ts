// `@fayger/transpiler/webassembly`: a drop-in for the `WebAssembly` namespace, backed by the transpiler (modules
// compiled to JavaScript). The JS-API semantics are the facade of @fayger/wasm, shared with
// `@fayger/interpreter/webassembly`: only the engine differs. Memory, Table, Global and the error classes are the same
// classes as in `@fayger/interpreter/webassembly` (they wrap the memory, table and global objects both engines
// share), so a Memory made by one facade can be imported by the other. Where `new Function` is refused (CSP
// without unsafe-eval), compiling throws a CompileError whose cause is WASM_UNSUPPORTED_FEATURE with
// `details.refused`: use `@fayger/interpreter/webassembly` there.
import {
  FacadeCompileError as CompileError,
  FacadeGlobal as Global,
  FacadeInstance as Instance,
  FacadeLinkError as LinkError,
  FacadeMemory as Memory,
  FacadeModuleBase,
  FacadeRuntimeError as RuntimeError,
  FacadeTable as Table,
  facadeFunctions,
  type FacadeEngine,
  type FacadeFunction,
  type FacadeModuleCode,
} from '@fayger/wasm';
import { type TranspiledModule, compileModule, instantiateModule, validateModule } from './api.js';
import { TFunction, hostFunction, invokeFunction, type FunctionType, type Imports } from './runtime.js';
import { emitterRefusal } from './support.js';

const transpilerEngine: FacadeEngine = {
  compileModule(bytes) {
    try {
      return compileModule(bytes);
    } catch (e) {
      throw emitterRefusal(e);
    }
  },
  validateModule: (bytes) => validateModule(bytes),
  instantiateModule: (module: FacadeModuleCode, imports) =>
    instantiateModule(module as TranspiledModule, imports as Imports),
  invokeFunction: (f, args) => invokeFunction(f as TFunction, args),
  hostFunction: (type, impl) => hostFunction(type as FunctionType, impl),
  isFunction: (x): x is FacadeFunction => x instanceof TFunction,
};

/** A module compiled to JavaScript by the transpiler. */
export class Module extends FacadeModuleBase {
  protected static override engine: FacadeEngine = transpilerEngine;
}

const fns = facadeFunctions(transpilerEngine, Module);
export const validate = fns.validate;
export const compile = fns.compile;
export const instantiate = fns.instantiate;
export const compileStreaming = fns.compileStreaming;
export const instantiateStreaming = fns.instantiateStreaming;

export { CompileError, Global, Instance, LinkError, Memory, RuntimeError, Table };

/** The whole namespace as one object, e.g. `globalThis.WebAssembly ??= WebAssembly` in a host without wasm. */
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

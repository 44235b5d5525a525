// The interpreter's engine behind the shared WebAssembly JS-API facade (@fayger/wasm): Module compiles with the
// interpreter; Instance, Memory, Table, Global and the error classes are the shared ones.
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
} from '@fayger/wasm';
import {
  type WasmModule,
  compileModule,
  hostFunction,
  instantiateModule,
  invokeFunction,
  validateModule,
} from '../api/native.js';
import { WasmFunction } from '../execute/objects.js';
import type { Extern } from '../execute/instantiate.js';

const interpreterEngine: FacadeEngine = {
  compileModule: (bytes) => compileModule(bytes),
  validateModule: (bytes) => validateModule(bytes),
  instantiateModule: (module, imports) =>
    instantiateModule(module as WasmModule, imports as Record<string, Record<string, Extern>>),
  invokeFunction: (f, args) => invokeFunction(f as WasmFunction, args),
  hostFunction: (type, impl) => hostFunction(type, impl),
  isFunction: (x): x is FacadeFunction => x instanceof WasmFunction,
};

/** A module compiled by the interpreter. */
export class Module extends FacadeModuleBase {
  protected static override engine: FacadeEngine = interpreterEngine;
}

const fns = facadeFunctions(interpreterEngine, Module);
export const validate = fns.validate;
export const compile = fns.compile;
export const instantiate = fns.instantiate;
export const compileStreaming = fns.compileStreaming;
export const instantiateStreaming = fns.instantiateStreaming;

export { CompileError, Global, Instance, LinkError, Memory, RuntimeError, Table };

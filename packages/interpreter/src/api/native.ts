import { FaygerError } from '@fayger/contracts';
import { decode } from '@fayger/wasm';
import { EXTERNREF, F32, F64, FUNCREF, I32, I64 } from '@fayger/wasm';
import type { ModuleIR } from '@fayger/wasm';
import { validate } from '@fayger/wasm';
import { compileModule as compileIR, type CompiledCode } from '../compile/compile.js';
import {
  WasmFunction,
  WasmGlobal,
  WasmMemory,
  WasmTable,
  publicFuncType,
  typeCode,
  typeName,
} from '../execute/objects.js';
import type { FuelAccount, InstanceCtx } from '../execute/objects.js';
import { link, type Extern, type Imports } from '../execute/instantiate.js';
import { Execution, UNLIMITED_FUEL } from '../execute/execution.js';
import { runStartFunction } from '@fayger/wasm';
import { applyAnyState, applyMemory, captureState } from '../execute/snapshot.js';
import { snapshotError } from '@fayger/wasm';
import { readRaw, writeRaw } from '../execute/values.js';
import type {
  CompileOptions,
  ExportDescriptor,
  ExternKind,
  FunctionType,
  GlobalType,
  HostFunctionImpl,
  ImportDescriptor,
  InstanceOptions,
  MemoryType,
  RawValue,
  TableType,
  ValueType,
} from './types.js';

const KINDS: ExternKind[] = ['function', 'table', 'memory', 'global'];

/** A decoded, validated and compiled module. Instantiate it any number of times. */
export class WasmModule {
  /** @internal */ readonly ir: ModuleIR;
  /** @internal */ readonly compiled: CompiledCode;
  readonly imports: readonly ImportDescriptor[];
  readonly exports: readonly ExportDescriptor[];

  /** @internal */
  constructor(ir: ModuleIR, compiled: CompiledCode) {
    this.ir = ir;
    this.compiled = compiled;
    this.imports = ir.imports.map((imp) => ({
      module: imp.module,
      name: imp.name,
      kind: KINDS[imp.kind],
      type:
        imp.kind === 0
          ? publicFuncType(ir.types[imp.type])
          : imp.kind === 1
            ? tableType(imp.table.elem, imp.table.min, imp.table.max)
            : imp.kind === 2
              ? memType(imp.memory.min, imp.memory.max)
              : { value: typeName(imp.global.type), mutable: imp.global.mutable },
    }));
    const funcTypes = [
      ...ir.imports.filter((i) => i.kind === 0).map((i) => ir.types[(i as { type: number }).type]),
      ...ir.funcs.map((t) => ir.types[t]),
    ];
    const tables = [...ir.imports.flatMap((i) => (i.kind === 1 ? [i.table] : [])), ...ir.tables];
    const mems = [...ir.imports.flatMap((i) => (i.kind === 2 ? [i.memory] : [])), ...ir.memories];
    const globals = [...ir.imports.flatMap((i) => (i.kind === 3 ? [i.global] : [])), ...ir.globals.map((g) => g.type)];
    this.exports = ir.exports.map((ex) => ({
      name: ex.name,
      kind: KINDS[ex.kind],
      type:
        ex.kind === 0
          ? publicFuncType(funcTypes[ex.index])
          : ex.kind === 1
            ? tableType(tables[ex.index].elem, tables[ex.index].min, tables[ex.index].max)
            : ex.kind === 2
              ? memType(mems[ex.index].min, mems[ex.index].max)
              : { value: typeName(globals[ex.index].type), mutable: globals[ex.index].mutable },
    }));
  }

  /** Contents of every custom section with this name, in order (copies). */
  customSections(name: string): Uint8Array[] {
    return this.ir.customs.filter((c) => c.name === name).map((c) => c.bytes.slice());
  }

  /** Function names from the name section, if present. */
  functionName(index: number): string | undefined {
    return this.ir.names?.functionNames.get(index);
  }
}

function tableType(elem: number, initial: number, maximum: number | undefined): TableType {
  return maximum === undefined
    ? { element: typeName(elem) as 'funcref', initial }
    : { element: typeName(elem) as 'funcref', initial, maximum };
}
function memType(initial: number, maximum: number | undefined): MemoryType {
  return maximum === undefined ? { initial } : { initial, maximum };
}

/** Decodes, validates and compiles. Throws FaygerError WASM_MALFORMED / WASM_INVALID / WASM_UNSUPPORTED_FEATURE. */
export function compileModule(bytes: Uint8Array | ArrayBuffer, _options: CompileOptions = {}): WasmModule {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const ir = decode(u8);
  validate(ir);
  return new WasmModule(ir, compileIR(ir));
}

/** True when the bytes decode and validate. */
export function validateModule(bytes: Uint8Array | ArrayBuffer): boolean {
  try {
    const ir = decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    validate(ir);
    return true;
  } catch (e) {
    if (FaygerError.is(e)) return false;
    throw e;
  }
}

/** An instantiated module. */
export class WasmInstance {
  readonly module: WasmModule;
  /** Exports by name: WasmFunction, WasmGlobal, WasmMemory or WasmTable (usable as imports elsewhere). */
  readonly exports: Readonly<Record<string, Extern>>;
  /** @internal */ readonly ctx: InstanceCtx;
  /** @internal */ readonly pending = new Set<Execution>();

  /** @internal */
  constructor(module: WasmModule, ctx: InstanceCtx, exports: Map<string, Extern>) {
    this.module = module;
    this.ctx = ctx;
    const obj: Record<string, Extern> = Object.create(null);
    for (const [k, v] of exports) obj[k] = v;
    this.exports = Object.freeze(obj);
  }

  private func(name: string): WasmFunction {
    const f = this.exports[name];
    if (!(f instanceof WasmFunction)) {
      throw new FaygerError({
        code: 'INVALID_ARGUMENT',
        phase: 'execute',
        what: `calling export ${JSON.stringify(name)}`,
        expected: 'an exported function',
        found: f === undefined ? 'no such export' : f.kind,
      });
    }
    return f;
  }

  /**
   * Calls an exported function to completion, synchronously. Throws the trap as a FaygerError. A host import
   * returning a Promise makes this throw WASM_EXECUTION_STATE: use `call()` for suspendable calls.
   */
  invoke(name: string, args: readonly RawValue[] = []): RawValue[] {
    return invokeFunction(this.func(name), args, this.ctx);
  }

  /** Starts a resumable call of an exported function; nothing runs until `run()`. */
  call(name: string, args: readonly RawValue[] = []): Execution {
    const ex = new Execution(this.func(name), args, this.ctx.fuel, this.ctx.maxCallDepth);
    return ex;
  }

  /** Reads an exported global's raw value. */
  getGlobal(name: string): RawValue {
    const g = this.exports[name];
    if (!(g instanceof WasmGlobal)) {
      throw new FaygerError({
        code: 'INVALID_ARGUMENT',
        phase: 'execute',
        what: `reading global ${JSON.stringify(name)}`,
        expected: 'an exported global',
        found: g === undefined ? 'no such export' : g.kind,
      });
    }
    return getGlobalValue(g);
  }

  /** Fuel and depth usage of the instance. */
  usage(): {
    fuelUsed: number;
    fuelRemaining: number | undefined;
    memoryPages: number;
    callDepth: number;
    maxCallDepthReached: number;
    tableElements: number;
    refused?: { memoryPages?: number; tableElements?: number };
  } {
    const f = this.ctx.fuel;
    const memRefused = this.ctx.memory?.refused ?? 0;
    const tableRefused = this.ctx.tableBudget.refused;
    return {
      fuelUsed: f.used,
      fuelRemaining: f.remaining === UNLIMITED_FUEL ? undefined : f.remaining,
      memoryPages: this.ctx.memory?.pages ?? 0,
      callDepth: f.callDepth,
      maxCallDepthReached: f.maxCallDepthReached,
      tableElements: this.ctx.tables.reduce((n, t) => n + t.elements.length, 0),
      ...(memRefused || tableRefused
        ? {
            refused: {
              ...(memRefused ? { memoryPages: memRefused } : {}),
              ...(tableRefused ? { tableElements: tableRefused } : {}),
            },
          }
        : {}),
    };
  }

  /** Releases the instance: later calls fail with WASM_INSTANCE_TERMINATED. */
  terminate(): void {
    this.ctx.terminated = true;
  }
}

/** Runs `f` to completion synchronously (used by invoke, the facade and the start function). */
export function invokeFunction(f: WasmFunction, args: readonly RawValue[], ctx?: InstanceCtx): RawValue[] {
  const inst = ctx ?? f.inst;
  const account = inst?.fuel ?? { remaining: UNLIMITED_FUEL, used: 0, debt: 0, callDepth: 0, maxCallDepthReached: 0 };
  const ex = new Execution(f, args, account, inst?.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH);
  const r = ex.run();
  if (r.status === 'completed') return r.values;
  if (r.status === 'trapped') throw r.error;
  throw new FaygerError({
    code: 'WASM_EXECUTION_STATE',
    phase: 'execute',
    what: 'calling a guest function synchronously',
    expected: 'every host import to return a value',
    found: 'a host import returned a Promise',
    hint: 'Use instance.call(name, args).run() and resume after the promise settles.',
  });
}

export const DEFAULT_MAX_CALL_DEPTH = 10_000;

/** Instantiates synchronously and runs the start function. Throws WASM_LINK_ERROR or the start trap. */
export function instantiateModule(
  module: WasmModule,
  imports: Imports = {},
  options: InstanceOptions = {},
): WasmInstance {
  const inst = linkInstance(module, imports, options);
  if (module.ir.start !== undefined) invokeFunction(inst.ctx.funcs[module.ir.start], [], inst.ctx);
  return inst;
}

/** Like instantiateModule, but the start function may wait on host promises. */
export async function instantiateModuleAsync(
  module: WasmModule,
  imports: Imports = {},
  options: InstanceOptions = {},
): Promise<WasmInstance> {
  const inst = linkInstance(module, imports, options);
  if (module.ir.start !== undefined) {
    await runStartFunction(
      new Execution(inst.ctx.funcs[module.ir.start], [], inst.ctx.fuel, inst.ctx.maxCallDepth),
      options,
    );
  }
  return inst;
}

function linkInstance(module: WasmModule, imports: Imports, options: InstanceOptions): WasmInstance {
  const fuel: FuelAccount = {
    remaining: options.fuel ?? UNLIMITED_FUEL,
    used: 0,
    debt: 0,
    callDepth: 0,
    maxCallDepthReached: 0,
  };
  const { ctx, exports } = link(module.ir, module.compiled, imports, {
    maxMemoryPages: options.maxMemoryPages ?? 65536,
    maxCallDepth: options.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH,
    maxTableElements: options.maxTableElements ?? Infinity,
    geometricMemory: options.geometricMemory ?? false,
    fuel,
  });
  return new WasmInstance(module, ctx, exports);
}

/**
 * Recreates an instance of `module` from a snapshot's engine state without running its start function: links
 * `imports`, installs the memory, then globals, tables, segment state, fuel used and the stopped calls (see
 * execute/snapshot.ts). Throws SNAPSHOT_MALFORMED / SNAPSHOT_ENGINE_MISMATCH for a bad state, WASM_LINK_ERROR for
 * imports or limits that do not fit.
 */
export function restoreInstance(
  module: WasmModule,
  imports: Imports,
  options: InstanceOptions,
  snapshot: {
    readonly memories: readonly { pages: number; bytes: Uint8Array }[];
    readonly state: Uint8Array;
    readonly fuelUsed: number;
    readonly calls: readonly { export: string; waiting: boolean }[];
  },
): { instance: WasmInstance; calls: Execution[] } {
  const inst = linkInstance(module, imports, options);
  const ctx = inst.ctx;
  applyMemory(ctx, module.ir, snapshot.memories);
  const fuelUsed = snapshot.fuelUsed;
  if (!(Number.isSafeInteger(fuelUsed) && fuelUsed >= 0)) {
    throw snapshotError('SNAPSHOT_MALFORMED', 'restoring the fuel used', 'a non-negative integer', String(fuelUsed));
  }
  const exportIndex = (name: string): number | undefined => {
    const ex = module.ir.exports.find((e) => e.name === name);
    return ex !== undefined && ex.kind === 0 ? ex.index : undefined;
  };
  const calls = applyAnyState(module.ir, ctx, snapshot.state, snapshot.calls, exportIndex);
  ctx.fuel.used = fuelUsed;
  if (ctx.fuel.remaining !== UNLIMITED_FUEL) ctx.fuel.remaining = Math.max(0, ctx.fuel.remaining - fuelUsed);
  return { instance: inst, calls };
}

/** Encodes the engine state of `instance` and its stopped `calls` (see execute/snapshot.ts). */
export function captureInstance(
  instance: WasmInstance,
  calls: readonly { ex: Execution; exportName: string }[],
): { memories: { pages: number; bytes: Uint8Array }[]; state: Uint8Array; fuelUsed: number } {
  const ctx = instance.ctx;
  if (ctx.terminated) {
    throw snapshotError('SNAPSHOT_NOT_SUSPENDED', 'snapshotting an instance', 'a live instance', 'a terminated one');
  }
  const state = captureState(instance.module.ir, ctx, calls);
  const mem = ctx.memory;
  return {
    memories: mem ? [{ pages: mem.pages, bytes: mem.u8.slice() }] : [],
    state,
    fuelUsed: ctx.fuel.used,
  };
}

/** Wraps a host function as an importable WasmFunction. It receives and returns raw values (see RawValue). */
export function hostFunction(type: FunctionType, impl: HostFunctionImpl): WasmFunction {
  const f = new WasmFunction({ params: type.params.map(typeCode), results: type.results.map(typeCode) });
  f.host = impl;
  f.allI32 = f.irType.params.every((t) => t === I32);
  return f;
}

export function createMemory(type: MemoryType, options: { maxPages?: number } = {}): WasmMemory {
  return new WasmMemory(type.initial, type.maximum, options.maxPages ?? 65536);
}

export function createTable(type: TableType, init: RawValue = null): WasmTable {
  return new WasmTable(typeCode(type.element), type.initial, type.maximum, init);
}

export function createGlobal(type: GlobalType, value: RawValue): WasmGlobal {
  const g = new WasmGlobal(typeCode(type.value), type.mutable);
  setGlobalValue(g, value);
  return g;
}

export function getGlobalValue(g: WasmGlobal): RawValue {
  const I32a = Int32Array.of(g.lo, g.hi, g.w2, g.w3);
  return readRaw(I32a, [g.ref], 0, g.valueType);
}

export function setGlobalValue(g: WasmGlobal, value: RawValue): void {
  const I32a = new Int32Array(4);
  const refs: unknown[] = [null];
  writeRaw(I32a, refs, 0, g.valueType, value);
  g.lo = I32a[0];
  g.hi = I32a[1];
  g.w2 = I32a[2];
  g.w3 = I32a[3];
  g.ref = refs[0];
}

export function valueTypeName(t: number): ValueType {
  return typeName(t);
}

export {
  I32 as TYPE_I32,
  I64 as TYPE_I64,
  F32 as TYPE_F32,
  F64 as TYPE_F64,
  FUNCREF as TYPE_FUNCREF,
  EXTERNREF as TYPE_EXTERNREF,
};

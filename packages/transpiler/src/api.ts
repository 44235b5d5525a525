import { FaygerError } from '@fayger/contracts';
import {
  WasmGlobal,
  WasmMemory,
  WasmTable,
  createGlobal,
  createMemory,
  createTable,
  decode,
  getGlobalValue,
  publicFuncType,
  runStartFunction,
  setGlobalValue,
  typeName,
  validate,
} from '@fayger/wasm';
import {
  DEFAULT_MAX_CALL_DEPTH,
  Execution,
  TFunction,
  UNLIMITED_FUEL,
  compileIR,
  globalValue,
  invokeFunction,
  link,
  toRaw,
  type CompiledModule,
  type Extern,
  type FuelAccount,
  type FunctionType,
  type Imports,
  type InstanceState,
  type RawValue,
} from './runtime.js';

export type ExternKind = 'function' | 'table' | 'memory' | 'global';
export interface ImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind;
  readonly type: unknown;
}
export interface ExportDescriptor {
  readonly name: string;
  readonly kind: ExternKind;
  readonly type: unknown;
}

/** Options of an instance: the same as @fayger/interpreter's InstanceOptions. */
export interface InstanceOptions {
  readonly maxMemoryPages?: number;
  readonly maxCallDepth?: number;
  readonly fuel?: number;
  readonly maxTableElements?: number;
  readonly geometricMemory?: boolean;
  readonly startFuel?: number;
  /** Run the start function in slices of `fuel` units, awaiting `between()` after each (see the interpreter's). */
  readonly startSlices?: { readonly fuel: number; readonly between: () => void | Promise<void> };
}

const KINDS: ExternKind[] = ['function', 'table', 'memory', 'global'];

/** A decoded, validated and transpiled module. Instantiate it any number of times. */
export class TranspiledModule {
  /** @internal */ readonly compiled: CompiledModule;
  readonly imports: readonly ImportDescriptor[];
  readonly exports: readonly ExportDescriptor[];

  /** @internal */
  constructor(compiled: CompiledModule) {
    this.compiled = compiled;
    const ir = compiled.ir;
    const tableType = (elem: number, initial: number, maximum: number | undefined) =>
      maximum === undefined ? { element: typeName(elem), initial } : { element: typeName(elem), initial, maximum };
    const memType = (initial: number, maximum: number | undefined) =>
      maximum === undefined ? { initial } : { initial, maximum };
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
    const L = compiled.layout;
    const tables = [...ir.imports.flatMap((i) => (i.kind === 1 ? [i.table] : [])), ...ir.tables];
    const mems = [...ir.imports.flatMap((i) => (i.kind === 2 ? [i.memory] : [])), ...ir.memories];
    const globals = [...ir.imports.flatMap((i) => (i.kind === 3 ? [i.global] : [])), ...ir.globals.map((g) => g.type)];
    this.exports = ir.exports.map((ex) => ({
      name: ex.name,
      kind: KINDS[ex.kind],
      type:
        ex.kind === 0
          ? publicFuncType(L.funcTypes[ex.index])
          : ex.kind === 1
            ? tableType(tables[ex.index].elem, tables[ex.index].min, tables[ex.index].max)
            : ex.kind === 2
              ? memType(mems[ex.index].min, mems[ex.index].max)
              : { value: typeName(globals[ex.index].type), mutable: globals[ex.index].mutable },
    }));
  }

  /** Contents of every custom section with this name, in order (copies). */
  customSections(name: string): Uint8Array[] {
    return this.compiled.ir.customs.filter((c) => c.name === name).map((c) => c.bytes.slice());
  }

  /** The generated JavaScript (for review and debugging): the module factory's body. */
  get source(): string {
    return this.compiled.emitted.source;
  }

  /**
   * Per function index (imports first): can it reach an import that may await, so that it has a generator body?
   * Here every import is taken to possibly await; an instance whose imports are declared synchronous
   * (`hostFunction(type, impl, { sync: true })`) runs a code with fewer (its `resumable`).
   */
  get resumable(): readonly boolean[] {
    return this.compiled.emitted.awaits;
  }
}

/**
 * Decodes, validates and transpiles. Throws FaygerError WASM_MALFORMED / WASM_INVALID / WASM_UNSUPPORTED_FEATURE;
 * a host that forbids code generation gets WASM_UNSUPPORTED_FEATURE with `details.refused === true`.
 */
export function compileModule(bytes: Uint8Array | ArrayBuffer): TranspiledModule {
  return new TranspiledModule(compileIR(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)));
}

/** True when the bytes decode and validate. */
export function validateModule(bytes: Uint8Array | ArrayBuffer): boolean {
  try {
    validate(decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)));
    return true;
  } catch (e) {
    if (FaygerError.is(e)) return false;
    throw e;
  }
}

/** An instantiated module. */
export class TranspiledInstance {
  readonly module: TranspiledModule;
  readonly exports: Readonly<Record<string, Extern>>;
  /** @internal */ readonly state: InstanceState;

  /** @internal */
  constructor(module: TranspiledModule, state: InstanceState, exports: Map<string, Extern>) {
    this.module = module;
    this.state = state;
    const obj: Record<string, Extern> = Object.create(null);
    for (const [k, v] of exports) obj[k] = v;
    this.exports = Object.freeze(obj);
  }

  private func(name: string): TFunction {
    const f = this.exports[name];
    if (!(f instanceof TFunction)) {
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
   * Per function index (imports first): has it a generator body in this instance's code (it can reach an import
   * that may await)? The others run as plain functions on the resumable path too.
   */
  get resumable(): readonly boolean[] {
    return this.state.emitted.awaits;
  }

  /** The generated JavaScript this instance runs (the module's, or its code for synchronous imports). */
  get source(): string {
    return this.state.emitted.source;
  }

  /** Calls an exported function to completion, synchronously; a host Promise makes it throw WASM_EXECUTION_STATE. */
  invoke(name: string, args: readonly RawValue[] = []): RawValue[] {
    return invokeFunction(this.func(name), args);
  }

  /** Starts a resumable call (fuel slices, host promises); nothing runs until `run()`. */
  call(name: string, args: readonly RawValue[] = []): Execution {
    return new Execution(this.func(name), args);
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

  /** Raw value of global `index` of the instance, exported or not (tests, debugging). */
  globalByIndex(index: number): RawValue {
    const t = this.module.compiled.layout.globalTypes[index];
    return toRaw(t, globalValue(this.state, index));
  }

  usage(): {
    fuelUsed: number;
    fuelRemaining: number | undefined;
    memoryPages: number;
    callDepth: number;
    maxCallDepthReached: number;
    tableElements: number;
    refused?: { memoryPages?: number; tableElements?: number };
  } {
    const f = this.state.fuel;
    // Grows refused by the instance limits (the guest only saw -1): the runtime turns them into the quota
    // breach, as with the interpreter. The shared memory and table objects keep the largest refused size.
    const memRefused = this.state.memory?.refused ?? 0;
    const tableRefused = this.state.tables.reduce((n, t) => Math.max(n, t.budget?.refused ?? 0), 0);
    return {
      fuelUsed: f.used,
      fuelRemaining: f.remaining === UNLIMITED_FUEL ? undefined : f.remaining,
      memoryPages: this.state.memory?.pages ?? 0,
      callDepth: f.callDepth,
      maxCallDepthReached: f.maxCallDepthReached,
      tableElements: this.state.tables.reduce((n, t) => n + t.elements.length, 0),
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

  /** The instance's memory (exported or not), if it has one. */
  get memory(): WasmMemory | null {
    return this.state.memory;
  }

  terminate(): void {
    this.state.terminated = true;
  }
}

function linkInstance(
  module: TranspiledModule,
  imports: Imports,
  options: InstanceOptions,
  code?: Parameters<typeof link>[2]['code'],
): TranspiledInstance {
  const fuel: FuelAccount = {
    remaining: options.fuel ?? UNLIMITED_FUEL,
    used: 0,
    callDepth: 0,
    maxCallDepthReached: 0,
  };
  const { state, exports } = link(module.compiled, imports, {
    maxMemoryPages: options.maxMemoryPages ?? 65536,
    maxCallDepth: options.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH,
    maxTableElements: options.maxTableElements ?? Infinity,
    geometricMemory: options.geometricMemory ?? false,
    fuel,
    ...(code === undefined ? {} : { code }),
  });
  return new TranspiledInstance(module, state, exports);
}

/**
 * @internal Links an instance of `module` running `code` (the module with re-entry variants) without running
 * its start function: the first step of restoring a snapshot.
 */
export function linkForRestore(
  module: TranspiledModule,
  imports: Imports,
  options: InstanceOptions,
  code: NonNullable<Parameters<typeof link>[2]['code']>,
): TranspiledInstance {
  return linkInstance(module, imports, options, code);
}

/** Instantiates synchronously and runs the start function. Throws WASM_LINK_ERROR or the start trap. */
export function instantiateModule(
  module: TranspiledModule,
  imports: Imports = {},
  options: InstanceOptions = {},
): TranspiledInstance {
  const inst = linkInstance(module, imports, options);
  const start = module.compiled.ir.start;
  if (start !== undefined) invokeFunction(inst.state.funcs[start], []);
  return inst;
}

/** Like instantiateModule, but the start function may wait on host promises. */
export async function instantiateModuleAsync(
  module: TranspiledModule,
  imports: Imports = {},
  options: InstanceOptions = {},
): Promise<TranspiledInstance> {
  const inst = linkInstance(module, imports, options);
  const start = module.compiled.ir.start;
  if (start !== undefined) await runStartFunction(new Execution(inst.state.funcs[start], []), options);
  return inst;
}

export {
  createGlobal,
  createMemory,
  createTable,
  getGlobalValue,
  setGlobalValue,
  WasmGlobal,
  WasmMemory,
  WasmTable,
  TFunction as WasmFunction,
};
export type { FunctionType };

import { FaygerError } from '@fayger/contracts';
import { createGlobal, getGlobalValue, setGlobalValue } from '../api/globals.js';
import { jsOfRaw, rawOfJS } from '../api/values.js';
import { type WasmGlobal, WasmMemory, WasmTable } from '../execute/objects.js';
import type { FunctionType, GlobalType, ImportDescriptor, RawValue, TableType, ValueType } from '../api/types.js';

/**
 * A `WebAssembly`-compatible facade over an execution engine: the part of the JS API that emscripten,
 * wasm-bindgen and AssemblyScript loaders use. Exported functions are plain synchronous JS functions.
 *
 * The engine behind `Module` / `Instance` is a `FacadeEngine`: @fayger/interpreter/webassembly and
 * @fayger/transpiler/webassembly each subclass `Module` with their engine and build the namespace functions
 * with `facadeFunctions`, so the JS-API semantics live here once. Memory, Table, Global and the error
 * classes wrap the memory, table and global objects both engines share, so they are the same classes in both
 * facades.
 */

/** The module a FacadeEngine compiles: its import/export descriptors and custom sections. */
export interface FacadeModuleCode {
  readonly imports: readonly {
    readonly module: string;
    readonly name: string;
    readonly kind: string;
    readonly type: unknown;
  }[];
  readonly exports: readonly { readonly name: string; readonly kind: string }[];
  customSections(name: string): Uint8Array[];
}

/** A function object of a FacadeEngine (its wasm type and index). */
export interface FacadeFunction {
  readonly type: FunctionType;
  readonly index: number;
}

/** What the facade needs from an execution engine (raw values as in the native APIs). */
export interface FacadeEngine {
  compileModule(bytes: Uint8Array): FacadeModuleCode;
  validateModule(bytes: Uint8Array): boolean;
  /** Links (imports are the engine's function objects and the shared memory/table/global objects) and runs start. */
  instantiateModule(
    module: FacadeModuleCode,
    imports: Record<string, Record<string, unknown>>,
  ): { readonly exports: Readonly<Record<string, unknown>> };
  invokeFunction(f: FacadeFunction, args: RawValue[]): RawValue[];
  hostFunction(type: FunctionType, impl: (...args: RawValue[]) => unknown): FacadeFunction;
  /** Is this one of the engine's function objects (an export, a funcref)? */
  isFunction(x: unknown): x is FacadeFunction;
}

/** Every engine a facade was built for (facadeFunctions), to find the engine of a function object. */
const ENGINES = new Set<FacadeEngine>();

function engineOf(f: FacadeFunction): FacadeEngine {
  for (const e of ENGINES) if (e.isFunction(f)) return e;
  throw new TypeError('WebAssembly: a funcref of no known engine');
}

export class CompileError extends Error {
  override readonly name = 'CompileError';
}
export class LinkError extends Error {
  override readonly name = 'LinkError';
}
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
}

type BufferSourceLike = ArrayBuffer | ArrayBufferView;

function toBytes(src: BufferSourceLike): Uint8Array {
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  throw new TypeError('WebAssembly: expected an ArrayBuffer or a typed array of the module bytes');
}

/** Maps engine errors to the JS API error classes; the FaygerError is the `cause`. */
function rethrow(e: unknown): never {
  if (FaygerError.is(e)) {
    if (e.code === 'TRAP_HOST_ERROR' && e.cause !== undefined) throw e.cause; // JS exceptions pass through guest frames
    if (e.code === 'WASM_MALFORMED' || e.code === 'WASM_INVALID' || e.code === 'WASM_UNSUPPORTED_FEATURE')
      throw new CompileError(e.message, { cause: e });
    if (e.code === 'WASM_LINK_ERROR') throw new LinkError(e.message, { cause: e });
    if (e.code.startsWith('TRAP_')) throw new RuntimeError(e.message, { cause: e });
    if (e.code === 'WASM_BAD_VALUE' || e.code === 'INVALID_ARGUMENT') throw new TypeError(e.message, { cause: e });
  }
  throw e;
}

// ---- value conversions (JS API ToWebAssemblyValue / ToJSValue) -------------------------------------------

/** JS function → the engine function it calls, and the engine it belongs to. */
const FUNC_OF = new WeakMap<object, { f: FacadeFunction; engine: FacadeEngine }>();
const JS_OF = new WeakMap<FacadeFunction, (...args: unknown[]) => unknown>();
const MEMORY_OF = new WeakMap<WasmMemory, Memory>();
const TABLE_OF = new WeakMap<WasmTable, Table>();
const GLOBAL_OF = new WeakMap<WasmGlobal, Global>();

function toRaw(t: ValueType, v: unknown): RawValue {
  switch (t) {
    case 'i64':
      // The JS API's ToBigInt64: a number is a TypeError (BigInt of a string/bigint only).
      return BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(v as string));
    case 'funcref': {
      if (v === null) return null;
      const f = typeof v === 'function' ? FUNC_OF.get(v)?.f : undefined;
      if (f === undefined)
        throw new TypeError('WebAssembly: a funcref must be null or an exported WebAssembly function');
      return f;
    }
    default:
      return rawOfJS(t, v);
  }
}

function toJS(t: ValueType, v: RawValue): unknown {
  if (t !== 'funcref') return jsOfRaw(t, v);
  return v === null
    ? null
    : jsFunction(v as FacadeFunction, ENGINE_OF.get(v as FacadeFunction) ?? engineOf(v as FacadeFunction));
}

/** What V8 throws when a v128 would cross the JS boundary (the JS API has no JS value for it). */
function v128Error(): TypeError {
  return new TypeError(
    'WebAssembly: type incompatibility when transforming from/to JS (a v128 cannot cross the JS boundary)',
  );
}

const hasV128 = (t: FunctionType): boolean => t.params.includes('v128') || t.results.includes('v128');

/** Engine of each function object that reached JS (exports, funcrefs read from tables and globals). */
const ENGINE_OF = new WeakMap<FacadeFunction, FacadeEngine>();

function jsFunction(f: FacadeFunction, engine: FacadeEngine): (...args: unknown[]) => unknown {
  ENGINE_OF.set(f, engine);
  let js = JS_OF.get(f);
  if (js) return js;
  const { params, results } = f.type;
  const allI32 = params.every((p) => p === 'i32') && results.every((r) => r === 'i32');
  // As in V8: such an export exists (and passes wasm-to-wasm), but calling it from JS throws before any work.
  js = hasV128(f.type)
    ? function () {
        throw v128Error();
      }
    : allI32
      ? function (...args: unknown[]) {
          const raw: RawValue[] = new Array(params.length);
          for (let i = 0; i < params.length; i++) raw[i] = Number(args[i]) | 0;
          let out: RawValue[];
          try {
            out = engine.invokeFunction(f, raw);
          } catch (e) {
            rethrow(e);
          }
          return results.length === 0
            ? undefined
            : results.length === 1
              ? (out[0] as number) | 0
              : out.map((x) => (x as number) | 0);
        }
      : function (...args: unknown[]) {
          const raw: RawValue[] = new Array(params.length);
          for (let i = 0; i < params.length; i++) raw[i] = toRaw(params[i], args[i]);
          let out: RawValue[];
          try {
            out = engine.invokeFunction(f, raw);
          } catch (e) {
            rethrow(e);
          }
          if (results.length === 0) return undefined;
          if (results.length === 1) return toJS(results[0], out[0]);
          return results.map((t, i) => toJS(t, out[i]));
        };
  Object.defineProperty(js, 'length', { value: params.length });
  Object.defineProperty(js, 'name', { value: String(f.index) });
  FUNC_OF.set(js, { f, engine });
  JS_OF.set(f, js);
  return js;
}

function hostFromJS(engine: FacadeEngine, type: FunctionType, fn: (...args: unknown[]) => unknown): FacadeFunction {
  const { params, results } = type;
  if (hasV128(type)) {
    // Links, but a call from the guest throws a TypeError (through the guest frames) without running `fn`.
    return engine.hostFunction(type, () => {
      throw v128Error();
    });
  }
  return engine.hostFunction(type, (...raw: RawValue[]) => {
    const args = new Array(params.length);
    for (let i = 0; i < params.length; i++) args[i] = toJS(params[i], raw[i]);
    const r = fn(...args);
    if (results.length === 0) return undefined;
    if (results.length === 1) return toRaw(results[0], r);
    const it = [...(r as Iterable<unknown>)];
    if (it.length !== results.length)
      throw new TypeError(`WebAssembly: import returned ${it.length} values, expected ${results.length}`);
    return results.map((t, i) => toRaw(t, it[i]));
  });
}

// ---- Module ------------------------------------------------------------------------------------------

const MODULE = Symbol('fayger.module');
const ENGINE = Symbol('fayger.engine');

export class Module {
  /** @internal The engine that compiles modules of this class: each engine's facade subclass sets its own. */
  protected static engine: FacadeEngine | undefined;
  /** @internal */ readonly [MODULE]: FacadeModuleCode;
  /** @internal */ readonly [ENGINE]: FacadeEngine;

  constructor(bytes: BufferSourceLike) {
    const engine = (new.target as unknown as { engine: FacadeEngine | undefined }).engine;
    if (engine === undefined)
      throw new TypeError('WebAssembly.Module: use the Module of an engine facade (its subclass sets the engine)');
    this[ENGINE] = engine;
    try {
      this[MODULE] = engine.compileModule(toBytes(bytes).slice());
    } catch (e) {
      rethrow(e);
    }
  }

  static exports(m: Module): { name: string; kind: string }[] {
    return m[MODULE].exports.map((e) => ({ name: e.name, kind: e.kind }));
  }

  static imports(m: Module): { module: string; name: string; kind: string }[] {
    return m[MODULE].imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind }));
  }

  static customSections(m: Module, name: string): ArrayBuffer[] {
    return m[MODULE]
      .customSections(String(name))
      .map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
}

// ---- Instance ----------------------------------------------------------------------------------------

const INSTANCE = Symbol('fayger.instance');

function resolveImport(engine: FacadeEngine, imp: ImportDescriptor, v: unknown): unknown {
  switch (imp.kind) {
    case 'function': {
      if (typeof v !== 'function')
        throw new LinkError(`WebAssembly.Instance: import ${imp.module}.${imp.name} must be a function`);
      // An export of this engine links directly; one of another engine's facade is called as a JS function.
      const own = FUNC_OF.get(v);
      return own && own.engine === engine
        ? own.f
        : hostFromJS(engine, imp.type as FunctionType, v as (...a: unknown[]) => unknown);
    }
    case 'memory':
      if (!(v instanceof Memory))
        throw new LinkError(`WebAssembly.Instance: import ${imp.module}.${imp.name} must be a WebAssembly.Memory`);
      return v[INNER];
    case 'table':
      if (!(v instanceof Table))
        throw new LinkError(`WebAssembly.Instance: import ${imp.module}.${imp.name} must be a WebAssembly.Table`);
      return v[INNER];
    default: {
      const gt = imp.type as GlobalType;
      if (v instanceof Global) return v[INNER];
      if (gt.mutable)
        throw new LinkError(
          `WebAssembly.Instance: import ${imp.module}.${imp.name} must be a WebAssembly.Global (mutable)`,
        );
      if (gt.value === 'v128')
        throw new LinkError(
          `WebAssembly.Instance: import ${imp.module}.${imp.name}: a global import of type v128 must be a WebAssembly.Global`,
        );
      if (gt.value === 'i64' && typeof v !== 'bigint')
        throw new LinkError(`WebAssembly.Instance: import ${imp.module}.${imp.name} must be a BigInt`);
      if ((gt.value === 'i32' || gt.value === 'f32' || gt.value === 'f64') && typeof v !== 'number') {
        throw new LinkError(`WebAssembly.Instance: import ${imp.module}.${imp.name} must be a number`);
      }
      return createGlobal(gt, toRaw(gt.value, v));
    }
  }
}

function exportValue(engine: FacadeEngine, x: unknown): unknown {
  if (engine.isFunction(x)) return jsFunction(x, engine);
  if (x instanceof WasmMemory) return Memory.wrap(x);
  if (x instanceof WasmTable) return Table.wrap(x);
  return Global.wrap(x as WasmGlobal);
}

export class Instance {
  readonly exports: Record<string, unknown>;
  /** @internal */ readonly [INSTANCE]: { readonly exports: Readonly<Record<string, unknown>> };

  constructor(module: Module, importObject?: Record<string, Record<string, unknown>>) {
    if (!(module instanceof Module))
      throw new TypeError('WebAssembly.Instance: first argument must be a WebAssembly.Module');
    const m = module[MODULE];
    const engine = module[ENGINE];
    if (
      m.imports.length > 0 &&
      (importObject === undefined || importObject === null || typeof importObject !== 'object')
    ) {
      throw new TypeError('WebAssembly.Instance: imports argument must be present and must be an object');
    }
    const imports: Record<string, Record<string, unknown>> = {};
    for (const imp of m.imports) {
      const ns = importObject![imp.module];
      if (ns === undefined || ns === null || (typeof ns !== 'object' && typeof ns !== 'function')) {
        throw new TypeError(`WebAssembly.Instance: import module ${JSON.stringify(imp.module)} must be an object`);
      }
      (imports[imp.module] ??= {})[imp.name] = resolveImport(
        engine,
        imp as ImportDescriptor,
        (ns as Record<string, unknown>)[imp.name],
      );
    }
    let inst: { readonly exports: Readonly<Record<string, unknown>> };
    try {
      inst = engine.instantiateModule(m, imports);
    } catch (e) {
      rethrow(e);
    }
    this[INSTANCE] = inst;
    const exports: Record<string, unknown> = Object.create(null);
    for (const [name, x] of Object.entries(inst.exports)) exports[name] = exportValue(engine, x);
    this.exports = Object.freeze(exports);
  }
}

// ---- Memory / Table / Global -------------------------------------------------------------------------

const INNER = Symbol('fayger.inner');

export class Memory {
  /** @internal */ [INNER]!: WasmMemory;

  constructor(descriptor: { initial: number; maximum?: number }) {
    if (descriptor === undefined) return; // wrap() path
    const initial = Number(descriptor.initial);
    const maximum = descriptor.maximum === undefined ? undefined : Number(descriptor.maximum);
    if (!(initial >= 0 && initial <= 65536) || (maximum !== undefined && (maximum < initial || maximum > 65536))) {
      throw new RangeError('WebAssembly.Memory: invalid initial or maximum size');
    }
    this[INNER] = new WasmMemory(initial, maximum);
    MEMORY_OF.set(this[INNER], this);
  }

  /** @internal */
  static wrap(m: WasmMemory): Memory {
    let w = MEMORY_OF.get(m);
    if (!w) {
      w = new Memory(undefined as never);
      w[INNER] = m;
      MEMORY_OF.set(m, w);
    }
    return w;
  }

  get buffer(): ArrayBuffer {
    return this[INNER].buffer;
  }

  grow(delta: number): number {
    const r = this[INNER].grow(Number(delta) >>> 0);
    if (r < 0) throw new RangeError('WebAssembly.Memory.grow: failed to grow memory');
    return r;
  }
}

export class Table {
  /** @internal */ [INNER]!: WasmTable;
  private elementType!: ValueType;

  constructor(descriptor: { element: string; initial: number; maximum?: number }, value?: unknown) {
    if (descriptor === undefined) return;
    const element = descriptor.element === 'anyfunc' ? 'funcref' : descriptor.element;
    if (element !== 'funcref' && element !== 'externref')
      throw new TypeError('WebAssembly.Table: element must be funcref or externref');
    this.elementType = element;
    const init = value === undefined ? (element === 'externref' ? undefined : null) : toRaw(element, value);
    const type: TableType =
      descriptor.maximum === undefined
        ? { element, initial: Number(descriptor.initial) }
        : { element, initial: Number(descriptor.initial), maximum: Number(descriptor.maximum) };
    this[INNER] = new WasmTable(element === 'funcref' ? 0x70 : 0x6f, type.initial, type.maximum, init);
    TABLE_OF.set(this[INNER], this);
  }

  /** @internal */
  static wrap(t: WasmTable): Table {
    let w = TABLE_OF.get(t);
    if (!w) {
      w = new Table(undefined as never);
      w[INNER] = t;
      w.elementType = t.elemType === 0x70 ? 'funcref' : 'externref';
      TABLE_OF.set(t, w);
    }
    return w;
  }

  get length(): number {
    return this[INNER].size;
  }

  get(index: number): unknown {
    const i = Number(index) >>> 0;
    if (i >= this[INNER].size) throw new RangeError('WebAssembly.Table.get: index out of bounds');
    return toJS(this.elementType, this[INNER].elements[i]);
  }

  set(index: number, value?: unknown): void {
    const i = Number(index) >>> 0;
    if (i >= this[INNER].size) throw new RangeError('WebAssembly.Table.set: index out of bounds');
    this[INNER].elements[i] =
      value === undefined && this.elementType === 'funcref' ? null : toRaw(this.elementType, value);
  }

  grow(delta: number, value?: unknown): number {
    const init =
      value === undefined ? (this.elementType === 'funcref' ? null : undefined) : toRaw(this.elementType, value);
    const r = this[INNER].grow(Number(delta) >>> 0, init);
    if (r < 0) throw new RangeError('WebAssembly.Table.grow: failed to grow table');
    return r;
  }
}

export class Global {
  /** @internal */ [INNER]!: WasmGlobal;
  private valueType!: ValueType;

  constructor(descriptor: { value: string; mutable?: boolean }, value?: unknown) {
    if (descriptor === undefined) return;
    const t = (descriptor.value === 'anyfunc' ? 'funcref' : descriptor.value) as ValueType;
    if (!['i32', 'i64', 'f32', 'f64', 'funcref', 'externref'].includes(t))
      throw new TypeError('WebAssembly.Global: invalid value type');
    this.valueType = t;
    const v =
      value === undefined ? (t === 'i64' ? 0n : t === 'funcref' ? null : t === 'externref' ? undefined : 0) : value;
    this[INNER] = createGlobal({ value: t, mutable: Boolean(descriptor.mutable) }, toRaw(t, v));
    GLOBAL_OF.set(this[INNER], this);
  }

  /** @internal */
  static wrap(g: WasmGlobal): Global {
    let w = GLOBAL_OF.get(g);
    if (!w) {
      w = new Global(undefined as never);
      w[INNER] = g;
      const names: Record<number, ValueType> = {
        0x7f: 'i32',
        0x7e: 'i64',
        0x7d: 'f32',
        0x7c: 'f64',
        0x7b: 'v128',
        0x70: 'funcref',
        0x6f: 'externref',
      };
      w.valueType = names[g.valueType];
      GLOBAL_OF.set(g, w);
    }
    return w;
  }

  get value(): unknown {
    if (this.valueType === 'v128')
      throw new TypeError("WebAssembly.Global: can't get the value of a v128 global from JS");
    return toJS(this.valueType, getGlobalValue(this[INNER]));
  }

  set value(v: unknown) {
    if (this.valueType === 'v128')
      throw new TypeError("WebAssembly.Global: can't set the value of a v128 global from JS");
    if (!this[INNER].mutable) throw new TypeError('WebAssembly.Global: cannot set an immutable global');
    setGlobalValue(this[INNER], toRaw(this.valueType, v));
  }

  valueOf(): unknown {
    return this.value;
  }
}

// ---- namespace functions -----------------------------------------------------------------------------

type ImportObject = Record<string, Record<string, unknown>>;
type ResponseLike = { arrayBuffer(): Promise<ArrayBuffer> };

/** The namespace functions of a facade whose modules are `ModuleClass` (validate, compile, instantiate…). */
export function facadeFunctions<M extends Module>(
  engine: FacadeEngine,
  ModuleClass: new (bytes: BufferSourceLike) => M,
) {
  ENGINES.add(engine);
  function instantiate(module: M, importObject?: ImportObject): Promise<Instance>;
  function instantiate(
    bytes: BufferSourceLike,
    importObject?: ImportObject,
  ): Promise<{ module: M; instance: Instance }>;
  function instantiate(
    source: M | BufferSourceLike,
    importObject?: ImportObject,
  ): Promise<Instance | { module: M; instance: Instance }> {
    return new Promise((resolve) => {
      if (source instanceof Module) resolve(new Instance(source, importObject));
      else {
        const module = new ModuleClass(source);
        resolve({ module, instance: new Instance(module, importObject) });
      }
    });
  }
  return {
    validate(bytes: BufferSourceLike): boolean {
      return engine.validateModule(toBytes(bytes));
    },
    compile(bytes: BufferSourceLike): Promise<M> {
      return new Promise((resolve) => resolve(new ModuleClass(bytes)));
    },
    instantiate,
    /** Streaming variants accept a Response (or a promise of one) where the host has fetch. */
    async compileStreaming(source: PromiseLike<ResponseLike> | ResponseLike): Promise<M> {
      const res = await source;
      return new ModuleClass(await res.arrayBuffer());
    },
    async instantiateStreaming(
      source: PromiseLike<ResponseLike> | ResponseLike,
      importObject?: ImportObject,
    ): Promise<{ module: M; instance: Instance }> {
      const res = await source;
      const module = new ModuleClass(await res.arrayBuffer());
      return { module, instance: new Instance(module, importObject) };
    },
  };
}

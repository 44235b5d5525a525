import { FaygerError } from '@fayger/contracts';
import {
  EXTERNREF,
  F32,
  F64,
  FUNCREF,
  I32,
  I64,
  SEG_ACTIVE,
  SEG_PASSIVE,
  SIMD_BASE,
  V128,
  WasmGlobal,
  WasmMemory,
  WasmTable,
  badValue,
  decode,
  publicFuncType,
  sigId,
  trap,
  typeCode,
  validate,
} from '@fayger/wasm';
import type { ConstExprIR, FuncTypeIR, ModuleIR } from '@fayger/wasm';
import {
  emitModule,
  emitPlainVariants,
  layoutOf,
  type EmittedModule,
  type ModuleLayout,
  type ReentryRequest,
} from './emit.js';
import { CAPTURE_SIGNAL, EMPTY, FuelOut, H, captured, type FrameRecord, type Vec } from './helpers.js';

/**
 * Raw values cross the native API as in @fayger/interpreter: i32/f32 as (bit pattern) numbers, i64/f64 as bigints,
 * v128 as a Uint8Array of 16 bytes (the vector's memory image, lane 0 first).
 */
export type RawValue = unknown;
export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';
export interface FunctionType {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}
export type HostFunctionImpl = (...args: RawValue[]) => unknown;

export const UNLIMITED_FUEL = Number.MAX_SAFE_INTEGER;
export const DEFAULT_MAX_CALL_DEPTH = 10_000;

export interface FuelAccount {
  remaining: number;
  used: number;
  callDepth: number;
  maxCallDepthReached: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsFn = (...args: any[]) => any;
type GenFn = (...args: unknown[]) => Generator<unknown, unknown, unknown>;

/** The code of one instance: what the module factory returns. */
export interface InstanceCode {
  readonly f: JsFn[];
  readonly g: GenFn[];
  /** Resumable plain forms (null for the functions with a generator body): they return KP at a slice end. */
  readonly p: (JsFn | null)[];
  /** Evaluates emitter-made variant source in this code's closure (see emitPlainVariants). */
  X(source: string): unknown;
  /** Re-entry variants (snapshots): [function index, site position, generator function (NX, V)]. */
  readonly r: [number, number, (nx: unknown, v: unknown[]) => Generator<unknown, unknown, unknown>][];
  RF(): void;
  getF(): number;
  setF(v: number): void;
  getD(): number;
  setD(v: number): void;
  getG(i: number): unknown;
  setG(i: number, v: unknown): void;
  /** Re-entry variants compiled into this code so far, plain and generator ones, by site (see variantsFor). */
  pv?: Map<number, JsFn>;
  gv?: Map<number, JsFn>;
}

/**
 * The code whose fuel and depth counters the running call uses (the innermost instance entered): the drivers
 * set and read the budget there. Null between calls.
 */
let current: InstanceCode | null = null;

/** Per-instance state the runtime keeps beside the generated code. */
export interface InstanceState {
  code: InstanceCode;
  fuel: FuelAccount;
  maxCallDepth: number;
  terminated: boolean;
  memory: WasmMemory | null;
  tables: WasmTable[];
  /** Global cells (imported and exported); null for globals the code keeps in closure variables. */
  globals: (WasmGlobal | null)[];
  funcs: TFunction[];
  /** Depth of synchronous entries into this instance in progress (re-entrant host → guest calls). */
  active: number;
  /** What the code factory was given (shared by a code that replaces it, see {@link swapCode}). */
  rt: Record<string, unknown>;
  module: CompiledModule;
  /** Per imported function: may it await? (decides which functions have generator bodies, see emitModule). */
  importAwaits: readonly boolean[];
  /** The emitted code the instance runs (the module's own, or the one for its synchronous imports). */
  emitted: EmittedModule;
}

/** A function instance (transpiled or host). Also the funcref value. */
export class TFunction {
  readonly sig: number;
  readonly type: FunctionType;
  readonly irType: FuncTypeIR;
  /** Internal-representation entry points: plain and resumable. */
  js: JsFn = () => undefined;
  // biome-ignore lint/correctness/useYield: the placeholder resumable entry; replaced by the generated one
  gen: GenFn = function* () {
    return undefined;
  };
  /** The raw generated functions (no memory-view refresh), for top-level entry. */
  raw: JsFn | null = null;
  rawGen: GenFn | null = null;
  /**
   * The resumable plain entry (call_indirect from plain resumable code, which only reaches functions that cannot
   * await): returns KP when a fuel slice ends inside. A host function's is its plain call.
   */
  pr: JsFn = notPlain;
  host: HostFunctionImpl | null = null;
  /** A host function declared synchronous (never returns a Promise): callers need no resumable form for it. */
  sync = false;
  inst: InstanceState | null = null;
  index = -1;
  entryCost = 0;

  constructor(irType: FuncTypeIR) {
    this.irType = irType;
    this.sig = sigId(irType);
    this.type = publicFuncType(irType) as FunctionType;
  }

  get kind(): 'function' {
    return 'function';
  }
}

function notPlain(): never {
  throw new FaygerError({
    code: 'INTERNAL',
    phase: 'execute',
    message: 'a function that may await was reached from code compiled as synchronous',
  });
}

const f64b = new Float64Array(1);
const i64b = new BigInt64Array(f64b.buffer);
const u64b = new BigUint64Array(f64b.buffer);

/** Raw (API) value → the generated code's representation. */
export function fromRaw(t: number, v: RawValue): unknown {
  switch (t) {
    case I32:
      if (typeof v !== 'number') badValue(t, v);
      return (v as number) | 0;
    case F32:
      if (typeof v !== 'number') badValue(t, v);
      return H.h_fi32(v as number);
    case I64:
      if (typeof v !== 'bigint') badValue(t, v);
      return BigInt.asIntN(64, v as bigint);
    case F64:
      if (typeof v !== 'bigint') badValue(t, v);
      i64b[0] = BigInt.asIntN(64, v as bigint);
      return f64b[0];
    case V128: {
      if (!(v instanceof Uint8Array) || v.length !== 16) badValue(t, v);
      const u = v as Uint8Array;
      const w = (i: number) => u[4 * i] | (u[4 * i + 1] << 8) | (u[4 * i + 2] << 16) | (u[4 * i + 3] << 24);
      return H.V4(w(0), w(1), w(2), w(3));
    }
    case FUNCREF:
      if (v !== null && !(v instanceof TFunction)) badValue(t, v);
      return v;
    default:
      return v === undefined ? null : v;
  }
}

/** The generated code's representation → raw (API) value. */
export function toRaw(t: number, x: unknown): RawValue {
  switch (t) {
    case I32:
      return (x as number) >>> 0;
    case F32:
      return H.h_i32f(x as number) >>> 0;
    case I64:
      return BigInt.asUintN(64, x as bigint);
    case F64:
      f64b[0] = x as number;
      return u64b[0];
    case V128: {
      const w = x as Vec;
      const u = new Uint8Array(16);
      for (let i = 0; i < 4; i++) {
        u[4 * i] = w[i];
        u[4 * i + 1] = w[i] >>> 8;
        u[4 * i + 2] = w[i] >>> 16;
        u[4 * i + 3] = w[i] >>> 24;
      }
      return u;
    }
    default:
      return x;
  }
}

function isThenable(r: unknown): r is PromiseLike<unknown> {
  return r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function';
}

function hostResults(f: TFunction, r: unknown): unknown {
  const rs = f.irType.results;
  try {
    if (rs.length === 0) return undefined;
    if (rs.length === 1) return fromRaw(rs[0], r);
    if (!Array.isArray(r) || r.length !== rs.length)
      throw new TypeError(`host function must return an array of ${rs.length} values`);
    return generic(rs.length, (i) => fromRaw(rs[i], (r as unknown[])[i]));
  } catch (e) {
    throw trap('TRAP_HOST_ERROR', { import: f.index }, e);
  }
}

export interface HostFunctionOptions {
  /**
   * The function never returns a Promise. Then the guest functions that reach async imports only through it
   * run as plain functions on the resumable path (no generator body); a Promise it returns anyway traps the
   * call with WASM_EXECUTION_STATE. Default false: any import may await.
   */
  readonly sync?: boolean;
}

/** Wraps a host function as an importable TFunction. It receives and returns raw values. */
export function hostFunction(type: FunctionType, impl: HostFunctionImpl, options: HostFunctionOptions = {}): TFunction {
  const f = new TFunction({ params: type.params.map(typeCode), results: type.results.map(typeCode) });
  f.host = impl;
  f.sync = options.sync === true;
  const ps = f.irType.params;
  const callHost = (args: unknown[]): unknown => {
    const raw = new Array<unknown>(ps.length);
    for (let i = 0; i < ps.length; i++) raw[i] = toRaw(ps[i], args[i]);
    try {
      return impl(...raw);
    } catch (e) {
      throw trap('TRAP_HOST_ERROR', { import: f.index }, e);
    }
  };
  f.js = (...args: unknown[]) => {
    const r = callHost(args);
    if (isThenable(r)) {
      throw new FaygerError({
        code: 'WASM_EXECUTION_STATE',
        phase: 'execute',
        what: 'calling a guest function synchronously',
        expected: 'every host import to return a value',
        found: 'a host import returned a Promise',
        hint: 'Use instance.call(name, args).run() and resume after the promise settles.',
      });
    }
    return hostResults(f, r);
  };
  f.pr = f.js;
  f.gen = function* (...args: unknown[]) {
    let r = callHost(args);
    if (isThenable(r)) {
      const s = (yield r) as { ok: boolean; value: unknown };
      if (s === CAPTURE_SIGNAL) {
        // A capture (snapshot): the call waits on this host function with these arguments.
        captured.push({ func: -1, pos: -1, locals: EMPTY, stack: EMPTY, args, fn: f });
        return CAPTURE_SIGNAL;
      }
      if (!s.ok) throw trap('TRAP_HOST_ERROR', { import: f.index }, s.value);
      r = s.value;
    }
    return hostResults(f, r);
  };
  return f;
}

/** Compiles generated source into a factory; a host that forbids code generation gets a typed refusal. */
function makeFactory(source: string): (rt: unknown) => InstanceCode {
  try {
    // Looked up at each compile: a host (or a test) that swaps in a refusing Function is honoured.
    const Fn = (globalThis as { Function: FunctionConstructor }).Function;
    return new Fn('rt', source) as (rt: unknown) => InstanceCode;
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new FaygerError({
        code: 'INTERNAL',
        phase: 'decode',
        message: `the transpiler generated invalid JavaScript: ${e.message}`,
        cause: e,
      });
    }
    throw codegenRefused(e);
  }
}

export function codegenRefused(cause: unknown): FaygerError {
  return new FaygerError({
    code: 'WASM_UNSUPPORTED_FEATURE',
    phase: 'decode',
    what: 'compiling WebAssembly to JavaScript',
    expected: 'a host that allows new Function (no CSP without unsafe-eval)',
    found: `code generation refused (${cause instanceof Error ? cause.message : String(cause)})`,
    hint: 'Use the interpreter (@fayger/interpreter), which needs no code generation.',
    details: { feature: 'dynamic code generation', refused: true },
    cause,
  });
}

/** Can this host run generated code? (false under CSP without unsafe-eval). */
export function canGenerateCode(): boolean {
  try {
    const Fn = (globalThis as { Function: FunctionConstructor }).Function;
    return (new Fn('return 1') as () => number)() === 1;
  } catch {
    return false;
  }
}

export interface CompiledModule {
  readonly ir: ModuleIR;
  readonly layout: ModuleLayout;
  readonly emitted: EmittedModule;
  readonly factory: (rt: unknown) => InstanceCode;
  /** NaN constants built from their bits. */
  readonly K: Float64Array;
  /** The module's code for instances some of whose imports are synchronous, by which imports may await. */
  readonly codes: Map<
    string,
    { readonly emitted: EmittedModule; readonly factory: (rt: unknown) => InstanceCode; readonly K: Float64Array }
  >;
  /** Module codes with re-entry variants (snapshots), by the sites they resume at. */
  readonly variants: Map<
    string,
    { readonly emitted: EmittedModule; readonly factory: (rt: unknown) => InstanceCode; readonly K: Float64Array }
  >;
}

/** Decodes (unless given the module already decoded from these bytes), validates and emits. */
export function compileIR(bytes: Uint8Array, decoded?: ModuleIR): CompiledModule {
  // The emitter compiles every body up front: keep the streams decode() produces rather than decode each again.
  const ir = decoded ?? decode(bytes, { keepBodies: true });
  validate(ir);
  const emitted = emitModule(ir);
  const factory = makeFactory(emitted.source);
  return { ir, layout: layoutOf(ir), emitted, factory, K: constants(emitted), codes: new Map(), variants: new Map() };
}

/** Per imported function of `imports` (linked TFunctions): may it await? Other instances' functions may. */
export function importAwaitsOf(funcs: readonly TFunction[]): boolean[] {
  return funcs.map((f) => f.inst !== null || !f.sync);
}

const maskKey = (awaits: readonly boolean[]) => awaits.map((a) => (a ? 1 : 0)).join('');

/** The module's code for instances whose imports may await as `awaits` says (emitted once per mask). */
export function codeFor(
  mod: CompiledModule,
  awaits: readonly boolean[],
): { readonly emitted: EmittedModule; readonly factory: (rt: unknown) => InstanceCode; readonly K: Float64Array } {
  if (awaits.every((a) => a)) return mod;
  const key = maskKey(awaits);
  let c = mod.codes.get(key);
  if (c === undefined) {
    const emitted = emitModule(mod.ir, [], { awaits });
    c = { emitted, factory: makeFactory(emitted.source), K: constants(emitted) };
    if (mod.codes.size >= 8) mod.codes.clear();
    mod.codes.set(key, c);
  }
  return c;
}

/**
 * The module's code with re-entry variants for these sites (compiled once per set of sites, by the same safe
 * emitter: the requests are numbers the runtime validated against the module's own site tables).
 */
export function codeWithVariants(
  mod: CompiledModule,
  requests: readonly ReentryRequest[],
  awaits?: readonly boolean[],
): { readonly emitted: EmittedModule; readonly factory: (rt: unknown) => InstanceCode; readonly K: Float64Array } {
  const all = awaits ?? new Array<boolean>(mod.layout.nImportedFuncs).fill(true);
  if (requests.length === 0) return codeFor(mod, all);
  const uniq = [...new Map(requests.map((r) => [`${r.func}:${r.pos}`, r])).values()].sort(
    (a, b) => a.func - b.func || a.pos - b.pos,
  );
  const key = `${maskKey(all)}/${uniq.map((r) => `${r.func}:${r.pos}`).join(',')}`;
  let v = mod.variants.get(key);
  if (v === undefined) {
    const emitted = emitModule(mod.ir, uniq, { awaits: all });
    v = { emitted, factory: makeFactory(emitted.source), K: constants(emitted) };
    if (mod.variants.size >= 8) mod.variants.clear();
    mod.variants.set(key, v);
  }
  return v;
}

function constants(emitted: EmittedModule): Float64Array {
  // A Float64Array: V8 quiets signalling NaNs stored into plain arrays of doubles, never into typed arrays.
  const K = new Float64Array(emitted.consts.length / 3);
  const dv = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < emitted.consts.length; i += 3) {
    if (emitted.consts[i] === 1) {
      dv.setInt32(0, emitted.consts[i + 2]);
      dv.setInt32(4, emitted.consts[i + 1]);
      K[i / 3] = dv.getFloat64(0);
    } else {
      K[i / 3] = H.h_fi32(emitted.consts[i + 1]);
    }
  }
  return K;
}

export type Extern = TFunction | WasmTable | WasmMemory | WasmGlobal;
export type Imports = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface LinkOptions {
  maxMemoryPages: number;
  maxCallDepth: number;
  maxTableElements: number;
  geometricMemory: boolean;
  fuel: FuelAccount;
  /** Code to run instead of the module's own (a restore: the same module with re-entry variants). */
  code?: { readonly emitted: EmittedModule; readonly factory: (rt: unknown) => InstanceCode; readonly K: Float64Array };
}

function linkError(message: string, details: Record<string, unknown>): never {
  throw new FaygerError({
    code: 'WASM_LINK_ERROR',
    phase: 'instantiate',
    message: `linking the module failed: ${message}`,
    details,
  });
}

function limitsMatch(size: number, max: number | undefined, wantMin: number, wantMax: number | undefined): boolean {
  if (size < wantMin) return false;
  if (wantMax === undefined) return true;
  return max !== undefined && max <= wantMax;
}

/** Links imports, builds the instance and runs its segment initialisers (not the start function). */
export function link(
  mod: CompiledModule,
  imports: Imports,
  opts: LinkOptions,
): { state: InstanceState; exports: Map<string, Extern> } {
  const ir = mod.ir;
  const L = mod.layout;
  const funcs: TFunction[] = [];
  const tables: WasmTable[] = [];
  const cells: (WasmGlobal | null)[] = [];
  const values: unknown[] = [];
  let memory: WasmMemory | null = null;
  const budget = { limit: opts.maxTableElements, used: 0, refused: 0 };
  let declared = 0;
  for (const t of ir.tables) declared += t.min;
  if (declared > opts.maxTableElements) {
    throw new FaygerError({
      code: 'WASM_LINK_ERROR',
      phase: 'instantiate',
      what: `allocating ${ir.tables.length} table(s)`,
      expected: `at most ${opts.maxTableElements} table elements in all (the instance limit)`,
      found: `${declared} declared`,
      hint: 'Raise maxTableElements (the tableElements quota) or use a module with smaller tables.',
      details: { limit: 'tableElements', requested: declared, max: opts.maxTableElements },
    });
  }
  budget.used = declared;
  for (const imp of ir.imports) {
    const v = (imports[imp.module] as Record<string, unknown> | undefined)?.[imp.name];
    const where = { module: imp.module, name: imp.name };
    const what = `import ${JSON.stringify(imp.module)}.${JSON.stringify(imp.name)}`;
    if (v === undefined) linkError(`unknown import: ${what} was not provided`, where);
    switch (imp.kind) {
      case 0:
        if (!(v instanceof TFunction)) linkError(`incompatible import type: ${what} must be a function`, where);
        if (v.sig !== sigId(ir.types[imp.type]))
          linkError(`incompatible import type: ${what} has a different function signature`, where);
        funcs.push(v);
        break;
      case 1:
        if (!(v instanceof WasmTable)) linkError(`incompatible import type: ${what} must be a table`, where);
        if (v.elemType !== imp.table.elem)
          linkError(`incompatible import type: ${what} has a different element type`, where);
        if (!limitsMatch(v.size, v.maximum, imp.table.min, imp.table.max))
          linkError(`incompatible import type: ${what} table limits do not match`, where);
        tables.push(v);
        break;
      case 2:
        if (!(v instanceof WasmMemory)) linkError(`incompatible import type: ${what} must be a memory`, where);
        if (!limitsMatch(v.pages, v.maximum, imp.memory.min, imp.memory.max))
          linkError(`incompatible import type: ${what} memory limits do not match`, where);
        memory = v;
        break;
      case 3:
        if (!(v instanceof WasmGlobal)) linkError(`incompatible import type: ${what} must be a global`, where);
        if (v.valueType !== imp.global.type || v.mutable !== imp.global.mutable)
          linkError(`incompatible import type: ${what} has a different global type`, where);
        cells.push(v);
        values.push(undefined);
        break;
    }
  }
  const imported = funcs.slice();
  const importAwaits = importAwaitsOf(imported);
  const use = opts.code ?? codeFor(mod, importAwaits);
  const state: InstanceState = {
    code: null as unknown as InstanceCode,
    fuel: opts.fuel,
    maxCallDepth: opts.maxCallDepth,
    terminated: false,
    memory: null,
    tables,
    globals: cells,
    funcs,
    active: 0,
    rt: {},
    module: mod,
    importAwaits,
    emitted: use.emitted,
  };
  for (let i = 0; i < ir.funcs.length; i++) {
    const f = new TFunction(ir.types[ir.funcs[i]]);
    f.inst = state;
    f.index = imported.length + i;
    f.entryCost = mod.emitted.entryCosts[i];
    funcs.push(f);
  }
  for (const t of ir.tables) {
    const table = new WasmTable(t.elem, t.min, t.max);
    if (Number.isFinite(opts.maxTableElements)) table.budget = budget;
    tables.push(table);
  }
  for (const m of ir.memories) memory = new WasmMemory(m.min, m.max, opts.maxMemoryPages, opts.geometricMemory);
  state.memory = memory;
  // Globals: internal values, evaluated in order (an initialiser may read an imported global).
  const nImportedGlobals = cells.length;
  const readGlobal = (g: number): unknown => (g < nImportedGlobals ? cellValue(cells[g]!) : values[g]);
  const evalConst = (e: ConstExprIR): unknown => {
    const c = e.code;
    switch (c[0]) {
      case 0x41:
        return c[1] | 0;
      case 0x42:
        return BigInt.asIntN(64, (BigInt(c[2]) << 32n) | BigInt(c[1] >>> 0));
      case 0x43:
        return H.h_fi32(c[1]);
      case 0x44: {
        const w = new Int32Array([c[1], c[2]]);
        return new Float64Array(w.buffer)[0];
      }
      case 0xd0:
        return null;
      case 0xd2:
        return funcs[c[1]];
      case SIMD_BASE + 0x0c:
        return H.V4(c[1], c[2], c[3], c[4]);
      case 0x23:
        return readGlobal(c[1]);
      default:
        throw new FaygerError({
          code: 'INTERNAL',
          phase: 'instantiate',
          message: `unexpected constant expression opcode ${c[0]}`,
        });
    }
  };
  for (let i = 0; i < ir.globals.length; i++) {
    const g = nImportedGlobals + i;
    const x = evalConst(ir.globals[i].init);
    values[g] = x;
    if (L.closureGlobals[g]) {
      cells.push(null);
    } else {
      const cell = new WasmGlobal(L.globalTypes[g], ir.globals[i].type.mutable);
      setCell(cell, x);
      cells.push(cell);
    }
  }
  const elems: (readonly unknown[])[] = ir.elems.map((e) => (e.mode === SEG_PASSIVE ? e.init.map(evalConst) : EMPTY));
  const datas: (Uint8Array | null)[] = ir.datas.map((d) => (d.mode === SEG_PASSIVE ? d.bytes : null));
  state.rt = {
    H,
    M: memory,
    T: tables,
    GC: cells,
    GV: values,
    FN: funcs,
    IMP: imported,
    DS: datas,
    ES: elems,
    maxDepth: opts.maxCallDepth,
    K: use.K,
    RP: plainResume(state),
  };
  bindCode(state, use.factory(state.rt));
  state.code.setF(opts.fuel.remaining);
  const exports = new Map<string, Extern>();
  for (const ex of ir.exports) {
    exports.set(
      ex.name,
      ex.kind === 0 ? funcs[ex.index] : ex.kind === 1 ? tables[ex.index] : ex.kind === 2 ? memory! : cells[ex.index]!,
    );
  }
  try {
    for (const e of ir.elems) {
      if (e.mode !== SEG_ACTIVE) continue;
      const off = (evalConst(e.offset!) as number) >>> 0;
      const vals = e.init.map(evalConst);
      const t = tables[e.table];
      if (off + vals.length > t.elements.length)
        throw trap('TRAP_TABLE_OUT_OF_BOUNDS', { offset: off, length: vals.length });
      for (let k = 0; k < vals.length; k++) t.elements[off + k] = vals[k];
    }
    for (const d of ir.datas) {
      if (d.mode !== SEG_ACTIVE) continue;
      const off = (evalConst(d.offset!) as number) >>> 0;
      if (off + d.bytes.length > memory!.u8.length)
        throw trap('TRAP_MEMORY_OUT_OF_BOUNDS', { offset: off, length: d.bytes.length });
      memory!.u8.set(d.bytes, off);
    }
  } catch (e) {
    if (FaygerError.is(e)) {
      throw new FaygerError({
        code: e.code,
        phase: 'instantiate',
        message: `instantiating the module failed: ${e.message}`,
        details: e.details,
      });
    }
    throw e;
  }
  return { state, exports };
}

/**
 * Points the instance's function objects at `code` (their plain and resumable entries). Function objects are the
 * funcref values in tables and the exports, so they stay the same objects when a code replaces another.
 */
function bindCode(state: InstanceState, code: InstanceCode): void {
  state.code = code;
  const n = state.module.layout.nImportedFuncs;
  for (let i = 0; i < code.f.length; i++) {
    const f = state.funcs[n + i];
    const raw = code.f[i];
    const rawGen = code.g[i];
    f.raw = raw;
    f.rawGen = rawGen;
    f.pr = code.p[i] ?? notPlain;
    // Entered from another instance's code (import, table): the running call's fuel and depth move into this
    // instance's counters for the duration and back after, so a call spanning instances has one budget.
    f.js = (...a: unknown[]) => {
      code.RF();
      const prev = current;
      if (prev === code || prev === null) return raw(...a);
      code.setF(prev.getF());
      code.setD(prev.getD());
      current = code;
      try {
        return raw(...a);
      } finally {
        prev.setF(code.getF());
        prev.setD(code.getD());
        current = prev;
      }
    };
    f.gen = function* (...a: unknown[]) {
      code.RF();
      const prev = current;
      if (prev === code || prev === null) return yield* rawGen(...a);
      code.setF(prev.getF());
      code.setD(prev.getD());
      current = code;
      try {
        return yield* rawGen(...a);
      } finally {
        prev.setF(code.getF());
        prev.setD(code.getD());
        current = prev;
      }
    };
  }
}

/**
 * Replaces an instance's code by the same module's code with re-entry variants for `requests` (after a capture
 * destroyed its generators, or before a restore). Everything the code shares with the runtime (memory, tables,
 * global cells, segments, function objects) is the same; the closure-held globals are copied over.
 */
export function swapCode(state: InstanceState, requests: readonly ReentryRequest[]): InstanceCode {
  const use = codeWithVariants(state.module, requests, state.importAwaits);
  state.emitted = use.emitted;
  const old = state.code;
  state.rt = { ...state.rt, K: use.K };
  const code = use.factory(state.rt);
  const L = state.module.layout;
  for (let g = 0; g < L.closureGlobals.length; g++) if (L.closureGlobals[g]) code.setG(g, old.getG(g));
  bindCode(state, code);
  return code;
}

/** A frame to re-enter: function index, wasm position, locals, operand values (as SiteMeta describes them). */
export interface PlainFrame {
  readonly func: number;
  readonly pos: number;
  readonly locals: readonly unknown[];
  readonly stack: readonly unknown[];
}

const siteKey = (func: number, pos: number) => func * 4294967296 + pos;

/**
 * Re-entry variants for these sites in the instance's current code: plain ones `u<f>_<pos>` (or, `gen`, the
 * generator ones `r<f>_<pos>`) — those the code was emitted with (a restore), else compiled into its closure on
 * first use (the code's `X`) and kept per code, all missing ones of a stop in one evaluation. The module is never
 * compiled again for a slice end.
 */
function variantsFor(state: InstanceState, sites: readonly PlainFrame[], gen: boolean): Map<number, JsFn> {
  const code = state.code;
  let pv = gen ? code.gv : code.pv;
  if (pv === undefined) {
    pv = new Map();
    for (const [f, pos, fn] of code.r) {
      if (state.emitted.awaits[f] === gen) pv.set(siteKey(f, pos), fn as unknown as JsFn);
    }
    if (gen) code.gv = pv;
    else code.pv = pv;
  }
  let missing: ReentryRequest[] | null = null;
  for (const f of sites) {
    if (f.pos > 0 && !pv.has(siteKey(f.func, f.pos))) (missing ??= []).push({ func: f.func, pos: f.pos });
  }
  if (missing !== null) {
    const uniq = [...new Map(missing.map((r) => [siteKey(r.func, r.pos), r])).values()];
    const made = code.X(emitPlainVariants(state.emitted.ctx, uniq, gen)) as [number, number, JsFn][];
    for (const [f, pos, fn] of made) pv.set(siteKey(f, pos), fn);
  }
  return pv;
}

/** A frame's entry (position 0): the function's resumable plain form, called with its parameters. */
function entryOf(state: InstanceState, f: PlainFrame): [JsFn, null, unknown[]] {
  const i = f.func - state.module.layout.nImportedFuncs;
  const p = state.code.p[i]!;
  return [(_: unknown, params: unknown[]) => p(...params), null, f.locals.slice(0, state.emitted.frames[i].nParams)];
}

/**
 * Continues stopped plain frames, given innermost first (the innermost at a fuel point, or a function's entry):
 * each frame's variant skips to its call and continues it with the inner frame's — passed as `NX`, a triple
 * [variant, its NX, its values], so a re-entered frame is one JS frame — and the innermost re-runs its fuel
 * point. The function returned runs the chain: the outermost frame's result, or KP if a slice ends again.
 */
export function plainChain(state: InstanceState, inner: readonly PlainFrame[]): () => unknown {
  const vs = variantsFor(state, inner, false);
  let nx: [JsFn, unknown, unknown[]] | null = null;
  for (const f of inner) {
    nx = f.pos === 0 ? entryOf(state, f) : [vs.get(siteKey(f.func, f.pos))!, nx, [...f.locals, ...f.stack]];
  }
  const top = nx!;
  return () => top[0](top[1], top[2]);
}

/** Capture records of a plain stop (innermost first; a stop before a leaf gets the leaf's frame at its entry). */
function recordFrames(state: InstanceState, recs: readonly FrameRecord[]): readonly PlainFrame[] {
  const top = recs[0];
  const site = state.emitted.frames[top.func - state.module.layout.nImportedFuncs].sites.get(top.pos)!;
  return site.kind === 1 ? [{ func: site.callee, pos: 0, locals: top.args, stack: EMPTY }, ...recs] : recs;
}

/**
 * Plain frames a re-entry keeps plain; the ones below them are re-entered as generator frames (each function
 * has a generator form for re-entry, emitted on first use). A slice end unwinds only plain frames, so this bounds
 * what each slice end costs: deep recursion in plain code is unwound and rebuilt once, not at every slice end.
 */
const PLAIN_REENTRY_DEPTH = 16;

/**
 * `RP` of the generated code: a generator frame (or the generator entry of a plain function) whose plain callee
 * returned KP — a fuel slice ended inside plain code, whose frames left their records — yields the cost of the
 * stopped segment, like a generator's own fuel point, and on the next run re-enters those frames. A capture
 * (snapshot) resuming it puts the records back (they are the innermost frames) and returns KP.
 */
function plainResume(state: InstanceState): () => Generator<unknown, unknown, unknown> {
  return function* RP() {
    let recs = captured.splice(0);
    for (;;) {
      if (recs.length === 0) throw new FaygerError({ code: 'INTERNAL', phase: 'execute', message: 'no plain frames' });
      const top = recs[0];
      const cost = state.emitted.frames[top.func - state.module.layout.nImportedFuncs].sites.get(top.pos)!.cost;
      const s = yield cost;
      if (s === CAPTURE_SIGNAL) {
        captured.push(...recs);
        return CAPTURE_SIGNAL;
      }
      const frames = recordFrames(state, recs);
      if (frames.length > PLAIN_REENTRY_DEPTH) {
        // Deep: the outer frames go on as generator frames (paused, not unwound, at later slice ends).
        const outer = frames.slice(PLAIN_REENTRY_DEPTH);
        const gs = variantsFor(state, outer, true);
        let it = plainAsGenerator(state, plainChain(state, frames.slice(0, PLAIN_REENTRY_DEPTH)));
        for (const f of outer) it = gs.get(siteKey(f.func, f.pos))!(it, [...f.locals, ...f.stack]);
        return yield* it;
      }
      const x = plainChain(state, frames)();
      if (x !== CAPTURE_SIGNAL) return x;
      recs = captured.splice(0);
    }
  };
}

/** A generator continuing plain frames (see {@link plainChain}): for a generator caller or the call's entry. */
export function* plainAsGenerator(state: InstanceState, chain: () => unknown): Generator<unknown, unknown, unknown> {
  const x = chain();
  return x === CAPTURE_SIGNAL ? yield* (state.rt.RP as () => Generator<unknown, unknown, unknown>)() : x;
}

export function cellValue(g: WasmGlobal): unknown {
  switch (g.valueType) {
    case I32:
      return g.lo | 0;
    case F32:
      return H.h_fi32(g.lo);
    case I64:
      return H.h_gi64(g);
    case F64:
      return H.h_gf64(g);
    case V128:
      return H.h_gv(g);
    default:
      return g.ref;
  }
}

export function setCell(g: WasmGlobal, x: unknown): void {
  switch (g.valueType) {
    case I32:
      g.lo = x as number;
      return;
    case F32:
      g.lo = H.h_i32f(x as number);
      return;
    case I64:
      H.h_si64(g, x as bigint);
      return;
    case F64:
      H.h_sf64(g, x as number);
      return;
    case V128:
      H.h_sv(g, x as Vec);
      return;
    default:
      g.ref = x;
  }
}

/** Reads any global of an instance (closure-held ones through the generated accessor) as an internal value. */
export function globalValue(state: InstanceState, g: number): unknown {
  const cell = state.globals[g];
  return cell ? cellValue(cell) : state.code.getG(g);
}

export function toTrapError(e: unknown, func: number): FaygerError {
  if (e instanceof FuelOut) return trap('TRAP_FUEL_EXHAUSTED', { func });
  if (FaygerError.is(e)) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return trap('TRAP_CALL_STACK_EXHAUSTED', { func }, e);
  const oob = oobTrap(e, func);
  if (oob !== null) return oob;
  return new FaygerError({
    code: 'INTERNAL',
    phase: 'execute',
    what: 'running the guest',
    found: String(e),
    cause: e,
    details: { func },
  });
}

/**
 * The generated code's scalar loads and stores are bare DataView calls, which throw a RangeError for an access
 * outside the memory (before touching it): that is the wasm out-of-bounds trap. Every other place that throws
 * from generated code throws a FaygerError (helpers), a FuelOut, or the engine's stack-overflow RangeError (tested
 * first by the callers); host functions' own errors are wrapped as TRAP_HOST_ERROR before they reach it.
 */
function oobTrap(e: unknown, func: number): FaygerError | null {
  if (!(e instanceof RangeError) || /call stack/i.test(e.message)) return null;
  return trap('TRAP_MEMORY_OUT_OF_BOUNDS', { func }, e);
}

export type ExecutionState = 'ready' | 'running' | 'suspended' | 'waiting' | 'completed' | 'trapped';

export type ExecutionResult =
  | { readonly status: 'completed'; readonly values: RawValue[] }
  | { readonly status: 'suspended' }
  | { readonly status: 'waiting'; readonly settled: Promise<void> }
  | { readonly status: 'trapped'; readonly error: FaygerError };

function charge(account: FuelAccount, used: number): void {
  account.used += used;
  if (account.remaining !== UNLIMITED_FUEL) account.remaining -= used;
}

function resultsToRaw(f: TFunction, r: unknown): RawValue[] {
  const rs = f.irType.results;
  if (rs.length === 0) return [];
  if (rs.length === 1) return [toRaw(rs[0], r)];
  return rs.map((t, i) => toRaw(t, (r as unknown[])[i]));
}

function argsFromRaw(f: TFunction, args: readonly RawValue[]): unknown[] {
  const ps = f.irType.params;
  if (args.length !== ps.length) {
    throw new FaygerError({
      code: 'WASM_BAD_VALUE',
      phase: 'execute',
      what: 'calling a guest function',
      expected: `${ps.length} arguments`,
      found: `${args.length}`,
    });
  }
  return generic(ps.length, (i) => fromRaw(ps[i], args[i]));
}

/**
 * An array of internal values. V8 quiets signalling NaNs stored into arrays of doubles only, so these arrays
 * start with non-number elements and keep boxed numbers (NaN payloads intact).
 */
function generic(n: number, at: (i: number) => unknown): unknown[] {
  const a = new Array<unknown>(n).fill(null);
  for (let i = 0; i < n; i++) a[i] = at(i);
  return a;
}

/** Runs `f` to completion synchronously (plain code; fuel exhaustion traps). */
export function invokeFunction(f: TFunction, args: readonly RawValue[]): RawValue[] {
  const s = f.inst;
  if (s === null) {
    // A host function exported again: call it directly.
    const r = f.js(...argsFromRaw(f, args));
    return resultsToRaw(f, r);
  }
  if (s.terminated) throw new FaygerError({ code: 'WASM_INSTANCE_TERMINATED', phase: 'execute' });
  const internal = argsFromRaw(f, args);
  const code = s.code;
  if (s.active > 0) {
    // Re-entered from a host function during a call: the outer call's fuel and depth go on.
    s.active++;
    try {
      return resultsToRaw(f, f.js(...internal));
    } catch (e) {
      // The host that re-entered sees the same trap the interpreter gives it (not the DataView's RangeError).
      throw oobTrap(e, f.index) ?? e;
    } finally {
      s.active--;
    }
  }
  const avail = s.fuel.remaining;
  code.setF(avail);
  code.setD(0);
  code.RF();
  s.active = 1;
  const outer = current;
  current = code;
  let r: unknown;
  try {
    r = f.raw!(...internal);
  } catch (e) {
    charge(s.fuel, avail - code.getF());
    throw toTrapError(e, f.index);
  } finally {
    s.active = 0;
    current = outer;
  }
  charge(s.fuel, avail - code.getF());
  return resultsToRaw(f, r);
}

/**
 * One resumable call: runs the generator form of the code, which yields at fuel-slice ends (the cost of the
 * segment it stopped before) and at host promises. Same states and results as the interpreter's Execution.
 */
export class Execution {
  state: ExecutionState = 'ready';
  fuelUsed = 0;
  private it: Generator<unknown, unknown, unknown> | null = null;
  /**
   * @internal Snapshot: the frames a capture or restore gave the call's current chain, while that chain has not
   * run yet — a rebuilt chain has no paused `yield` to send a capture signal to, so capturing it again reads these.
   */
  frozen: unknown = null;
  private pendingCost = 0;
  private depth = 0;
  /** The instance code a suspended call stopped in (another instance's, after a cross-instance call). */
  private inner: InstanceCode | null = null;
  private settled: { ok: boolean; value: unknown } | null = null;
  /** The settled host result a re-entered chain (after an in-process capture) reads, see hostResume. */
  private resumed: { ok: boolean; value: unknown } | null = null;
  private readonly internal: unknown[];

  constructor(
    readonly fn: TFunction,
    args: readonly RawValue[],
  ) {
    this.internal = argsFromRaw(fn, args);
  }

  run(options: { fuel?: number } = {}): ExecutionResult {
    if (this.state === 'completed' || this.state === 'trapped' || this.state === 'running') {
      throw new FaygerError({
        code: 'WASM_EXECUTION_STATE',
        phase: 'execute',
        what: 'resuming a guest call',
        expected: 'a ready, suspended or settled waiting call',
        found: this.state,
      });
    }
    if (this.state === 'waiting' && this.settled === null) {
      throw new FaygerError({
        code: 'WASM_EXECUTION_STATE',
        phase: 'execute',
        what: 'resuming a guest call',
        expected: 'the pending host promise to have settled',
        found: 'it is still pending',
        hint: 'Await the `settled` promise of the waiting result before calling run again.',
      });
    }
    const f = this.fn;
    const s = f.inst;
    if (s?.terminated) return this.fail(new FaygerError({ code: 'WASM_INSTANCE_TERMINATED', phase: 'execute' }));
    if (s === null) return this.runHost();
    if (this.it === null) {
      this.it = f.rawGen!(...this.internal);
      this.pendingCost = f.entryCost;
    }
    let resume: unknown;
    if (this.state === 'waiting') {
      resume = this.settled;
      this.resumed = this.settled;
      this.settled = null;
    }
    const budget = s.fuel.remaining;
    const slice = options.fuel ?? UNLIMITED_FUEL;
    const avail = Math.min(Math.max(slice, this.pendingCost), budget);
    // The innermost instance the suspended call was in holds its counters (see `current`).
    const code = this.inner ?? s.code;
    code.setF(avail);
    code.setD(this.depth);
    code.RF();
    this.state = 'running';
    s.active++;
    const outer = current;
    current = code;
    let r: IteratorResult<unknown, unknown>;
    this.frozen = null;
    try {
      r = this.it.next(resume);
    } catch (e) {
      s.active--;
      this.account(s, avail - current.getF());
      current = outer;
      return this.fail(toTrapError(e, f.index));
    }
    s.active--;
    this.account(s, avail - current.getF());
    this.depth = current.getD();
    this.inner = r.done ? null : current;
    current = outer;
    if (r.done) {
      this.finish('completed');
      return { status: 'completed', values: resultsToRaw(f, r.value) };
    }
    if (typeof r.value === 'number') {
      this.pendingCost = r.value;
      if (avail < budget) {
        this.state = 'suspended';
        return { status: 'suspended' };
      }
      return this.fail(trap('TRAP_FUEL_EXHAUSTED', { fuelUsed: s.fuel.used, func: f.index }));
    }
    this.pendingCost = 0;
    this.state = 'waiting';
    return { status: 'waiting', settled: this.watch(r.value as PromiseLike<unknown>) };
  }

  private runHost(): ExecutionResult {
    if (this.state === 'waiting') {
      const s = this.settled!;
      if (!s.ok) return this.fail(trap('TRAP_HOST_ERROR', { import: this.fn.index }, s.value));
      this.finish('completed');
      try {
        return { status: 'completed', values: resultsToRaw(this.fn, hostResults(this.fn, s.value)) };
      } catch (e) {
        return this.fail(toTrapError(e, this.fn.index));
      }
    }
    let r: unknown;
    try {
      const ps = this.fn.irType.params;
      r = this.fn.host!(...this.internal.map((x, i) => toRaw(ps[i], x)));
    } catch (e) {
      return this.fail(trap('TRAP_HOST_ERROR', { import: this.fn.index }, e));
    }
    if (isThenable(r)) {
      this.state = 'waiting';
      return { status: 'waiting', settled: this.watch(r) };
    }
    try {
      const values = resultsToRaw(this.fn, hostResults(this.fn, r));
      this.finish('completed');
      return { status: 'completed', values };
    } catch (e) {
      return this.fail(toTrapError(e, this.fn.index));
    }
  }

  private watch(p: PromiseLike<unknown>): Promise<void> {
    return Promise.resolve(p).then(
      (value) => {
        this.settled = { ok: true, value };
      },
      (error) => {
        this.settled = { ok: false, value: error };
      },
    );
  }

  private account(s: InstanceState, used: number): void {
    this.fuelUsed += used;
    charge(s.fuel, used);
  }

  private finish(state: ExecutionState): void {
    this.state = state;
    this.it = null;
    this.frozen = null;
  }

  private fail(e: FaygerError): ExecutionResult {
    const it = this.it;
    this.finish('trapped');
    const saved = current;
    try {
      it?.return(undefined); // runs the cross-instance wrappers' finally blocks, which move `current`
    } catch {
      // a generator that throws while closing has nothing to clean up
    } finally {
      current = saved;
    }
    return { status: 'trapped', error: e };
  }

  /** @internal Snapshot support: the cost the next slice must at least cover (see `run`). */
  get nextCost(): number {
    return this.pendingCost;
  }

  /**
   * @internal Snapshot: sends the capture signal into the stopped call's generator chain and returns the frame
   * records (innermost first). The chain is done afterwards: {@link reenter} gives the call a new one.
   */
  captureFrames(): FrameRecord[] {
    const it = this.it;
    if (it === null) return [];
    captured.length = 0;
    const saved = current;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = it.next(CAPTURE_SIGNAL);
    } finally {
      current = saved;
    }
    this.it = null;
    if (!r.done || r.value !== CAPTURE_SIGNAL) {
      throw new FaygerError({ code: 'INTERNAL', phase: 'execute', message: 'a capture did not unwind the call' });
    }
    return captured.splice(0);
  }

  /**
   * @internal Snapshot: continues the call with a rebuilt generator chain `it` (re-entry variants). A restored
   * call is `suspended`; an in-process one that was waiting stays waiting on its host promise, whose outcome the
   * chain's innermost generator reads (see {@link hostResume}).
   */
  reenter(it: Generator<unknown, unknown, unknown>, pendingCost: number, restored?: { fuelUsed: number }): void {
    this.it = it;
    this.pendingCost = pendingCost;
    this.depth = 0;
    this.inner = null;
    if (restored !== undefined) {
      this.state = 'suspended';
      this.fuelUsed = restored.fuelUsed;
    }
  }

  /** @internal The host call a waiting call waits on, resumed in-process after a capture: reads its outcome. */
  // biome-ignore lint/correctness/useYield: it continues a host call whose promise the call already waited on
  *hostResume(f: TFunction): Generator<unknown, unknown, unknown> {
    const s = this.resumed;
    this.resumed = null;
    if (s === null)
      throw new FaygerError({ code: 'INTERNAL', phase: 'execute', message: 'resumed without a host result' });
    if (!s.ok) throw trap('TRAP_HOST_ERROR', { import: f.index }, s.value);
    return hostResults(f, s.value);
  }

  /** Abandons a suspended or waiting call. */
  abort(): void {
    if (this.state === 'suspended' || this.state === 'waiting' || this.state === 'ready')
      this.fail(new FaygerError({ code: 'WASM_INSTANCE_TERMINATED', phase: 'execute' }));
  }
}

export { EXTERNREF, FUNCREF, typeCode };

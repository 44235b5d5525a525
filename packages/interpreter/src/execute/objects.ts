import {
  V128,
  type WasmGlobal,
  type WasmMemory,
  type WasmTable,
  publicFuncType,
  sigId,
  type FuncTypeIR,
  type FunctionType,
  type TableBudget,
} from '@fayger/wasm';
import type { HostFunctionImpl } from '../api/types.js';

// The memory, table and global objects (and the value-type and signature helpers) are @fayger/wasm's, shared
// with the transpiler; the function instance, the instance context and the fuel account are the interpreter's.
export {
  BYTES_PER_FUEL,
  PAGE,
  WasmGlobal,
  WasmMemory,
  WasmTable,
  bulkFuel,
  publicFuncType,
  sigId,
  typeCode,
  typeName,
  type TableBudget,
} from '@fayger/wasm';

/**
 * Per-instance execution context: what the dispatch loop needs besides the stacks. Compiled code is shared by
 * every instance of a module; the index spaces are per instance.
 */
export interface InstanceCtx {
  /** The module's code; `compiled.code` is replaced when lazy compilation grows it, so read it after calls. */
  readonly compiled: LazyCode;
  funcs: WasmFunction[];
  globals: WasmGlobal[];
  tables: WasmTable[];
  memory: WasmMemory | null;
  /** Interned signature id per module type index. */
  sigs: Int32Array;
  /** Passive data segments (null once dropped). */
  datas: (Uint8Array | null)[];
  /** Passive element segments (null once dropped). */
  elems: (unknown[] | null)[];
  /** Limits from InstanceOptions. */
  maxCallDepth: number;
  /** Table elements of all the instance's tables (InstanceOptions.maxTableElements). */
  tableBudget: TableBudget;
  /** Shared fuel account of the instance. */
  fuel: FuelAccount;
  terminated: boolean;
  /** Host-facing view for HostCallContext. */
  name: string;
}

export interface FuelAccount {
  /** Remaining budget; Infinity when unmetered. */
  remaining: number;
  used: number;
  /** Fuel owed for bulk work (BYTES_PER_FUEL) done by the last operation; the dispatch loop deducts it. */
  debt: number;
  callDepth: number;
  maxCallDepthReached: number;
}

/**
 * A place a stopped frame may stand (snapshot.ts), recorded by a site-map compile: a fuel point (kind 0: the
 * entry, position 0, or a loop header, the loop's position) or the return point of a call (2) / call_indirect
 * (3), at the call's position. Positions are wasm positions: k + 1 for the body's k-th instruction.
 */
export interface SiteRecord {
  readonly kind: 0 | 2 | 3;
  /** Offset from the function's entry: of the FUEL op, or right after the call. */
  readonly offset: number;
  readonly pos: number;
  readonly callee: number;
  readonly typeIndex: number;
  /** Operand stack types at the site (below a call's operands) and the slot each value is in. */
  readonly types: readonly number[];
  readonly slots: readonly number[];
  /** A call's argument base (int32 index relative to the frame base: the callee's frame base), else 0. */
  readonly arg: number;
}

export interface FunctionSites {
  readonly byOffset: ReadonlyMap<number, SiteRecord>;
  readonly byPos: ReadonlyMap<number, SiteRecord>;
}

/** A module's compiled code, compiled per function on demand (compile.ts's CompiledCode). */
export interface LazyCode {
  readonly code: Int32Array;
  func(index: number): {
    entry: number;
    frameSize: number;
    /** See compile.ts CompiledFunction (used by snapshot restore to validate program counters). */
    end: number;
    fuelPoints: Int32Array;
    returnPoints: Int32Array;
  };
  /** Where a stopped frame may stand, in wasm positions (compile.ts CompiledCode.sites; snapshots). */
  sites(index: number): FunctionSites;
}

/** Slots (of 8 bytes) a value of type `t` takes on the value stack: two for a v128, else one. */
export function slotWidth(t: number): number {
  return t === V128 ? 2 : 1;
}

/** Total slots of a list of value types. */
export function slotCount(ts: readonly number[]): number {
  let n = 0;
  for (const t of ts) n += t === V128 ? 2 : 1;
  return n;
}

/** Compiles `f`'s body if it is not yet, and fills in its entry and frame size. */
export function prepareFunction(f: WasmFunction): void {
  const c = f.lazy!.func(f.codeIndex);
  f.frameSize = c.frameSize;
  f.entry = c.entry;
}

/** A function instance: wasm code of some instance, or a host function. Also the funcref value. */
export class WasmFunction {
  /** Interned signature id (see sigId). */
  readonly sig: number;
  readonly type: FunctionType;
  /** Start of the compiled body in `inst.code` (wasm functions); 0, the LAZY stub, until compiled. */
  entry = 0;
  /** Where the body is compiled from on first call: the module's code and the defined-function index. */
  lazy: LazyCode | null = null;
  codeIndex = -1;
  /** Slots taken by params + declared locals. */
  nLocals = 0;
  nParams = 0;
  /** Slots needed by the frame: locals + max operand height. */
  frameSize = 0;
  hasRefLocals = false;
  inst: InstanceCtx | null = null;
  /** Function index in its defining module (for trap details). */
  index = -1;
  host: HostFunctionImpl | null = null;
  /** True when every param and result is i32 (fast host-call path). */
  allI32 = false;
  readonly irType: FuncTypeIR;

  constructor(irType: FuncTypeIR) {
    this.irType = irType;
    this.sig = sigId(irType);
    this.type = publicFuncType(irType);
  }
  get kind(): 'function' {
    return 'function';
  }
}

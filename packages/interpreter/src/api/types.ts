import type { FaygerError } from '@fayger/contracts';

// The value and extern types are shared with the transpiler (see @fayger/wasm for the raw-value encoding).
export type {
  ExportDescriptor,
  ExternKind,
  FunctionType,
  GlobalType,
  ImportDescriptor,
  MemoryType,
  RawValue,
  TableType,
  ValueType,
} from '@fayger/wasm';
import type { RawValue } from '@fayger/wasm';

export interface CompileOptions {
  /** Reserved for future feature flags; all of WebAssembly 2.0 (SIMD included) is always on. */
  readonly features?: Readonly<Record<string, boolean>>;
}

export interface InstanceOptions {
  /** memory.grow returns -1 beyond this many pages (applies to every memory the instance defines). Default 65536. */
  readonly maxMemoryPages?: number;
  /** Guest call depth limit; deeper calls trap with TRAP_CALL_STACK_EXHAUSTED. Default 10000. */
  readonly maxCallDepth?: number;
  /** Total fuel budget of the instance; when used up the guest traps with TRAP_FUEL_EXHAUSTED. Default unlimited. */
  readonly fuel?: number;
  /**
   * Table elements of all the tables the instance defines together: declared beyond it fails instantiation
   * (WASM_LINK_ERROR, details.limit 'tableElements', before allocating); table.grow beyond it returns -1 and is
   * recorded in usage().refused. Default: unlimited (each table is still capped at 10,000,000).
   */
  readonly maxTableElements?: number;
  /**
   * Grow linear memory's buffer geometrically (capacity doubles up to the page limit) instead of to the exact
   * size: growing page by page copies O(size) in total. The memory's `buffer` may then be larger than the
   * memory, so leave it off when a WebAssembly.Memory facade exposes the buffer. Default false.
   */
  readonly geometricMemory?: boolean;
  /** Fuel the start function may use in instantiateModuleAsync (TRAP_FUEL_EXHAUSTED beyond). Default unlimited. */
  readonly startFuel?: number;
  /**
   * instantiateModuleAsync runs the start function in slices of `fuel` and awaits `between()` after each (yield,
   * wall-time and abort checks); a throw or rejection there abandons the start function and is rethrown.
   */
  readonly startSlices?: { readonly fuel: number; readonly between: () => void | Promise<void> };
}

export interface RunOptions {
  /** Run at most this many fuel units in this slice, then return `suspended`. */
  readonly fuel?: number;
}

/** Outcome of one slice of an Execution. */
export type ExecutionResult =
  | { readonly status: 'completed'; readonly values: RawValue[] }
  | { readonly status: 'suspended' }
  | { readonly status: 'waiting'; readonly settled: Promise<void> }
  | { readonly status: 'trapped'; readonly error: FaygerError };

/** Signature of a host function in the native API: raw values in, raw value(s) out (or a Promise). */
export type HostFunctionImpl = (
  ...args: RawValue[]
) => RawValue | RawValue[] | void | Promise<RawValue | RawValue[] | void>;

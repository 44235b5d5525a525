import type { EngineSnapshot } from './snapshot.js';
import type { FaygerError } from './errors/fayger-error.js';

/**
 * Runtime_Implementation / ExecutionStrategy contract: what the runtime layer needs from an engine that runs a
 * BuF code section (WebAssembly). Host-neutral plain types: no node types, no DOM, no engine internals.
 */

/** Capabilities an implementation may advertise; the runtime picks an implementation by these. */
export type ExecutionFeature =
  /** Guest can be suspended at a host call returning a Promise and resumed later. */
  | 'suspend'
  /** Execution is metered in fuel units and can run in fuel slices. */
  | 'fuel'
  /** Runs without JIT and without the host's WebAssembly (e.g. `node --jitless`, iOS in-app hosts). */
  | 'jitless'
  /** Same module + input + fuel budget gives the same result and stops at the same point. */
  | 'deterministic'
  /** WebAssembly SIMD (v128). */
  | 'simd'
  | (string & {});

export interface RuntimeImplementationDescriptor {
  /** Stable id, e.g. "fayger-interpreter". */
  readonly id: string;
  /** Semver of the implementation. */
  readonly version: string;
  readonly features: readonly ExecutionFeature[];
  /** WebAssembly core spec version the implementation conforms to, e.g. "2.0". */
  readonly wasmVersion: string;
}

/**
 * A value crossing the guest boundary: i32 and f32/f64 as JS numbers, i64 as bigint, references as opaque values
 * (null = null reference). Host functions of the guest ABI normally see only i32/i64 (pointers, lengths, handles).
 */
export type GuestValue = number | bigint | null | object;

/** v128 crosses as a 16-byte Uint8Array (its memory image). */
export type GuestValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

export interface GuestFunctionType {
  readonly params: readonly GuestValueType[];
  readonly results: readonly GuestValueType[];
}

export type GuestExternKind = 'function' | 'memory' | 'table' | 'global';

export interface GuestImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: GuestExternKind;
  /** Present for functions. */
  readonly type?: GuestFunctionType;
}

export interface GuestExportDescriptor {
  readonly name: string;
  readonly kind: GuestExternKind;
  readonly type?: GuestFunctionType;
}

/** Access to a guest's linear memory from the host (the ABI passes pointers and lengths). */
export interface GuestMemory {
  /** Current size in bytes. Changes when the guest grows its memory. */
  readonly byteLength: number;
  /** Current size in 64 KiB pages. */
  readonly pages: number;
  /** Copies `length` bytes out of guest memory. Throws TRAP_MEMORY_OUT_OF_BOUNDS past the end. */
  read(pointer: number, length: number): Uint8Array;
  /** Copies `bytes` into guest memory at `pointer`. Throws TRAP_MEMORY_OUT_OF_BOUNDS past the end. */
  write(pointer: number, bytes: Uint8Array): void;
  /**
   * A live view of the whole memory. It is invalidated when the memory grows: take a fresh one after any call
   * that may run guest code.
   */
  view(): Uint8Array;
}

/** Passed to each host function call. */
export interface HostCallContext {
  /** The calling instance's memory (its exported "memory", or its only memory), if it has one. */
  readonly memory: GuestMemory | undefined;
}

/**
 * A host import. It may return a value (or an array of values for multi-value results), or a Promise of them:
 * then an implementation with the 'suspend' feature suspends the guest until the promise settles. A throw or a
 * rejection traps the guest with TRAP_HOST_ERROR carrying the cause.
 */
export type HostFunction = (
  args: readonly GuestValue[],
  context: HostCallContext,
) => GuestValue | readonly GuestValue[] | void | Promise<GuestValue | readonly GuestValue[] | void>;

/** Host imports grouped by import module name, then by field name. */
export type HostImports = Readonly<Record<string, Readonly<Record<string, HostFunction>>>>;

export interface InstantiateOptions {
  /** Linear memory may not grow past this many 64 KiB pages; `memory.grow` returns -1 beyond it. */
  readonly maxMemoryPages?: number;
  /** Maximum guest call depth; deeper recursion traps with TRAP_CALL_STACK_EXHAUSTED. */
  readonly maxCallDepth?: number;
  /** Total fuel budget for the instance (all calls together); exhaustion traps with TRAP_FUEL_EXHAUSTED. */
  readonly fuelBudget?: number;
  /**
   * Table elements of all the instance's tables together. Declared tables beyond it fail instantiation
   * (before anything is allocated); `table.grow` beyond it returns -1 and is reported in `GuestUsage.refused`.
   */
  readonly maxTableElements?: number;
  /**
   * Fuel the module's start function may use (it runs inside `instantiate`, before any slice); beyond it
   * instantiation fails with TRAP_FUEL_EXHAUSTED. Unlike `fuelBudget` it does not bound later calls.
   */
  readonly startFuel?: number;
  /**
   * Runs the start function in slices of `fuel` units and awaits `between()` after each one (the host yields to
   * its event loop there and checks wall time and termination), so a start function is stoppable like any call.
   * When `between` throws or rejects, the start function is abandoned and `instantiate` rejects with that error.
   * Without it the start function runs to completion (or to `startFuel`) without yielding.
   */
  readonly startSlices?: { readonly fuel: number; readonly between: () => void | Promise<void> };
}

export interface RunOptions {
  /** Run at most this many fuel units, then return `suspended`. Unlimited (up to the budget) when absent. */
  readonly fuel?: number;
}

/** Result of running a guest call for one slice. */
export type RunOutcome =
  | { readonly status: 'completed'; readonly values: readonly GuestValue[]; readonly fuelUsed: number }
  /** The fuel slice is used up; call `run` again to continue. */
  | { readonly status: 'suspended'; readonly fuelUsed: number }
  /** A host function returned a promise; call `run` again after `settled` resolves. */
  | { readonly status: 'waiting'; readonly settled: Promise<void>; readonly fuelUsed: number }
  | { readonly status: 'trapped'; readonly error: FaygerError; readonly fuelUsed: number };

/** One call of an exported function, run in slices. */
export interface GuestCall {
  readonly state: 'ready' | 'running' | 'suspended' | 'waiting' | 'completed' | 'trapped';
  run(options?: RunOptions): RunOutcome;
}

export interface GuestUsage {
  /** Fuel used by the instance so far (all calls). */
  readonly fuelUsed: number;
  /** Fuel left in the budget, or undefined when unmetered. */
  readonly fuelRemaining: number | undefined;
  readonly memoryPages: number;
  readonly callDepth: number;
  readonly maxCallDepthReached: number;
  /** Table elements of all tables together (when the implementation counts them). */
  readonly tableElements?: number;
  /**
   * The largest size a grow refused by the instance limits (maxMemoryPages, maxTableElements) asked for: the
   * runtime turns it into the quota breach, since the guest itself only sees -1.
   */
  readonly refused?: { readonly memoryPages?: number; readonly tableElements?: number };
}

export interface GuestInstance {
  readonly exports: readonly GuestExportDescriptor[];
  /** Starts a call of an exported function; nothing runs until `run`. */
  call(exportName: string, args: readonly GuestValue[]): GuestCall;
  /** The exported memory named `name` (default: "memory", else the instance's only memory). */
  memory(name?: string): GuestMemory | undefined;
  usage(): GuestUsage;
  /** Releases memory and fails every pending call with WASM_INSTANCE_TERMINATED. Idempotent. */
  terminate(): void;
  /**
   * Optional (engines that support snapshots): captures the instance and its unfinished `calls`, each of which
   * must be `suspended` or `waiting` (none running). Throws SNAPSHOT_NOT_SUSPENDED, or SNAPSHOT_UNSUPPORTED when
   * state cannot leave the process (a live externref). Does not change the instance: it may go on running.
   */
  snapshot?(calls: readonly GuestCall[]): EngineSnapshot;
}

export interface CompiledCode {
  readonly imports: readonly GuestImportDescriptor[];
  readonly exports: readonly GuestExportDescriptor[];
  /** Links and instantiates; runs the start function (which may wait on host promises). */
  instantiate(imports: HostImports, options?: InstantiateOptions): Promise<GuestInstance>;
  /**
   * Optional (engines that support snapshots): recreates an instance of this same code from `snapshot` — links
   * `imports`, restores memories, globals, tables, fuel used and the unfinished calls — without running the start
   * function. Each returned call continues with `run`; a call that was waiting on a host import invokes it again
   * with the same arguments on its first `run`. Throws SNAPSHOT_ENGINE_MISMATCH or SNAPSHOT_MALFORMED.
   */
  restore?(
    imports: HostImports,
    snapshot: EngineSnapshot,
    options?: InstantiateOptions,
  ): Promise<{ readonly instance: GuestInstance; readonly calls: readonly GuestCall[] }>;
}

/**
 * An implementation's answer to "can you run here?" or "can you run this module?". `feature` names what is
 * missing (e.g. "dynamic code generation", "simd") when it says no.
 */
export type ImplementationVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly feature?: string };

/** An ExecutionStrategy: compiles a code section and runs it. */
export interface RuntimeImplementation {
  readonly descriptor: RuntimeImplementationDescriptor;
  /**
   * Decodes, validates and compiles a code section. Throws a FaygerError (WASM_MALFORMED, WASM_INVALID...).
   * A *refusal* — the module is valid but this implementation cannot run it here (code generation forbidden,
   * a feature it does not compile) — is a FaygerError whose `details.refused` is true: a router may then fall
   * back to another implementation. Any other error is the module's (or a bug) and is reported as is.
   */
  compile(code: Uint8Array): Promise<CompiledCode>;
  /**
   * Optional: can this implementation run on this host at all (e.g. a WebAssembly-to-JavaScript compiler needs
   * `new Function`, which a CSP without `unsafe-eval` refuses)? The router asks once per implementation and
   * passes over one that answers no. Absent: yes. Must not throw.
   */
  hostSupport?(): ImplementationVerdict;
  /**
   * Optional: can this implementation compile this code section (the features the module uses against the
   * ones it compiles)? Cheap — no code generation. The runtime asks before `compile` and falls back to the
   * next candidate on no. An invalid module answers yes (`compile` reports it). Absent: yes. Must not throw.
   */
  supports?(code: Uint8Array): ImplementationVerdict;
}

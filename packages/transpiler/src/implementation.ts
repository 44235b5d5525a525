import { FaygerError } from '@fayger/contracts';
import type {
  CompiledCode,
  GuestCall,
  GuestExportDescriptor,
  GuestFunctionType,
  GuestImportDescriptor,
  GuestInstance,
  GuestMemory,
  GuestUsage,
  GuestValue,
  HostCallContext,
  HostImports,
  InstantiateOptions,
  RunOptions,
  RunOutcome,
  RuntimeImplementation,
  RuntimeImplementationDescriptor,
  ImplementationVerdict,
} from '@fayger/contracts';
import { PAGE, WASM_STATE_VERSION, WasmMemory, jsOfRaw, rawOfJS, snapshotError, stateKindOf, trap } from '@fayger/wasm';
import type { EngineSnapshot } from '@fayger/contracts';
import {
  TranspiledModule as WasmModule,
  instantiateModuleAsync,
  linkForRestore,
  type InstanceOptions,
  type TranspiledInstance as WasmInstance,
} from './api.js';
import {
  TRANSPILER_STATE_VERSION,
  applyState,
  captureCalls,
  decodeState,
  decodedRequests,
  encodeState,
} from './snapshot.js';
import { emitterCompilesSimd, emitterRefusal, hostSupport, moduleSupport, takeDecoded } from './support.js';
import {
  DEFAULT_MAX_CALL_DEPTH,
  TFunction as WasmFunction,
  codeWithVariants,
  compileIR,
  hostFunction,
  type Execution,
  type FunctionType,
  type RawValue,
  type ValueType,
} from './runtime.js';

export const TRANSPILER_IMPLEMENTATION_ID = 'fayger-transpiler';
const VERSION = '0.1.0';

/** Contract values (plain numbers for floats) to raw bit patterns and back (shared with the other engine). */
const toRaw = (t: ValueType, v: GuestValue): RawValue => rawOfJS(t, v);
const fromRaw = (t: ValueType, v: RawValue): GuestValue => jsOfRaw(t, v) as GuestValue;

function guestType(t: FunctionType): GuestFunctionType {
  return { params: t.params, results: t.results };
}

function memoryView(mem: WasmMemory): GuestMemory {
  const check = (p: number, n: number) => {
    if (!(p >= 0 && n >= 0 && p + n <= mem.u8.length)) {
      throw trap('TRAP_MEMORY_OUT_OF_BOUNDS', { pointer: p, length: n, byteLength: mem.u8.length });
    }
  };
  return {
    get byteLength() {
      return mem.u8.length;
    },
    get pages() {
      return mem.u8.length / PAGE;
    },
    read(pointer, length) {
      check(pointer, length);
      return mem.u8.slice(pointer, pointer + length);
    },
    write(pointer, bytes) {
      check(pointer, bytes.length);
      mem.u8.set(bytes, pointer);
    },
    view() {
      return mem.u8;
    },
  };
}

class TranspilerGuestCall implements GuestCall {
  private fuelBefore = 0;
  constructor(
    readonly ex: Execution,
    private readonly results: readonly ValueType[],
    private readonly owner: TranspilerGuestInstance,
    readonly exportName: string,
  ) {}

  get state(): GuestCall['state'] {
    return this.ex.state;
  }

  run(options: RunOptions = {}): RunOutcome {
    if (this.owner.terminated) {
      return {
        status: 'trapped',
        error: new FaygerError({ code: 'WASM_INSTANCE_TERMINATED', phase: 'execute' }),
        fuelUsed: 0,
      };
    }
    this.fuelBefore = this.ex.fuelUsed;
    const r = this.ex.run(options.fuel === undefined ? {} : { fuel: options.fuel });
    const fuelUsed = this.ex.fuelUsed - this.fuelBefore;
    switch (r.status) {
      case 'completed': {
        this.owner.pending.delete(this);
        return { status: 'completed', values: r.values.map((v, i) => fromRaw(this.results[i], v)), fuelUsed };
      }
      case 'suspended':
        return { status: 'suspended', fuelUsed };
      case 'waiting':
        return { status: 'waiting', settled: r.settled, fuelUsed };
      default:
        this.owner.pending.delete(this);
        return { status: 'trapped', error: r.error as FaygerError, fuelUsed };
    }
  }

  abort(): void {
    this.ex.abort();
  }
}

class TranspilerGuestInstance implements GuestInstance {
  readonly exports: readonly GuestExportDescriptor[];
  readonly pending = new Set<TranspilerGuestCall>();
  terminated = false;

  constructor(private readonly inst: WasmInstance) {
    this.exports = inst.module.exports.map((e) =>
      e.kind === 'function'
        ? { name: e.name, kind: e.kind, type: guestType(e.type as FunctionType) }
        : { name: e.name, kind: e.kind },
    );
  }

  call(exportName: string, args: readonly GuestValue[]): GuestCall {
    if (this.terminated) throw new FaygerError({ code: 'WASM_INSTANCE_TERMINATED', phase: 'execute' });
    const f = this.inst.exports[exportName];
    if (!(f instanceof WasmFunction)) {
      throw new FaygerError({
        code: 'INVALID_ARGUMENT',
        phase: 'execute',
        what: `calling export ${JSON.stringify(exportName)}`,
        expected: 'an exported function',
        found: f === undefined ? 'no such export' : f.kind,
      });
    }
    // A missing argument is zero (null for references); a null reference stays null.
    const raw = f.type.params.map((t, i) =>
      toRaw(t, args[i] !== undefined ? args[i] : t === 'externref' || t === 'funcref' ? null : 0),
    );
    const c = new TranspilerGuestCall(this.inst.call(exportName, raw), f.type.results, this, exportName);
    this.pending.add(c);
    return c;
  }

  /** @internal A restored call (see TranspilerCompiledCode.restore). */
  adopt(ex: Execution, exportName: string): TranspilerGuestCall {
    const f = this.inst.exports[exportName] as WasmFunction;
    const c = new TranspilerGuestCall(ex, f.type.results, this, exportName);
    this.pending.add(c);
    return c;
  }

  /**
   * Captures the instance and its stopped `calls` (see snapshot.ts). The capture takes the generator chains of
   * every stopped call of the instance apart and puts them together again in a code with re-entry variants: the
   * instance runs on unchanged.
   */
  snapshot(calls: readonly GuestCall[]): EngineSnapshot {
    const what = 'capturing a transpiled instance';
    if (this.terminated) throw snapshotError('SNAPSHOT_NOT_SUSPENDED', what, 'a live instance', 'a terminated one');
    const mine = calls.map((c, i) => {
      if (!(c instanceof TranspilerGuestCall) || !this.pending.has(c)) {
        throw snapshotError(
          'SNAPSHOT_NOT_SUSPENDED',
          what,
          'unfinished calls of this instance',
          `call ${i} is not one`,
        );
      }
      if (c.state !== 'suspended' && c.state !== 'waiting') {
        throw snapshotError(
          'SNAPSHOT_NOT_SUSPENDED',
          what,
          'calls that are suspended or waiting',
          `call ${i} is ${c.state}`,
        );
      }
      if (c.ex.fn.inst !== this.inst.state) {
        throw snapshotError(
          'SNAPSHOT_UNSUPPORTED',
          what,
          'calls of functions defined by the module',
          'a host function export',
        );
      }
      return c;
    });
    const stopped = [...this.pending].filter((c) => c.state === 'suspended' || c.state === 'waiting');
    if ([...this.pending].some((c) => c.state === 'running')) {
      throw snapshotError('SNAPSHOT_NOT_SUSPENDED', what, 'no call running', 'a call is running');
    }
    for (const c of stopped) {
      if (c.ex.fn.inst !== this.inst.state) {
        throw snapshotError(
          'SNAPSHOT_UNSUPPORTED',
          what,
          'calls of functions defined by the module',
          'a host function export',
        );
      }
    }
    const state = this.inst.state;
    const frames = captureCalls(
      state,
      stopped.map((c) => c.ex),
    );
    const byCall = new Map(stopped.map((c, i) => [c, frames[i]]));
    // Waiting = stopped at a host call: in-process that is the `waiting` state; a call restored while waiting
    // is `suspended` until it runs (it calls its import again then) but is still stopped at that import.
    const waiting = (c: (typeof mine)[number]) => byCall.get(c)!.pending !== null;
    const bytes = encodeState(
      state,
      mine.map((c) => ({
        func: c.ex.fn.index,
        waiting: waiting(c),
        fuelUsed: c.ex.fuelUsed,
        frames: byCall.get(c)!,
      })),
    );
    const mem = state.memory;
    return {
      engine: TRANSPILER_IMPLEMENTATION_ID,
      stateVersion: WASM_STATE_VERSION,
      memories: mem === null ? [] : [{ pages: mem.pages, bytes: mem.u8.slice() }],
      state: bytes,
      fuelUsed: state.fuel.used,
      calls: mine.map((c) => ({ export: c.exportName, waiting: waiting(c) })),
    };
  }

  memory(name?: string): GuestMemory | undefined {
    const m = this.memoryObject(name);
    return m ? memoryView(m) : undefined;
  }

  memoryObject(name?: string): WasmMemory | undefined {
    if (name !== undefined) {
      const m = this.inst.exports[name];
      return m instanceof WasmMemory ? m : undefined;
    }
    const m = this.inst.exports.memory;
    if (m instanceof WasmMemory) return m;
    return this.inst.memory ?? undefined;
  }

  usage(): GuestUsage {
    return this.inst.usage();
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    for (const c of this.pending) c.abort();
    this.pending.clear();
    this.inst.terminate();
    const mem = this.inst.memory;
    if (mem) {
      // Release the guest memory; later host reads see an empty memory rather than stale data.
      mem.buffer = new ArrayBuffer(0);
      mem.u8 = new Uint8Array(mem.buffer);
      mem.dv = new DataView(mem.buffer);
    }
  }
}

class TranspilerCompiledCode implements CompiledCode {
  readonly imports: readonly GuestImportDescriptor[];
  readonly exports: readonly GuestExportDescriptor[];

  constructor(private readonly module: WasmModule) {
    this.imports = module.imports.map((i) =>
      i.kind === 'function'
        ? { module: i.module, name: i.name, kind: i.kind, type: guestType(i.type as FunctionType) }
        : { module: i.module, name: i.name, kind: i.kind },
    );
    this.exports = module.exports.map((e) =>
      e.kind === 'function'
        ? { name: e.name, kind: e.kind, type: guestType(e.type as FunctionType) }
        : { name: e.name, kind: e.kind },
    );
  }

  async instantiate(imports: HostImports, options: InstantiateOptions = {}): Promise<GuestInstance> {
    const { linked, bind } = this.link(imports);
    const inst = await instantiateModuleAsync(this.module, linked, {
      ...instanceOptions(options),
      ...(options.startFuel !== undefined ? { startFuel: options.startFuel } : {}),
      ...(options.startSlices !== undefined ? { startSlices: options.startSlices } : {}),
    });
    return bind(inst);
  }

  /**
   * Recreates an instance of this code from a transpiler snapshot (see snapshot.ts): links `imports` with the
   * module's code plus the re-entry variants the snapshot's frames need, restores memory, globals, tables,
   * segments and fuel, and hands back the calls (`suspended`; a waiting one calls its import again on its first
   * run). The start function does not run.
   */
  async restore(
    imports: HostImports,
    snapshot: EngineSnapshot,
    options: InstantiateOptions = {},
  ): Promise<{ readonly instance: GuestInstance; readonly calls: readonly GuestCall[] }> {
    const what = 'restoring a snapshot';
    if (snapshot === null || typeof snapshot !== 'object') {
      throw snapshotError('SNAPSHOT_MALFORMED', what, 'an engine snapshot object', String(snapshot));
    }
    // The engine-neutral state (version 3) from either engine, or this engine's own version 1.
    const kind = stateKindOf(snapshot, TRANSPILER_IMPLEMENTATION_ID, TRANSPILER_STATE_VERSION);
    if (
      !(snapshot.state instanceof Uint8Array) ||
      !Array.isArray(snapshot.memories) ||
      !snapshot.memories.every((m) => m !== null && typeof m === 'object' && m.bytes instanceof Uint8Array) ||
      !Array.isArray(snapshot.calls) ||
      !snapshot.calls.every((c) => c !== null && typeof c === 'object' && typeof c.export === 'string') ||
      typeof snapshot.fuelUsed !== 'number' ||
      !(snapshot.fuelUsed >= 0 && snapshot.fuelUsed <= Number.MAX_SAFE_INTEGER)
    ) {
      throw snapshotError(
        'SNAPSHOT_MALFORMED',
        what,
        'state bytes, a list of memories, a list of calls { export, waiting } and a fuel count',
        'fields of other types',
      );
    }
    const compiled = this.module.compiled;
    const exportFuncs = snapshot.calls.map((c, i) => {
      const ex = compiled.ir.exports.find((e) => e.kind === 0 && e.name === c.export);
      if (ex === undefined) {
        throw snapshotError(
          'SNAPSHOT_MALFORMED',
          what,
          'calls of exported functions',
          `call ${i}: no export ${JSON.stringify(c.export)}`,
        );
      }
      return ex.index;
    });
    const decoded = decodeState(
      compiled,
      snapshot.state,
      exportFuncs,
      options.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH,
      kind === 'legacy',
    );
    snapshot.calls.forEach((c, i) => {
      if (c.waiting !== decoded.calls[i].waiting) {
        throw snapshotError(
          'SNAPSHOT_MALFORMED',
          what,
          `call ${i} waiting: ${decoded.calls[i].waiting} as in the state`,
          String(c.waiting),
        );
      }
    });
    const { linked, bind } = this.link(imports);
    // The code the instance runs depends on which imports may await (see emitModule): as linkForRestore links.
    const awaits = this.module.imports
      .filter((imp) => imp.kind === 'function')
      .map((imp) => !linked[imp.module]?.[imp.name]?.sync);
    const code = codeWithVariants(compiled, decodedRequests(decoded), awaits);
    const inst = linkForRestore(this.module, linked, instanceOptions(options), code);
    const executions = applyState(inst.state, decoded, snapshot.memories, snapshot.fuelUsed);
    const guest = bind(inst);
    return { instance: guest, calls: executions.map((ex, i) => guest.adopt(ex, snapshot.calls[i].export)) };
  }

  private link(imports: HostImports): {
    linked: Record<string, Record<string, WasmFunction>>;
    bind: (inst: WasmInstance) => TranspilerGuestInstance;
  } {
    let guest: TranspilerGuestInstance | undefined;
    const context: HostCallContext = {
      get memory() {
        return guest?.memory();
      },
    };
    const linked: Record<string, Record<string, WasmFunction>> = {};
    for (const imp of this.module.imports) {
      if (imp.kind !== 'function') {
        throw new FaygerError({
          code: 'WASM_LINK_ERROR',
          phase: 'instantiate',
          what: `linking import ${imp.module}.${imp.name}`,
          expected: 'only function imports (the guest must define its own memory, tables and globals)',
          found: `a ${imp.kind} import`,
        });
      }
      const fn = imports[imp.module]?.[imp.name];
      if (fn === undefined) continue; // reported by link as an unknown import
      const type = imp.type as FunctionType;
      linked[imp.module] ??= {};
      // A host function marked `sync: true` promises never to return a Promise (see the README, Suspension).
      const sync = (fn as { readonly sync?: unknown }).sync === true;
      linked[imp.module][imp.name] = hostFunction(
        type,
        (...raw: RawValue[]) => {
          const args = raw.map((v, i) => fromRaw(type.params[i], v));
          const r = fn(args, context);
          const conv = (x: unknown): RawValue | RawValue[] => {
            if (type.results.length === 0) return undefined;
            if (type.results.length === 1) return toRaw(type.results[0], (Array.isArray(x) ? x[0] : x) as GuestValue);
            return type.results.map((t, i) => toRaw(t, (x as GuestValue[])[i]));
          };
          if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
            return (r as Promise<unknown>).then(conv);
          }
          return conv(r);
        },
        { sync },
      );
    }
    return {
      linked,
      bind: (inst) => {
        guest = new TranspilerGuestInstance(inst);
        return guest;
      },
    };
  }
}

function instanceOptions(options: InstantiateOptions): InstanceOptions {
  return {
    ...(options.maxMemoryPages !== undefined ? { maxMemoryPages: options.maxMemoryPages } : {}),
    ...(options.maxCallDepth !== undefined ? { maxCallDepth: options.maxCallDepth } : {}),
    ...(options.fuelBudget !== undefined ? { fuel: options.fuelBudget } : {}),
    ...(options.maxTableElements !== undefined ? { maxTableElements: options.maxTableElements } : {}),
    // The runtime never exposes the memory as an ArrayBuffer: grow it geometrically.
    geometricMemory: true,
  };
}

/**
 * The transpiler as a Runtime_Implementation (ExecutionStrategy) for the runtime layer's registry: the same
 * contract and fuel accounting as the interpreter's. `compile` rejects with a typed refusal
 * (WASM_UNSUPPORTED_FEATURE with `details.refused`) on a host that forbids code generation and for a module
 * using a feature the emitter does not compile (SIMD until it lands), so a router can fall back to the
 * interpreter; `hostSupport()` and `supports(code)` give those answers beforehand without compiling.
 * 'jitless' here means it runs without a JIT (on the host's bytecode interpreter), not without `new Function`.
 */
export function createTranspilerImplementation(): RuntimeImplementation {
  const descriptor: RuntimeImplementationDescriptor = {
    id: TRANSPILER_IMPLEMENTATION_ID,
    version: VERSION,
    features: [
      'suspend',
      'fuel',
      'jitless',
      'deterministic',
      'codegen',
      'snapshot',
      ...(emitterCompilesSimd() ? ['simd'] : []),
    ],
    wasmVersion: '2.0',
  };
  let host: ImplementationVerdict | undefined;
  return {
    descriptor,
    // Probed once per implementation object (a host's answer does not change while it runs).
    hostSupport: () => (host ??= hostSupport()),
    supports: (code) => moduleSupport(code),
    async compile(code: Uint8Array): Promise<CompiledCode> {
      const verdict = moduleSupport(code);
      if (!verdict.ok) {
        throw new FaygerError({
          code: 'WASM_UNSUPPORTED_FEATURE',
          phase: 'decode',
          what: 'compiling WebAssembly to JavaScript',
          expected: `a module within the transpiler's features (${descriptor.features.join(', ')})`,
          found: verdict.reason,
          hint: 'Run the module with the interpreter (@fayger/interpreter), which implements every WebAssembly 2.0 instruction.',
          details: { feature: verdict.feature, refused: true },
        });
      }
      try {
        // The decode supports() already did is reused (decoding a large module twice costs start-up time).
        return new TranspilerCompiledCode(new WasmModule(compileIR(code, takeDecoded(code))));
      } catch (err) {
        throw emitterRefusal(err);
      }
    },
  };
}

import { FaygerError } from '@fayger/contracts';
import type {
  CompiledCode,
  EngineSnapshot,
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
} from '@fayger/contracts';
import {
  type WasmModule,
  captureInstance,
  compileModule,
  hostFunction,
  instantiateModuleAsync,
  restoreInstance,
  type WasmInstance,
} from '../api/native.js';
import { STATE_VERSION } from '../execute/snapshot.js';
import type { FunctionType, RawValue, ValueType } from '../api/types.js';
import type { Execution } from '../execute/execution.js';
import { WasmFunction, WasmMemory, PAGE } from '../execute/objects.js';
import { WASM_STATE_VERSION, jsOfRaw, rawOfJS, snapshotError, stateKindOf, trap } from '@fayger/wasm';

export const INTERPRETER_IMPLEMENTATION_ID = 'fayger-interpreter';
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

class InterpreterGuestCall implements GuestCall {
  private fuelBefore = 0;
  constructor(
    readonly exportName: string,
    readonly ex: Execution,
    private readonly results: readonly ValueType[],
    readonly owner: InterpreterGuestInstance,
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

class InterpreterGuestInstance implements GuestInstance {
  readonly exports: readonly GuestExportDescriptor[];
  readonly pending = new Set<InterpreterGuestCall>();
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
    const raw = f.type.params.map((t, i) => toRaw(t, args[i] ?? (t === 'funcref' || t === 'externref' ? null : 0)));
    const c = new InterpreterGuestCall(exportName, this.inst.call(exportName, raw), f.type.results, this);
    this.pending.add(c);
    return c;
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
    return this.inst.ctx.memory ?? undefined;
  }

  usage(): GuestUsage {
    return this.inst.usage();
  }

  snapshot(calls: readonly GuestCall[]): EngineSnapshot {
    if (this.terminated) {
      throw snapshotError('SNAPSHOT_NOT_SUSPENDED', 'snapshotting an instance', 'a live instance', 'a terminated one');
    }
    const own: InterpreterGuestCall[] = [];
    for (const c of calls) {
      if (!(c instanceof InterpreterGuestCall) || c.owner !== this) {
        throw new FaygerError({
          code: 'INVALID_ARGUMENT',
          phase: 'execute',
          what: 'snapshotting an instance',
          expected: 'calls started on this instance',
          found: 'a call of another instance',
        });
      }
      own.push(c);
    }
    for (const c of own) {
      if (c.ex.state !== 'suspended' && c.ex.state !== 'waiting') {
        throw snapshotError(
          'SNAPSHOT_NOT_SUSPENDED',
          `snapshotting the call of ${JSON.stringify(c.exportName)}`,
          'a call stopped at the end of a fuel slice or waiting on a host call',
          `a ${c.ex.state} call`,
        );
      }
      if (c.ex.fn.host !== null) {
        throw snapshotError(
          'SNAPSHOT_UNSUPPORTED',
          `snapshotting the call of ${JSON.stringify(c.exportName)}`,
          'a call of a function the guest defines',
          'a call of a re-exported host import',
        );
      }
    }
    const captured = captureInstance(
      this.inst,
      own.map((c) => ({ ex: c.ex, exportName: c.exportName })),
    );
    return {
      engine: INTERPRETER_IMPLEMENTATION_ID,
      stateVersion: WASM_STATE_VERSION,
      memories: captured.memories,
      state: captured.state,
      fuelUsed: captured.fuelUsed,
      calls: own.map((c) => ({ export: c.exportName, waiting: c.ex.snapshotView().waiting })),
    };
  }

  /** Wraps restored executions as calls of this instance. */
  adopt(exportName: string, ex: Execution): InterpreterGuestCall {
    const f = this.inst.exports[exportName] as WasmFunction;
    const c = new InterpreterGuestCall(exportName, ex, f.type.results, this);
    this.pending.add(c);
    return c;
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    for (const c of this.pending) c.abort();
    this.pending.clear();
    this.inst.terminate();
    const mem = this.inst.ctx.memory;
    if (mem) {
      // Release the guest memory; later host reads see an empty memory rather than stale data.
      mem.buffer = new ArrayBuffer(0);
      mem.u8 = new Uint8Array(mem.buffer);
      mem.dv = new DataView(mem.buffer);
    }
  }
}

class InterpreterCompiledCode implements CompiledCode {
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

  /** Host imports wrapped as the interpreter's host functions; `context` gives them the instance's memory. */
  private link(imports: HostImports): {
    linked: Record<string, Record<string, WasmFunction>>;
    bind: (guest: InterpreterGuestInstance) => void;
  } {
    let guest: InterpreterGuestInstance | undefined;
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
      linked[imp.module][imp.name] = hostFunction(type, (...raw: RawValue[]) => {
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
      });
    }
    return {
      linked,
      bind: (g) => {
        guest = g;
      },
    };
  }

  async instantiate(imports: HostImports, options: InstantiateOptions = {}): Promise<GuestInstance> {
    const { linked, bind } = this.link(imports);
    const inst = await instantiateModuleAsync(this.module, linked, {
      ...limits(options),
      ...(options.startFuel !== undefined ? { startFuel: options.startFuel } : {}),
      ...(options.startSlices !== undefined ? { startSlices: options.startSlices } : {}),
    });
    const guest = new InterpreterGuestInstance(inst);
    bind(guest);
    return guest;
  }

  async restore(
    imports: HostImports,
    snapshot: EngineSnapshot,
    options: InstantiateOptions = {},
  ): Promise<{ readonly instance: GuestInstance; readonly calls: readonly GuestCall[] }> {
    if (snapshot === null || typeof snapshot !== 'object') {
      throw snapshotError('SNAPSHOT_MALFORMED', 'restoring a snapshot', 'an engine snapshot object', String(snapshot));
    }
    // The engine-neutral state (version 3) from either engine, or this engine's own version 2.
    stateKindOf(snapshot, INTERPRETER_IMPLEMENTATION_ID, STATE_VERSION);
    if (
      !(snapshot.state instanceof Uint8Array) ||
      !Array.isArray(snapshot.memories) ||
      !Array.isArray(snapshot.calls) ||
      !snapshot.calls.every(
        (c) => c !== null && typeof c === 'object' && typeof c.export === 'string' && typeof c.waiting === 'boolean',
      )
    ) {
      throw snapshotError(
        'SNAPSHOT_MALFORMED',
        'restoring a snapshot',
        'state bytes, a list of memories and a list of calls { export, waiting }',
        'fields of other types',
      );
    }
    const { linked, bind } = this.link(imports);
    let restored: ReturnType<typeof restoreInstance>;
    try {
      restored = restoreInstance(this.module, linked, limits(options), snapshot);
    } catch (e) {
      if (FaygerError.is(e)) throw e;
      // Decoding checks every field first; anything else escaping is still a bad state, never a crash.
      throw new FaygerError({
        code: 'SNAPSHOT_MALFORMED',
        phase: 'instantiate',
        what: 'restoring the interpreter state',
        found: String(e),
        cause: e,
      });
    }
    const guest = new InterpreterGuestInstance(restored.instance);
    bind(guest);
    const calls = restored.calls.map((ex, i) => guest.adopt(snapshot.calls[i].export, ex));
    return { instance: guest, calls };
  }
}

function limits(options: InstantiateOptions) {
  return {
    ...(options.maxMemoryPages !== undefined ? { maxMemoryPages: options.maxMemoryPages } : {}),
    ...(options.maxCallDepth !== undefined ? { maxCallDepth: options.maxCallDepth } : {}),
    ...(options.fuelBudget !== undefined ? { fuel: options.fuelBudget } : {}),
    ...(options.maxTableElements !== undefined ? { maxTableElements: options.maxTableElements } : {}),
    // The runtime never exposes the memory as an ArrayBuffer: grow it geometrically.
    geometricMemory: true,
  };
}

/** The interpreter as a Runtime_Implementation (ExecutionStrategy) for the runtime layer's registry. */
export function createInterpreterImplementation(): RuntimeImplementation {
  const descriptor: RuntimeImplementationDescriptor = {
    id: INTERPRETER_IMPLEMENTATION_ID,
    version: VERSION,
    features: ['suspend', 'fuel', 'jitless', 'deterministic', 'simd', 'snapshot'],
    wasmVersion: '2.0',
  };
  return {
    descriptor,
    async compile(code: Uint8Array): Promise<CompiledCode> {
      return new InterpreterCompiledCode(compileModule(code));
    },
  };
}

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
import { PAGE, WasmMemory, trap } from '@fayger/wasm';
import {
  TranspiledModule as WasmModule,
  instantiateModuleAsync,
  type TranspiledInstance as WasmInstance,
} from './api.js';
import { emitterCompilesSimd, emitterRefusal, hostSupport, moduleSupport, takeDecoded } from './support.js';
import {
  TFunction as WasmFunction,
  compileIR,
  hostFunction,
  type Execution,
  type FunctionType,
  type RawValue,
  type ValueType,
} from './runtime.js';

export const TRANSPILER_IMPLEMENTATION_ID = 'fayger-transpiler';
const VERSION = '0.1.0';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** Contract values (plain numbers for floats) to raw bit patterns and back. */
function toRaw(t: ValueType, v: GuestValue): RawValue {
  switch (t) {
    case 'i32':
      return Number(v) | 0;
    case 'i64':
      return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    case 'f32':
      f32[0] = Number(v);
      return u32[0];
    case 'f64':
      f64[0] = Number(v);
      return u64[0];
    default:
      return v;
  }
}

function fromRaw(t: ValueType, v: RawValue): GuestValue {
  switch (t) {
    case 'i32':
      return (v as number) | 0;
    case 'i64':
      return BigInt.asIntN(64, v as bigint);
    case 'f32':
      u32[0] = v as number;
      return f32[0];
    case 'f64':
      u64[0] = v as bigint;
      return f64[0];
    default:
      return v as GuestValue;
  }
}

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
    private readonly ex: Execution,
    private readonly results: readonly ValueType[],
    private readonly owner: TranspilerGuestInstance,
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
    const raw = f.type.params.map((t, i) => toRaw(t, args[i] ?? 0));
    const c = new TranspilerGuestCall(this.inst.call(exportName, raw), f.type.results, this);
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
    const inst = await instantiateModuleAsync(this.module, linked, {
      ...(options.maxMemoryPages !== undefined ? { maxMemoryPages: options.maxMemoryPages } : {}),
      ...(options.maxCallDepth !== undefined ? { maxCallDepth: options.maxCallDepth } : {}),
      ...(options.fuelBudget !== undefined ? { fuel: options.fuelBudget } : {}),
      ...(options.maxTableElements !== undefined ? { maxTableElements: options.maxTableElements } : {}),
      ...(options.startFuel !== undefined ? { startFuel: options.startFuel } : {}),
      ...(options.startSlices !== undefined ? { startSlices: options.startSlices } : {}),
      // The runtime never exposes the memory as an ArrayBuffer: grow it geometrically.
      geometricMemory: true,
    });
    guest = new TranspilerGuestInstance(inst);
    return guest;
  }
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
    features: ['suspend', 'fuel', 'jitless', 'deterministic', 'codegen', ...(emitterCompilesSimd() ? ['simd'] : [])],
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

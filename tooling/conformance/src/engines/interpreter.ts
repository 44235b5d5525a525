import {
  type RawValue,
  type WasmModule,
  type WasmInstance,
  compileModule,
  createGlobal,
  createMemory,
  createTable,
  hostFunction,
  instantiateModule,
} from '@fayger/interpreter';
import type { Classified, EngineAdapter, FailureCode, ValType, WasmValue } from '../types.js';
import { HostRefs } from './native.js';

/** The spectest host module, shaped like an instance so other modules import from its `exports`. */
interface ExportsHolder {
  readonly exports: Readonly<Record<string, unknown>>;
}

const KNOWN_CODES = new Set<string>([
  'TRAP_UNREACHABLE',
  'TRAP_INTEGER_DIVIDE_BY_ZERO',
  'TRAP_INTEGER_OVERFLOW',
  'TRAP_INVALID_CONVERSION',
  'TRAP_MEMORY_OUT_OF_BOUNDS',
  'TRAP_TABLE_OUT_OF_BOUNDS',
  'TRAP_INDIRECT_CALL_TYPE_MISMATCH',
  'TRAP_UNINITIALIZED_ELEMENT',
  'TRAP_CALL_STACK_EXHAUSTED',
  'TRAP_FUEL_EXHAUSTED',
  'WASM_MALFORMED',
  'WASM_INVALID',
  'WASM_UNSUPPORTED_FEATURE',
  'WASM_LINK_ERROR',
]);

const scratch = new DataView(new ArrayBuffer(8));

/**
 * `@fayger/interpreter`'s native API: values cross it as raw bit patterns, errors are FaygerErrors with codes.
 * With `slices`, every invocation runs as a resumable Execution in fuel slices of pseudo-random size
 * (1..maxSlice), so the whole suite also checks that suspending anywhere and resuming changes nothing.
 */
export class InterpreterEngine implements EngineAdapter {
  readonly name: string;
  readonly distinguishesMalformedFromInvalid = true;
  private readonly refs = new HostRefs();
  private sliceState: number | undefined;

  constructor(options: { slices?: { seed: number; maxSlice: number } } = {}) {
    this.slices = options.slices;
    this.sliceState = options.slices?.seed;
    this.name = options.slices ? 'interpreter-sliced' : 'interpreter';
  }

  private readonly slices: { seed: number; maxSlice: number } | undefined;

  spectest(): ExportsHolder {
    const print = (params: ValType[]) => hostFunction({ params, results: [] }, () => undefined);
    scratch.setFloat32(0, 666.6);
    const f32 = scratch.getUint32(0);
    scratch.setFloat64(0, 666.6);
    const f64 = scratch.getBigUint64(0);
    return {
      exports: {
        print: print([]),
        print_i32: print(['i32']),
        print_i64: print(['i64']),
        print_f32: print(['f32']),
        print_f64: print(['f64']),
        print_i32_f32: print(['i32', 'f32']),
        print_f64_f64: print(['f64', 'f64']),
        global_i32: createGlobal({ value: 'i32', mutable: false }, 666),
        global_i64: createGlobal({ value: 'i64', mutable: false }, 666n),
        global_f32: createGlobal({ value: 'f32', mutable: false }, f32),
        global_f64: createGlobal({ value: 'f64', mutable: false }, f64),
        table: createTable({ element: 'funcref', initial: 10, maximum: 20 }),
        memory: createMemory({ initial: 1, maximum: 2 }),
      },
    };
  }

  compile(bytes: Uint8Array): WasmModule {
    return compileModule(bytes);
  }

  instantiate(module: unknown, registry: ReadonlyMap<string, unknown>): WasmInstance {
    const imports: Record<string, Readonly<Record<string, unknown>>> = {};
    for (const [name, inst] of registry) imports[name] = (inst as ExportsHolder).exports;
    return instantiateModule(module as WasmModule, imports);
  }

  invoke(instance: unknown, field: string, args: readonly WasmValue[]): WasmValue[] {
    const inst = instance as WasmInstance;
    const desc = inst.module.exports.find((e) => e.name === field);
    if (desc?.kind !== 'function') throw new Error(`export ${field} is not a function`);
    const results = (desc.type as { results: readonly ValType[] }).results;
    const rawArgs = args.map((a) => this.toRaw(a));
    const raw = this.slices ? this.runSliced(inst, field, rawArgs, this.slices.maxSlice) : inst.invoke(field, rawArgs);
    return raw.map((v, i) => this.fromRaw(v, results[i]!));
  }

  private runSliced(inst: WasmInstance, field: string, args: RawValue[], maxSlice: number): RawValue[] {
    const ex = inst.call(field, args);
    for (;;) {
      // xorshift32: slice sizes are reproducible from the seed.
      let x = this.sliceState! | 0 || 1;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.sliceState = x;
      const r = ex.run({ fuel: 1 + ((x >>> 0) % maxSlice) });
      if (r.status === 'completed') return r.values;
      if (r.status === 'trapped') throw r.error;
      if (r.status !== 'suspended')
        throw new Error(`unexpected execution status ${r.status} (no host import here waits)`);
    }
  }

  get(instance: unknown, field: string): WasmValue {
    const inst = instance as WasmInstance;
    const desc = inst.module.exports.find((e) => e.name === field);
    if (desc?.kind !== 'global') throw new Error(`export ${field} is not a global`);
    return this.fromRaw(inst.getGlobal(field), (desc.type as { value: ValType }).value);
  }

  classify(error: unknown): Classified {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    if (typeof code === 'string' && KNOWN_CODES.has(code)) return { code: code as FailureCode, message };
    return { code: 'UNEXPECTED', message: typeof code === 'string' ? `${code}: ${message}` : message };
  }

  /** Script value → raw API value (shared with the transpiler engine, whose API has the same shape). */
  toRawValue(v: WasmValue): RawValue {
    return this.toRaw(v);
  }

  /** Raw API value → script value. */
  fromRawValue(raw: RawValue, type: ValType): WasmValue {
    return this.fromRaw(raw, type);
  }

  private toRaw(v: WasmValue): RawValue {
    if ('ref' in v) {
      if (v.ref === null) return null;
      if (v.type === 'externref' && typeof v.ref === 'number') return this.refs.object(v.ref);
      throw new Error(`cannot pass ${v.type} ${String(v.ref)} from the host`);
    }
    if (v.type === 'v128') {
      const bytes = new Uint8Array(16);
      for (let i = 0; i < 16; i++) bytes[i] = Number((v.bits >> BigInt(8 * i)) & 0xffn);
      return bytes;
    }
    return v.type === 'i32' || v.type === 'f32' ? Number(v.bits) : v.bits;
  }

  private fromRaw(raw: RawValue, type: ValType): WasmValue {
    switch (type) {
      case 'i32':
      case 'f32':
        return { type, bits: BigInt((raw as number) >>> 0) };
      case 'i64':
      case 'f64':
        return { type, bits: BigInt.asUintN(64, raw as bigint) };
      case 'v128': {
        const bytes = raw as Uint8Array;
        let bits = 0n;
        for (let i = 15; i >= 0; i--) bits = (bits << 8n) | BigInt(bytes[i]!);
        return { type, bits };
      }
      case 'externref':
        return { type, ref: raw === null ? null : (this.refs.number(raw) ?? -1) };
      case 'funcref':
        return { type, ref: raw === null ? null : 'func' };
    }
  }
}

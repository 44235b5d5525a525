import {
  type RawValue,
  type TranspiledInstance,
  type TranspiledModule,
  compileModule,
  createGlobal,
  createMemory,
  createTable,
  hostFunction,
  instantiateModule,
} from '@fayger/transpiler';
import type { Classified, EngineAdapter, ValType, WasmValue } from '../types.js';
import { InterpreterEngine } from './interpreter.js';

interface ExportsHolder {
  readonly exports: Readonly<Record<string, unknown>>;
}

const scratch = new DataView(new ArrayBuffer(8));

/**
 * `@fayger/transpiler`'s native API (the same raw-value shape as the interpreter's): modules compile to
 * JavaScript. With `slices`, every invocation runs as a resumable (generator) Execution in fuel slices of
 * pseudo-random size, so the suite also checks suspending anywhere and resuming. Value conversion and error
 * classification are the interpreter engine's (same API shape, same error codes).
 */
export class TranspilerEngine implements EngineAdapter {
  readonly name: string;
  readonly distinguishesMalformedFromInvalid = true;
  private readonly shared: InterpreterEngine;
  private sliceState: number | undefined;

  constructor(private readonly slices?: { seed: number; maxSlice: number }) {
    this.name = slices ? 'transpiler-sliced' : 'transpiler';
    this.sliceState = slices?.seed;
    this.shared = new InterpreterEngine();
  }

  spectest(): ExportsHolder {
    const print = (params: Parameters<typeof hostFunction>[0]['params']) =>
      hostFunction({ params, results: [] }, () => undefined);
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

  compile(bytes: Uint8Array): TranspiledModule {
    return compileModule(bytes);
  }

  instantiate(module: unknown, registry: ReadonlyMap<string, unknown>): TranspiledInstance {
    const imports: Record<string, Readonly<Record<string, unknown>>> = {};
    for (const [name, inst] of registry) imports[name] = (inst as ExportsHolder).exports;
    return instantiateModule(module as TranspiledModule, imports);
  }

  invoke(instance: unknown, field: string, args: readonly WasmValue[]): WasmValue[] {
    const inst = instance as TranspiledInstance;
    const desc = inst.module.exports.find((e) => e.name === field);
    if (desc?.kind !== 'function') throw new Error(`export ${field} is not a function`);
    const results = (desc.type as { results: readonly ValType[] }).results;
    const rawArgs = args.map((a) => this.shared.toRawValue(a));
    const raw = this.slices ? this.runSliced(inst, field, rawArgs, this.slices.maxSlice) : inst.invoke(field, rawArgs);
    return raw.map((v, i) => this.shared.fromRawValue(v, results[i]!));
  }

  private runSliced(inst: TranspiledInstance, field: string, args: RawValue[], maxSlice: number): RawValue[] {
    const ex = inst.call(field, args);
    for (;;) {
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
    const inst = instance as TranspiledInstance;
    const desc = inst.module.exports.find((e) => e.name === field);
    if (desc?.kind !== 'global') throw new Error(`export ${field} is not a global`);
    return this.shared.fromRawValue(inst.getGlobal(field), (desc.type as { value: ValType }).value);
  }

  classify(error: unknown): Classified {
    return this.shared.classify(error);
  }
}

import type { Classified, EngineAdapter, FailureCode, ValType, WasmValue } from '../types.js';
import { bitsCarrier, carriers, functionBitsWrapper, globalBitsWrapper } from '../wasm-encoder.js';

/** Host references: each script number maps to one stable object, so identity survives a round trip. */
export class HostRefs {
  private readonly byNumber = new Map<number, object>();
  private readonly byObject = new Map<object, number>();

  object(n: number): object {
    let o = this.byNumber.get(n);
    if (!o) {
      o = { hostref: n };
      this.byNumber.set(n, o);
      this.byObject.set(o, n);
    }
    return o;
  }

  number(o: unknown): number | undefined {
    return typeof o === 'object' && o !== null ? this.byObject.get(o) : undefined;
  }
}

interface NativeInstance {
  readonly exports: Record<string, unknown>;
}

/** Marks link failures that V8 reports as TypeError (a missing import module) so `classify` can tell them apart. */
class NativeLinkError extends Error {}

const scratch = new DataView(new ArrayBuffer(8));

function bitsToNumber(type: 'f32' | 'f64', bits: bigint): number {
  if (type === 'f32') {
    scratch.setUint32(0, Number(bits));
    return scratch.getFloat32(0);
  }
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

function numberToBits(type: 'f32' | 'f64', n: number): bigint {
  if (type === 'f32') {
    scratch.setFloat32(0, n);
    return BigInt(scratch.getUint32(0));
  }
  scratch.setFloat64(0, n);
  return scratch.getBigUint64(0);
}

/**
 * V8's trap messages, as Node 20 words them. V8 words some traps differently from the spec (one message for a
 * null entry and a signature mismatch), so those accept either code.
 */
const TRAP_MESSAGES: ReadonlyArray<readonly [RegExp, FailureCode, (readonly FailureCode[])?]> = [
  [/^unreachable/, 'TRAP_UNREACHABLE'],
  [/(divide|remainder) by zero/, 'TRAP_INTEGER_DIVIDE_BY_ZERO'],
  [/divide result unrepresentable/, 'TRAP_INTEGER_OVERFLOW'],
  // V8 has one message for NaN (spec: invalid conversion) and out-of-range (spec: integer overflow) inputs.
  [/float unrepresentable in integer range/, 'TRAP_INVALID_CONVERSION', ['TRAP_INTEGER_OVERFLOW']],
  [/memory access out of bounds|data segment .*out of bounds/, 'TRAP_MEMORY_OUT_OF_BOUNDS'],
  [
    /table index is out of bounds|table (access|element) .*out of bounds|element segment .*out of bounds|table .*out of bounds/,
    'TRAP_TABLE_OUT_OF_BOUNDS',
  ],
  [/null function or function signature mismatch/, 'TRAP_UNINITIALIZED_ELEMENT', ['TRAP_INDIRECT_CALL_TYPE_MISMATCH']],
  [/function signature mismatch/, 'TRAP_INDIRECT_CALL_TYPE_MISMATCH'],
];

/** Codes carried as `cause` by a facade's JS-API errors (`@fayger/interpreter/webassembly`). */
const CAUSE_CODES = new Set<string>([
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

/**
 * Any implementation of the JS `WebAssembly` API: by default the host's own (V8 in Node), used to validate the
 * runner itself (a correct runner sees V8 pass almost every command); or the interpreter's `WebAssembly`
 * facade, whose errors carry the interpreter's code as `cause`, so its traps are checked exactly.
 */
export class NativeEngine implements EngineAdapter {
  readonly distinguishesMalformedFromInvalid: boolean;
  private readonly refs = new HostRefs();
  private readonly wrappers = new Map<string, WebAssembly.Module>();
  private readonly wa: typeof WebAssembly;

  constructor(
    wa: typeof WebAssembly = globalThis.WebAssembly,
    readonly name: string = 'native',
  ) {
    this.wa = wa;
    this.distinguishesMalformedFromInvalid = wa !== globalThis.WebAssembly;
  }

  spectest(): NativeInstance {
    const print = (): void => {};
    return {
      exports: {
        print,
        print_i32: print,
        print_i64: print,
        print_f32: print,
        print_f64: print,
        print_i32_f32: print,
        print_f64_f64: print,
        global_i32: new this.wa.Global({ value: 'i32', mutable: false }, 666),
        global_i64: new this.wa.Global({ value: 'i64', mutable: false }, 666n),
        global_f32: new this.wa.Global({ value: 'f32', mutable: false }, 666.6),
        global_f64: new this.wa.Global({ value: 'f64', mutable: false }, 666.6),
        table: new this.wa.Table({ element: 'anyfunc' as WebAssembly.TableKind, initial: 10, maximum: 20 }),
        memory: new this.wa.Memory({ initial: 1, maximum: 2 }),
      },
    };
  }

  compile(bytes: Uint8Array): WebAssembly.Module {
    return new this.wa.Module(bytes as Uint8Array<ArrayBuffer>);
  }

  instantiate(module: unknown, registry: ReadonlyMap<string, unknown>): NativeInstance {
    const imports: Record<string, Record<string, unknown>> = {};
    for (const [name, inst] of registry) imports[name] = (inst as NativeInstance).exports;
    for (const imp of this.wa.Module.imports(module as WebAssembly.Module)) {
      if (!(imp.module in imports)) throw new NativeLinkError(`unknown import module ${imp.module}`);
    }
    const instance = new this.wa.Instance(module as WebAssembly.Module, imports as WebAssembly.Imports);
    return { exports: instance.exports as Record<string, unknown> };
  }

  invoke(
    instance: unknown,
    field: string,
    args: readonly WasmValue[],
    resultTypes: readonly ValType[] | undefined,
  ): WasmValue[] {
    const fn = (instance as NativeInstance).exports[field];
    if (typeof fn !== 'function') throw new Error(`export ${field} is not a function`);
    const paramTypes = args.map((a) => a.type);
    const needsBits =
      resultTypes !== undefined &&
      [...paramTypes, ...resultTypes].some((t) => t === 'f32' || t === 'f64' || t === 'v128');
    if (!needsBits) {
      const raw: unknown = fn(...args.map((a) => this.toJs(a)));
      return this.fromJsResults(raw, resultTypes);
    }
    const key = `${paramTypes.join(',')}>${resultTypes.join(',')}`;
    let wrapperModule = this.wrappers.get(key);
    if (!wrapperModule) {
      wrapperModule = new this.wa.Module(functionBitsWrapper(paramTypes, resultTypes));
      this.wrappers.set(key, wrapperModule);
    }
    const wrapper = new this.wa.Instance(wrapperModule, { m: { f: fn as () => unknown } });
    const w = wrapper.exports['w'] as (...a: unknown[]) => unknown;
    const carried = args.flatMap(carry).map((a) => this.toJs(a));
    const raw = w(...carried);
    return uncarryAll(this.fromJsResults(raw, carriers(resultTypes)), resultTypes);
  }

  get(instance: unknown, field: string, type: ValType | undefined): WasmValue {
    const g = (instance as NativeInstance).exports[field];
    if (!(g instanceof this.wa.Global)) throw new Error(`export ${field} is not a global`);
    if (type === 'f32' || type === 'f64' || type === 'v128') {
      for (const mutable of [false, true]) {
        let wrapper: WebAssembly.Instance;
        try {
          wrapper = new this.wa.Instance(new this.wa.Module(globalBitsWrapper(type, mutable)), { m: { g } });
        } catch (e) {
          if (e instanceof this.wa.LinkError) continue;
          throw e;
        }
        const raw = (wrapper.exports['w'] as () => unknown)();
        return uncarryAll(this.fromJsResults(raw, carriers([type])), [type])[0]!;
      }
    }
    return this.fromJs(g.value, type ?? guessType(g.value));
  }

  classify(error: unknown): Classified {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    if (typeof cause === 'string' && CAUSE_CODES.has(cause)) return { code: cause as FailureCode, message };
    if (error instanceof this.wa.CompileError) return { code: 'WASM_COMPILE_ERROR', message };
    if (error instanceof this.wa.LinkError || error instanceof NativeLinkError) {
      return { code: 'WASM_LINK_ERROR', message };
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return { code: 'TRAP_CALL_STACK_EXHAUSTED', message };
    }
    if (error instanceof this.wa.RuntimeError) {
      for (const [re, code, acceptable] of TRAP_MESSAGES) {
        if (re.test(error.message)) return acceptable ? { code, message, acceptable } : { code, message };
      }
      return { code: 'TRAP_UNKNOWN', message };
    }
    return { code: 'UNEXPECTED', message };
  }

  private toJs(v: WasmValue): unknown {
    if ('ref' in v) {
      if (v.ref === null) return null;
      if (v.type === 'externref' && typeof v.ref === 'number') return this.refs.object(v.ref);
      throw new Error(`cannot pass ${v.type} ${String(v.ref)} from the host`);
    }
    switch (v.type) {
      case 'i32':
        return Number(BigInt.asIntN(32, v.bits));
      case 'i64':
        return BigInt.asIntN(64, v.bits);
      case 'v128':
        throw new TypeError('a v128 cannot cross the JS boundary');
      default:
        return bitsToNumber(v.type, v.bits);
    }
  }

  private fromJsResults(raw: unknown, types: readonly ValType[] | undefined): WasmValue[] {
    if (types === undefined) return [];
    if (types.length === 0) return [];
    if (types.length === 1) return [this.fromJs(raw, types[0]!)];
    const list = raw as unknown[];
    return types.map((t, i) => this.fromJs(list[i], t));
  }

  private fromJs(raw: unknown, type: ValType): WasmValue {
    switch (type) {
      case 'i32':
        return { type, bits: BigInt((raw as number) >>> 0) };
      case 'i64':
        return { type, bits: BigInt.asUintN(64, raw as bigint) };
      case 'f32':
      case 'f64':
        return { type, bits: numberToBits(type, raw as number) };
      case 'v128':
        throw new TypeError('a v128 cannot cross the JS boundary');
      case 'externref':
        return { type, ref: raw === null ? null : (this.refs.number(raw) ?? -1) };
      case 'funcref':
        return { type, ref: raw === null ? null : 'func' };
    }
  }
}

function carry(v: WasmValue): WasmValue[] {
  if (v.type === 'v128')
    return [
      { type: 'i64', bits: BigInt.asUintN(64, v.bits) },
      { type: 'i64', bits: v.bits >> 64n },
    ];
  if ('bits' in v && (v.type === 'f32' || v.type === 'f64'))
    return [{ type: bitsCarrier(v.type) as 'i32' | 'i64', bits: v.bits }];
  return [v];
}

/** Folds carried values back into values of `types` (a v128 from two i64, low half first). */
function uncarryAll(vs: readonly WasmValue[], types: readonly ValType[]): WasmValue[] {
  const out: WasmValue[] = [];
  let k = 0;
  for (const t of types) {
    if (t === 'v128') {
      const lo = vs[k++] as { bits: bigint };
      const hi = vs[k++] as { bits: bigint };
      out.push({ type: 'v128', bits: (hi.bits << 64n) | lo.bits });
    } else {
      out.push(uncarry(vs[k++]!, t));
    }
  }
  return out;
}

function uncarry(v: WasmValue, type: ValType): WasmValue {
  if ('bits' in v && (type === 'f32' || type === 'f64')) return { type, bits: v.bits };
  return v;
}

function guessType(v: unknown): ValType {
  return typeof v === 'bigint' ? 'i64' : typeof v === 'number' ? 'f64' : 'externref';
}

import type { NumType, ValType, WasmValue } from './types.js';

/** A value as written in a wast2json script. */
export interface ScriptValue {
  readonly type: string;
  readonly value?: string | readonly string[];
  readonly lane_type?: string;
}

export type Expectation =
  | { readonly kind: 'exact'; readonly value: WasmValue }
  | { readonly kind: 'nan'; readonly type: 'f32' | 'f64'; readonly nan: 'canonical' | 'arithmetic' }
  /** A non-null reference whose identity the script does not pin down. */
  | { readonly kind: 'nonnull'; readonly type: 'funcref' | 'externref' };

const NUM_TYPES = new Set<string>(['i32', 'i64', 'f32', 'f64']);

export function isValType(type: string): type is ValType {
  return NUM_TYPES.has(type) || type === 'funcref' || type === 'externref';
}

export function widthOf(type: NumType): 32 | 64 {
  return type === 'i32' || type === 'f32' ? 32 : 64;
}

export class UnsupportedValueError extends Error {}

export function parseArg(v: ScriptValue): WasmValue {
  if (!isValType(v.type)) throw new UnsupportedValueError(`value type ${v.type} is not supported`);
  if (v.type === 'funcref' || v.type === 'externref') {
    if (v.value === 'null') return { type: v.type, ref: null };
    return { type: v.type, ref: Number(v.value) };
  }
  if (typeof v.value !== 'string') throw new UnsupportedValueError(`malformed ${v.type} value`);
  return { type: v.type, bits: BigInt.asUintN(widthOf(v.type), BigInt(v.value)) };
}

export function parseExpectation(v: ScriptValue): Expectation {
  if (!isValType(v.type)) throw new UnsupportedValueError(`value type ${v.type} is not supported`);
  if ((v.type === 'f32' || v.type === 'f64') && (v.value === 'nan:canonical' || v.value === 'nan:arithmetic')) {
    return { kind: 'nan', type: v.type, nan: v.value === 'nan:canonical' ? 'canonical' : 'arithmetic' };
  }
  // Scripts never name a specific function, only that one is there.
  if (v.type === 'funcref' && v.value !== undefined && v.value !== 'null') {
    return { kind: 'nonnull', type: v.type };
  }
  return { kind: 'exact', value: parseArg(v) };
}

export function expectationType(e: Expectation): ValType {
  return e.kind === 'exact' ? e.value.type : e.type;
}

const F32_EXP = 0x7f80_0000n;
const F32_QUIET = 0x0040_0000n;
const F32_PAYLOAD = 0x007f_ffffn;
const F64_EXP = 0x7ff0_0000_0000_0000n;
const F64_QUIET = 0x0008_0000_0000_0000n;
const F64_PAYLOAD = 0x000f_ffff_ffff_ffffn;

/** Exact comparison by bits; NaN expectations follow the spec's canonical/arithmetic definitions. */
export function matches(expected: Expectation, actual: WasmValue): boolean {
  if (expected.kind === 'nan') {
    if (actual.type !== expected.type || !('bits' in actual)) return false;
    const [exp, quiet, payload] =
      expected.type === 'f32' ? [F32_EXP, F32_QUIET, F32_PAYLOAD] : [F64_EXP, F64_QUIET, F64_PAYLOAD];
    if ((actual.bits & exp) !== exp) return false;
    const p = actual.bits & payload;
    return expected.nan === 'canonical' ? p === quiet : (p & quiet) === quiet;
  }
  if (expected.kind === 'nonnull') {
    return actual.type === expected.type && 'ref' in actual && actual.ref !== null;
  }
  const want = expected.value;
  if (want.type !== actual.type) return false;
  if ('bits' in want) return 'bits' in actual && want.bits === actual.bits;
  return 'ref' in actual && actual.ref === want.ref;
}

export function formatValue(v: WasmValue): string {
  if ('ref' in v) return `${v.type}:${v.ref === null ? 'null' : String(v.ref)}`;
  const hex = v.bits.toString(16).padStart(widthOf(v.type) / 4, '0');
  if (v.type === 'i32' || v.type === 'i64') {
    const signed = BigInt.asIntN(widthOf(v.type), v.bits);
    return `${v.type}:${signed} (0x${hex})`;
  }
  return `${v.type}:${floatOf(v.type, v.bits)} (0x${hex})`;
}

export function formatExpectation(e: Expectation): string {
  if (e.kind === 'nan') return `${e.type}:nan:${e.nan}`;
  if (e.kind === 'nonnull') return `${e.type}:non-null`;
  return formatValue(e.value);
}

function floatOf(type: 'f32' | 'f64', bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  if (type === 'f32') {
    view.setUint32(0, Number(bits));
    return view.getFloat32(0);
  }
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

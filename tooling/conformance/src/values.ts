import type { NumType, ValType, VecValue, WasmValue } from './types.js';

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
  | { readonly kind: 'nonnull'; readonly type: 'funcref' | 'externref' }
  /** A v128 with at least one NaN lane: each lane exact bits or a NaN kind. */
  | {
      readonly kind: 'lanes';
      readonly type: 'v128';
      readonly laneType: LaneType;
      readonly lanes: readonly (bigint | 'canonical' | 'arithmetic')[];
    };

export type LaneType = 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

const LANE_BITS: Record<string, number> = { i8: 8, i16: 16, i32: 32, i64: 64, f32: 32, f64: 64 };

const NUM_TYPES = new Set<string>(['i32', 'i64', 'f32', 'f64']);

export function isValType(type: string): type is ValType {
  return NUM_TYPES.has(type) || type === 'funcref' || type === 'externref' || type === 'v128';
}

function laneBits(v: ScriptValue): number {
  const w = v.lane_type === undefined ? undefined : LANE_BITS[v.lane_type];
  if (w === undefined || !Array.isArray(v.value) || v.value.length !== 128 / w) {
    throw new UnsupportedValueError(`malformed v128 value (lane type ${String(v.lane_type)})`);
  }
  return w;
}

/** The lanes (unsigned bit patterns, lane 0 first) packed into one 128-bit pattern. */
export function packLanes(width: number, lanes: readonly bigint[]): bigint {
  let bits = 0n;
  for (let i = lanes.length - 1; i >= 0; i--) bits = (bits << BigInt(width)) | BigInt.asUintN(width, lanes[i]!);
  return bits;
}

/** Lane `i` (unsigned) of a 128-bit pattern. */
export function laneOf(bits: bigint, width: number, i: number): bigint {
  return BigInt.asUintN(width, bits >> BigInt(width * i));
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
  if (v.type === 'v128') {
    const w = laneBits(v);
    return {
      type: 'v128',
      bits: packLanes(
        w,
        (v.value as readonly string[]).map((x) => BigInt(x)),
      ),
    } satisfies VecValue;
  }
  if (typeof v.value !== 'string') throw new UnsupportedValueError(`malformed ${v.type} value`);
  return { type: v.type, bits: BigInt.asUintN(widthOf(v.type), BigInt(v.value)) };
}

export function parseExpectation(v: ScriptValue): Expectation {
  if (!isValType(v.type)) throw new UnsupportedValueError(`value type ${v.type} is not supported`);
  if ((v.type === 'f32' || v.type === 'f64') && (v.value === 'nan:canonical' || v.value === 'nan:arithmetic')) {
    return { kind: 'nan', type: v.type, nan: v.value === 'nan:canonical' ? 'canonical' : 'arithmetic' };
  }
  if (v.type === 'v128' && Array.isArray(v.value) && v.value.some((x) => x.startsWith('nan:'))) {
    laneBits(v);
    const lanes = (v.value as readonly string[]).map((x) =>
      x === 'nan:canonical'
        ? ('canonical' as const)
        : x === 'nan:arithmetic'
          ? ('arithmetic' as const)
          : BigInt.asUintN(LANE_BITS[v.lane_type!]!, BigInt(x)),
    );
    return { kind: 'lanes', type: 'v128', laneType: v.lane_type as LaneType, lanes };
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

function isNaNBits(width: number, bits: bigint, nan: 'canonical' | 'arithmetic'): boolean {
  const [exp, quiet, payload] = width === 32 ? [F32_EXP, F32_QUIET, F32_PAYLOAD] : [F64_EXP, F64_QUIET, F64_PAYLOAD];
  if ((bits & exp) !== exp) return false;
  const p = bits & payload;
  return nan === 'canonical' ? p === quiet : (p & quiet) === quiet;
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
    return isNaNBits(expected.type === 'f32' ? 32 : 64, actual.bits, expected.nan);
  }
  if (expected.kind === 'lanes') {
    if (actual.type !== 'v128') return false;
    const w = LANE_BITS[expected.laneType]!;
    return expected.lanes.every((want, i) => {
      const got = laneOf(actual.bits, w, i);
      return typeof want === 'bigint' ? got === want : isNaNBits(w, got, want);
    });
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
  if (v.type === 'v128') return `v128:0x${v.bits.toString(16).padStart(32, '0')}`;
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
  if (e.kind === 'lanes')
    return `v128:${e.laneType}[${e.lanes.map((l) => (typeof l === 'bigint' ? `0x${l.toString(16)}` : `nan:${l}`)).join(' ')}]`;
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

import { FaygerError, type ErrorCode } from '@fayger/contracts';
import {
  SIMD_W,
  bulkFuel,
  simdLanewise,
  simdLoadLane,
  simdReplaceLane,
  simdShift,
  simdStoreLane,
  simdTest,
  trap,
  type WasmGlobal,
  type WasmMemory,
  type WasmTable,
} from '@fayger/wasm';

/**
 * The helpers generated code calls (emit.ts HELPER_NAMES): traps, the numeric operations that need more than
 * one JS operator, bit-exact float operations (NaN payloads), and the bulk memory/table operations. Values are
 * in the transpiler's internal representation: i32 as int32 numbers, i64 as signed BigInts, f32/f64 as numbers
 * (f32 already rounded), v128 as immutable arrays of four int32 words (`Vec`; little-endian lane order: the bytes
 * are the value's memory image), references as objects or null.
 *
 * The v128 lane operations are @fayger/wasm's (shared with the interpreter): they work on its scratch words W
 * (A 0..3, B 4..7, result 8..11), so a helper copies its operands in, runs the shared lane function and
 * copies the result out into a fresh array. A v128 is never written after it is made: constants, locals and
 * globals share arrays freely.
 */

const f32 = new Float32Array(2);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const w32 = new Int32Array(f64.buffer);

const fail = (code: ErrorCode, details: Record<string, unknown> = {}): never => {
  throw trap(code, details);
};

export const EMPTY: readonly unknown[] = Object.freeze([]);

const MIN64 = -(2n ** 63n);

// ---- v128 ----------------------------------------------------------------------------------------------------
const W = SIMD_W;
/** The zero vector (initial value of v128 locals). */
const VZ: Vec = [0, 0, 0, 0];

/**
 * A v128 value: four int32 words, never written after it is made. A plain array rather than an Int32Array: V8
 * allocates a four-element array literal inline, about twice as fast as a typed array, and v128 values are made
 * by nearly every vector instruction.
 */
export type Vec = readonly number[];

function V4(a: number, b: number, c: number, d: number): Vec {
  return [a, b, c, d];
}
function inA(a: Vec): void {
  W[0] = a[0];
  W[1] = a[1];
  W[2] = a[2];
  W[3] = a[3];
}
function inB(b: Vec): void {
  W[4] = b[0];
  W[5] = b[1];
  W[6] = b[2];
  W[7] = b[3];
}
function inR(v: Vec): void {
  W[8] = v[0];
  W[9] = v[1];
  W[10] = v[2];
  W[11] = v[3];
}
function outR(): Vec {
  return V4(W[8], W[9], W[10], W[11]);
}

const VH = {
  V4,
  VZ,
  /** Lane-wise op (unary ones read only a). */
  h_vop: (sub: number, a: Vec, b: Vec) => {
    inA(a);
    inB(b);
    simdLanewise(sub);
    return outR();
  },
  h_vop1: (sub: number, a: Vec) => {
    inA(a);
    simdLanewise(sub);
    return outR();
  },
  h_vsh: (sub: number, a: Vec, n: number) => {
    inA(a);
    simdShift(sub, n);
    return outR();
  },
  h_vtest: (sub: number, a: Vec) => {
    inA(a);
    return simdTest(sub);
  },
  h_vbsel: (a: Vec, b: Vec, c: Vec) =>
    V4(
      (a[0] & c[0]) | (b[0] & ~c[0]),
      (a[1] & c[1]) | (b[1] & ~c[1]),
      (a[2] & c[2]) | (b[2] & ~c[2]),
      (a[3] & c[3]) | (b[3] & ~c[3]),
    ),
  h_vspl: (x: number) => V4(x, x, x, x),
  h_vsplj: (x: bigint) => {
    const lo = Number(BigInt.asIntN(32, x)),
      hi = Number(BigInt.asIntN(32, x >> 32n));
    return V4(lo, hi, lo, hi);
  },
  h_vspld: (x: number) => {
    f64[0] = x;
    return V4(w32[0], w32[1], w32[0], w32[1]);
  },
  /** replace_lane of an 8/16/32-bit lane (f32: its bits). */
  h_vrep: (sub: number, v: Vec, l: number, x: number) => {
    inR(v);
    simdReplaceLane(sub, l, x, 0);
    return outR();
  },
  h_vrepj: (v: Vec, l: number, x: bigint) => {
    inR(v);
    simdReplaceLane(0x1e, l, Number(BigInt.asIntN(32, x)), Number(BigInt.asIntN(32, x >> 32n)));
    return outR();
  },
  h_vrepd: (v: Vec, l: number, x: number) => {
    f64[0] = x;
    inR(v);
    simdReplaceLane(0x22, l, w32[0], w32[1]);
    return outR();
  },
  /** Two words (lo, hi) as an i64 value / as an f64 value. */
  h_w2j: (lo: number, hi: number) => BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0)),
  h_w2d: (lo: number, hi: number) => {
    w32[0] = lo;
    w32[1] = hi;
    return f64[0];
  },
  h_vldl: (sub: number, m: WasmMemory, ea: number, v: Vec, l: number) => {
    inR(v);
    simdLoadLane(sub, m.u8, ea, l);
    return outR();
  },
  h_vstl: (sub: number, m: WasmMemory, ea: number, v: Vec, l: number) => {
    inA(v);
    simdStoreLane(sub, m.u8, ea, l);
  },
  h_gv: (g: WasmGlobal) => V4(g.lo, g.hi, g.w2, g.w3),
  h_sv: (g: WasmGlobal, v: Vec) => {
    g.lo = v[0];
    g.hi = v[1];
    g.w2 = v[2];
    g.w3 = v[3];
  },
};

function u(x: number): number {
  return x >>> 0;
}

/**
 * The capture signal (snapshots), `KP` in the generated code: sent into the innermost yield of a stopped call's
 * generator chain (`it.next(KP)`). Each frame records its site, locals and operand values through CF and returns
 * KP to its caller, which does the same; no guest code runs. Guest values are never this object.
 */
export const CAPTURE_SIGNAL: object = Object.freeze({ capture: true });

/**
 * One generator frame as its capture record gives it (internal values; see emit.ts, SiteMeta). A host function's
 * generator waiting on a promise records itself with `func` -1, its TFunction in `fn` and its arguments.
 */
export interface FrameRecord {
  readonly func: number;
  readonly pos: number;
  readonly locals: readonly unknown[];
  readonly stack: readonly unknown[];
  /** A call site's arguments (its callee's parameters). */
  readonly args: readonly unknown[];
  /** The callee of a call_indirect site (a TFunction), else null. */
  readonly fn: unknown;
}

/** Records of the capture in progress, innermost frame first (captures are synchronous: one at a time). */
export const captured: FrameRecord[] = [];

export const H = {
  KP: CAPTURE_SIGNAL,
  /** A frame's capture record: `r` is [position, call arguments (before entering a leaf), ...operand values]. */
  CF: (func: number, r: unknown[], locals: unknown[], fn: unknown): void => {
    captured.push({ func, pos: r[0] as number, locals, stack: r.slice(2), args: r[1] as unknown[], fn });
  },
  SN: BigInt.asIntN,
  UN: BigInt.asUintN,
  FR: Math.fround,
  IMUL: Math.imul,
  CLZ: Math.clz32,
  BIG: BigInt,
  NUM: Number,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  TRUNC: Math.trunc,
  SQRT: Math.sqrt,
  MIN: Math.min,
  MAX: Math.max,
  EMPTY,
  ...VH,
  h_unr: () => fail('TRAP_UNREACHABLE'),
  h_oob: () => fail('TRAP_MEMORY_OUT_OF_BOUNDS'),
  h_toob: () => fail('TRAP_TABLE_OUT_OF_BOUNDS'),
  h_uninit: () => fail('TRAP_UNINITIALIZED_ELEMENT'),
  h_sigmis: () => fail('TRAP_INDIRECT_CALL_TYPE_MISMATCH'),
  h_fuel: (): never => {
    throw new FuelOut();
  },
  h_depth: () => fail('TRAP_CALL_STACK_EXHAUSTED'),
  h_dz: () => fail('TRAP_INTEGER_DIVIDE_BY_ZERO'),
  h_ovf: () => fail('TRAP_INTEGER_OVERFLOW'),
  h_ctz: (x: number) => (x === 0 ? 32 : 31 - Math.clz32(x & -x)),
  h_pop: (x: number) => {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  },
  h_divs: (a: number, b: number) =>
    b === 0
      ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO')
      : a === -2147483648 && b === -1
        ? fail('TRAP_INTEGER_OVERFLOW')
        : (a / b) | 0,
  h_divu: (a: number, b: number) => (b === 0 ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO') : (u(a) / u(b)) | 0),
  h_rems: (a: number, b: number) => (b === 0 ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO') : (a % b) | 0),
  h_remu: (a: number, b: number) => (b === 0 ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO') : (u(a) % u(b)) | 0),
  h_clz64: (x: bigint) => {
    const hi = Number(BigInt.asIntN(32, x >> 32n));
    return BigInt(hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(Number(BigInt.asIntN(32, x))));
  },
  h_ctz64: (x: bigint) => {
    const lo = Number(BigInt.asIntN(32, x));
    if (lo !== 0) return BigInt(31 - Math.clz32(lo & -lo));
    const hi = Number(BigInt.asIntN(32, x >> 32n));
    return BigInt(hi === 0 ? 64 : 63 - Math.clz32(hi & -hi));
  },
  h_pop64: (x: bigint) => BigInt(H.h_pop(Number(BigInt.asIntN(32, x))) + H.h_pop(Number(BigInt.asIntN(32, x >> 32n)))),
  h_divs64: (a: bigint, b: bigint) =>
    b === 0n
      ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO')
      : a === MIN64 && b === -1n
        ? fail('TRAP_INTEGER_OVERFLOW')
        : BigInt.asIntN(64, a / b),
  h_divu64: (a: bigint, b: bigint) =>
    b === 0n ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO') : BigInt.asIntN(64, BigInt.asUintN(64, a) / BigInt.asUintN(64, b)),
  h_rems64: (a: bigint, b: bigint) => (b === 0n ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO') : a % b),
  h_remu64: (a: bigint, b: bigint) =>
    b === 0n ? fail('TRAP_INTEGER_DIVIDE_BY_ZERO') : BigInt.asIntN(64, BigInt.asUintN(64, a) % BigInt.asUintN(64, b)),
  h_rotl64: (a: bigint, b: bigint) => {
    const k = b & 63n;
    const x = BigInt.asUintN(64, a);
    return BigInt.asIntN(64, (x << k) | (x >> (64n - k)));
  },
  h_rotr64: (a: bigint, b: bigint) => {
    const k = b & 63n;
    const x = BigInt.asUintN(64, a);
    return BigInt.asIntN(64, (x >> k) | (x << (64n - k)));
  },
  // f32 values live in doubles; a NaN keeps its f32 payload in the top mantissa bits (signalling included),
  // so the sign operations are the f64 ones and never pass through a hardware float conversion.
  h_fabs32: (x: number) => H.h_fabs64(x),
  h_fneg32: (x: number) => H.h_fneg64(x),
  h_copysign32: (x: number, y: number) => H.h_copysign64(x, y),
  h_promote: (x: number) => {
    if (x === x) return x;
    f64[0] = x;
    w32[1] |= 0x00080000;
    return f64[0];
  },
  h_fabs64: (x: number) => {
    f64[0] = x;
    w32[1] &= 0x7fffffff;
    return f64[0];
  },
  h_fneg64: (x: number) => {
    f64[0] = x;
    w32[1] ^= 0x80000000;
    return f64[0];
  },
  h_copysign64: (x: number, y: number) => {
    f64[0] = y;
    const sign = w32[1] & 0x80000000;
    f64[0] = x;
    w32[1] = (w32[1] & 0x7fffffff) | sign;
    return f64[0];
  },
  h_nearest: nearest,
  h_nearest32: nearest,
  h_tr_s32: (x: number) => {
    if (x !== x) fail('TRAP_INVALID_CONVERSION');
    if (x <= -2147483649 || x >= 2147483648) fail('TRAP_INTEGER_OVERFLOW');
    return Math.trunc(x) | 0;
  },
  h_tr_u32: (x: number) => {
    if (x !== x) fail('TRAP_INVALID_CONVERSION');
    if (x <= -1 || x >= 4294967296) fail('TRAP_INTEGER_OVERFLOW');
    return Math.trunc(x) | 0;
  },
  h_tr_s64: (x: number) => {
    if (x !== x) fail('TRAP_INVALID_CONVERSION');
    if (x < -9223372036854775808 || x >= 9223372036854775808) fail('TRAP_INTEGER_OVERFLOW');
    return BigInt(Math.trunc(x));
  },
  h_tr_u64: (x: number) => {
    if (x !== x) fail('TRAP_INVALID_CONVERSION');
    if (x <= -1 || x >= 18446744073709551616) fail('TRAP_INTEGER_OVERFLOW');
    return BigInt.asIntN(64, BigInt(Math.trunc(x)));
  },
  h_ts_s32: (x: number) =>
    x !== x ? 0 : x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x) | 0,
  h_ts_u32: (x: number) => (x !== x || x <= 0 ? 0 : x >= 4294967295 ? -1 : Math.trunc(x) | 0),
  h_ts_s64: (x: number) =>
    x !== x
      ? 0n
      : x <= -9223372036854775808
        ? MIN64
        : x >= 9223372036854775808
          ? 2n ** 63n - 1n
          : BigInt(Math.trunc(x)),
  h_ts_u64: (x: number) =>
    x !== x || x <= 0 ? 0n : x >= 18446744073709551616 ? -1n : BigInt.asIntN(64, BigInt(Math.trunc(x))),
  h_i64f32: (x: bigint) => bigToF32(x),
  h_u64f32: (x: bigint) => bigToF32(BigInt.asUintN(64, x)),
  /** f32 value → its bits (int32), payloads of NaNs (signalling too) kept. */
  h_i32f: (x: number) => {
    if (x === x) {
      f32[0] = x;
      return i32[0];
    }
    f64[0] = x;
    return (w32[1] & 0x80000000) | 0x7f800000 | ((w32[1] & 0x000fffff) << 3) | (w32[0] >>> 29);
  },
  /** f32 bits → value; a NaN becomes the double with the same sign and payload (never quieted). */
  h_fi32: (x: number) => {
    i32[0] = x;
    const v = f32[0];
    if (v === v) return v;
    w32[1] = (x & 0x80000000) | 0x7ff00000 | ((x & 0x007fffff) >>> 3);
    w32[0] = x << 29;
    return f64[0];
  },
  h_i64d: (x: number) => {
    f64[0] = x;
    return i64[0];
  },
  h_di64: (x: bigint) => {
    i64[0] = x;
    return f64[0];
  },
  h_gi64: (g: WasmGlobal) => BigInt.asIntN(64, (BigInt(g.hi) << 32n) | BigInt(g.lo >>> 0)),
  h_si64: (g: WasmGlobal, v: bigint) => {
    g.lo = Number(BigInt.asIntN(32, v));
    g.hi = Number(BigInt.asIntN(32, v >> 32n));
  },
  h_gf64: (g: WasmGlobal) => {
    w32[0] = g.lo;
    w32[1] = g.hi;
    return f64[0];
  },
  h_sf64: (g: WasmGlobal, v: number) => {
    f64[0] = v;
    g.lo = w32[0];
    g.hi = w32[1];
  },
  h_mfill: (m: WasmMemory, d: number, v: number, n: number) => {
    d >>>= 0;
    n >>>= 0;
    if (d + n > m.u8.length) fail('TRAP_MEMORY_OUT_OF_BOUNDS', { length: n });
    m.u8.fill(v & 0xff, d, d + n);
    return bulkFuel(n);
  },
  h_mcopy: (m: WasmMemory, d: number, s: number, n: number) => {
    d >>>= 0;
    s >>>= 0;
    n >>>= 0;
    if (s + n > m.u8.length || d + n > m.u8.length) fail('TRAP_MEMORY_OUT_OF_BOUNDS', { length: n });
    m.u8.copyWithin(d, s, s + n);
    return bulkFuel(n);
  },
  h_minit: (m: WasmMemory, ds: (Uint8Array | null)[], seg: number, d: number, s: number, n: number) => {
    const bytes = ds[seg] ?? new Uint8Array(0);
    d >>>= 0;
    s >>>= 0;
    n >>>= 0;
    if (s + n > bytes.length || d + n > m.u8.length) fail('TRAP_MEMORY_OUT_OF_BOUNDS', { offset: d, length: n });
    m.u8.set(bytes.subarray(s, s + n), d);
    return bulkFuel(n);
  },
  h_tget: (t: WasmTable, i: number) => {
    i >>>= 0;
    if (i >= t.elements.length) fail('TRAP_TABLE_OUT_OF_BOUNDS', { index: i, size: t.elements.length });
    return t.elements[i];
  },
  h_tset: (t: WasmTable, i: number, v: unknown) => {
    i >>>= 0;
    if (i >= t.elements.length) fail('TRAP_TABLE_OUT_OF_BOUNDS', { index: i, size: t.elements.length });
    t.elements[i] = v;
  },
  h_tfill: (t: WasmTable, i: number, v: unknown, n: number) => {
    i >>>= 0;
    n >>>= 0;
    if (i + n > t.elements.length) fail('TRAP_TABLE_OUT_OF_BOUNDS', { index: i, length: n });
    for (let k = 0; k < n; k++) t.elements[i + k] = v;
    return bulkFuel(8 * n);
  },
  h_tcopy: (dt: WasmTable, st: WasmTable, d: number, s: number, n: number) => {
    d >>>= 0;
    s >>>= 0;
    n >>>= 0;
    if (s + n > st.elements.length || d + n > dt.elements.length) fail('TRAP_TABLE_OUT_OF_BOUNDS', { length: n });
    if (d <= s) for (let k = 0; k < n; k++) dt.elements[d + k] = st.elements[s + k];
    else for (let k = n - 1; k >= 0; k--) dt.elements[d + k] = st.elements[s + k];
    return bulkFuel(8 * n);
  },
  h_tinit: (t: WasmTable, es: (readonly unknown[])[], seg: number, d: number, s: number, n: number) => {
    const vals = es[seg] ?? EMPTY;
    d >>>= 0;
    s >>>= 0;
    n >>>= 0;
    if (s + n > vals.length || d + n > t.elements.length) fail('TRAP_TABLE_OUT_OF_BOUNDS', { offset: d, length: n });
    for (let k = 0; k < n; k++) t.elements[d + k] = vals[s + k];
    return bulkFuel(8 * n);
  },
};

/** Thrown by the plain (non-resumable) code when a fuel segment does not fit the budget. */
export class FuelOut {}

/** Round half to even; -0 and ±Infinity and NaN pass through. */
function nearest(x: number): number {
  if (x !== x) return x + 0; // quiets a signalling NaN
  if (x === 0 || !Number.isFinite(x)) return x;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  if (r === 0 && x < 0) return -0;
  return r;
}

/** BigInt → nearest f32, rounded once (Number(x) first would round twice). */
function bigToF32(x: bigint): number {
  const neg = x < 0n;
  let a = neg ? -x : x;
  let r: number;
  if (a < 1n << 53n) {
    r = Math.fround(Number(a));
  } else {
    const n = a.toString(2).length;
    const shift = BigInt(n - 26);
    const sticky = (a & ((1n << shift) - 1n)) !== 0n ? 1n : 0n;
    a = (a >> shift) | sticky;
    r = Math.fround(Number(a) * 2 ** (n - 26));
  }
  return neg ? -r : r;
}

export function internalError(message: string, cause?: unknown): FaygerError {
  return new FaygerError({ code: 'INTERNAL', phase: 'execute', message, cause });
}

import { FaygerError } from '@fayger/contracts';
import type { WasmMemory } from './objects.js';
import { i64Mul, nearest } from './numeric.js';

/**
 * SIMD (v128) lane operations, engine-neutral: they compute on a scratch of 16 int32 words (A 0..3, B 4..7,
 * result R 8..11, temp 12..15), so an engine copies its operands in and the result out in its own value
 * representation. A v128 value is four int32 words, little-endian lane order (lane k of an N-bit shape is bits
 * k*N..k*N+N-1), so the bytes are exactly the value's memory image. The interpreter's dispatch of the v128
 * instructions (@fayger/interpreter's execute/simd.ts) and the transpiler's helpers both call these.
 */

const S = new ArrayBuffer(64);
/** Words 0..3: A, 4..7: B, 8..11: result, 12..15: temp. */
const W = new Int32Array(S);
/** The scratch words, shared by both engines with the functions below. */
export { W as SIMD_W };
const A8 = new Int8Array(S, 0, 16);
const AU8 = new Uint8Array(S, 0, 16);
const B8 = new Int8Array(S, 16, 16);
const BU8 = new Uint8Array(S, 16, 16);
const R8 = new Int8Array(S, 32, 16);
const RU8 = new Uint8Array(S, 32, 16);
const A16 = new Int16Array(S, 0, 8);
const AU16 = new Uint16Array(S, 0, 8);
const B16 = new Int16Array(S, 16, 8);
const BU16 = new Uint16Array(S, 16, 8);
const R16 = new Int16Array(S, 32, 8);
const RU16 = new Uint16Array(S, 32, 8);
const A32 = new Int32Array(S, 0, 4);
const AU32 = new Uint32Array(S, 0, 4);
const B32 = new Int32Array(S, 16, 4);
const BU32 = new Uint32Array(S, 16, 4);
const R32 = new Int32Array(S, 32, 4);
const RU32 = new Uint32Array(S, 32, 4);
const AF32 = new Float32Array(S, 0, 4);
const BF32 = new Float32Array(S, 16, 4);
const RF32 = new Float32Array(S, 32, 4);
const AF64 = new Float64Array(S, 0, 2);
const BF64 = new Float64Array(S, 16, 2);
const RF64 = new Float64Array(S, 32, 2);

const satS8 = (x: number) => (x < -128 ? -128 : x > 127 ? 127 : x);
const satU8 = (x: number) => (x < 0 ? 0 : x > 255 ? 255 : x);
const satS16 = (x: number) => (x < -32768 ? -32768 : x > 32767 ? 32767 : x);
const satU16 = (x: number) => (x < 0 ? 0 : x > 65535 ? 65535 : x);

function popcnt8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

function truncSatS32(x: number): number {
  if (x !== x) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return Math.trunc(x) | 0;
}

function truncSatU32(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= 4294967295) return -1;
  return Math.trunc(x) | 0;
}

/** Signed 64-bit compare of words (lo at w, hi at w + 1) of A and B: -1, 0 or 1. */
function cmp64(i: number): number {
  const ah = W[2 * i + 1],
    bh = W[4 + 2 * i + 1];
  if (ah !== bh) return ah < bh ? -1 : 1;
  const al = W[2 * i] >>> 0,
    bl = W[4 + 2 * i] >>> 0;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

/** Shifts the i64 lane at words w, w+1 of A into R. kind 0 shl, 1 shr_s, 2 shr_u. */
function shift64(w: number, n: number, kind: number): void {
  let lo = W[w],
    hi = W[w + 1];
  if (kind === 0) {
    if (n >= 32) {
      hi = lo << (n - 32);
      lo = 0;
    } else if (n !== 0) {
      hi = (hi << n) | (lo >>> (32 - n));
      lo = lo << n;
    }
  } else if (kind === 1) {
    if (n >= 32) {
      lo = hi >> (n - 32);
      hi = hi >> 31;
    } else if (n !== 0) {
      lo = (lo >>> n) | (hi << (32 - n));
      hi = hi >> n;
    }
  } else if (n >= 32) {
    lo = hi >>> (n - 32);
    hi = 0;
  } else if (n !== 0) {
    lo = (lo >>> n) | (hi << (32 - n));
    hi = hi >>> n;
  }
  W[8 + w] = lo;
  W[9 + w] = hi;
}

/** i64 lane i of R = x - y where x, y are (lo, hi) pairs. */
function sub64(i: number, xl: number, xh: number, yl: number, yh: number): void {
  W[8 + 2 * i] = (xl - yl) | 0;
  W[9 + 2 * i] = (xh - yh - (xl >>> 0 < yl >>> 0 ? 1 : 0)) | 0;
}

/** Integer lane comparison k (0 eq, 1 ne, 2 lt_s, 3 lt_u, 4 gt_s, 5 gt_u, 6 le_s, 7 le_u, 8 ge_s, 9 ge_u). */
function icmp(k: number, x: number, y: number): boolean {
  switch (k) {
    case 0:
      return x === y;
    case 1:
      return x !== y;
    case 2:
    case 3:
      return x < y;
    case 4:
    case 5:
      return x > y;
    case 6:
    case 7:
      return x <= y;
    default:
      return x >= y;
  }
}

/** Float lane comparison k (0 eq, 1 ne, 2 lt, 3 gt, 4 le, 5 ge). */
function fcmp(k: number, x: number, y: number): boolean {
  switch (k) {
    case 0:
      return x === y;
    case 1:
      return x !== y;
    case 2:
      return x < y;
    case 3:
      return x > y;
    case 4:
      return x <= y;
    default:
      return x >= y;
  }
}

/** Executes the SIMD (or v128 move) op at `pc`; returns the next pc. */

/** R = A shifted lane-wise by n (shl / shr_s / shr_u of every shape, sub-opcodes 0x6b..0xcd). */
export function shiftLanes(sub: number, n: number): void {
  const kind = (sub & 0x0f) - 0x0b;
  if (sub < 0x80) {
    const k = n & 7;
    for (let i = 0; i < 16; i++) R8[i] = kind === 0 ? A8[i] << k : kind === 1 ? A8[i] >> k : AU8[i] >>> k;
  } else if (sub < 0xa0) {
    const k = n & 15;
    for (let i = 0; i < 8; i++) R16[i] = kind === 0 ? A16[i] << k : kind === 1 ? A16[i] >> k : AU16[i] >>> k;
  } else if (sub < 0xc0) {
    const k = n & 31;
    for (let i = 0; i < 4; i++) R32[i] = kind === 0 ? A32[i] << k : kind === 1 ? A32[i] >> k : A32[i] >>> k;
  } else {
    const k = n & 63;
    shift64(0, k, kind);
    shift64(2, k, kind);
  }
}

/** Replaces lane l of R (replace_lane sub-opcodes 0x17..0x22): lo is the lane's value or bits, hi the high word of a 64-bit lane. */
export function replaceLane(sub: number, l: number, lo: number, hi: number): void {
  if (sub === 0x17) R8[l] = lo;
  else if (sub === 0x1a) R16[l] = lo;
  else if (sub === 0x1c || sub === 0x20) R32[l] = lo;
  else {
    R32[2 * l] = lo;
    R32[2 * l + 1] = hi;
  }
}

/** 1 for the sub-opcodes of the lane-wise ops that take one operand (A only). */
export const UNARY: number[] = [];
for (const s of [
  0x4d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x67, 0x68, 0x69, 0x6a, 0x74, 0x75, 0x7a, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81,
  0x87, 0x88, 0x89, 0x8a, 0x94, 0xa0, 0xa1, 0xa7, 0xa8, 0xa9, 0xaa, 0xc0, 0xc1, 0xc7, 0xc8, 0xc9, 0xca, 0xe0, 0xe1,
  0xe3, 0xec, 0xed, 0xef, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
])
  UNARY[s] = 1;

/** The v128 → i32 tests of A (any_true, all_true, bitmask). */
export function test(sub: number): number {
  switch (sub) {
    case 0x53:
      return (W[0] | W[1] | W[2] | W[3]) !== 0 ? 1 : 0;
    case 0x63:
      for (let i = 0; i < 16; i++) if (A8[i] === 0) return 0;
      return 1;
    case 0x83:
      for (let i = 0; i < 8; i++) if (A16[i] === 0) return 0;
      return 1;
    case 0xa3:
      for (let i = 0; i < 4; i++) if (A32[i] === 0) return 0;
      return 1;
    case 0xc3:
      return (W[0] | W[1]) !== 0 && (W[2] | W[3]) !== 0 ? 1 : 0;
    case 0x64: {
      let r = 0;
      for (let i = 0; i < 16; i++) if (A8[i] < 0) r |= 1 << i;
      return r;
    }
    case 0x84: {
      let r = 0;
      for (let i = 0; i < 8; i++) if (A16[i] < 0) r |= 1 << i;
      return r;
    }
    case 0xa4: {
      let r = 0;
      for (let i = 0; i < 4; i++) if (A32[i] < 0) r |= 1 << i;
      return r;
    }
    default:
      return (W[1] < 0 ? 1 : 0) | (W[3] < 0 ? 2 : 0);
  }
}

/** Computes R from A (and B) for the lane-wise op `sub`. */
export function lanewise(sub: number): void {
  // Comparisons.
  if (sub >= 0x23 && sub <= 0x2c) {
    const k = sub - 0x23;
    const u = k >= 2 && (k & 1) === 1;
    for (let i = 0; i < 16; i++) R8[i] = icmp(k, u ? AU8[i] : A8[i], u ? BU8[i] : B8[i]) ? -1 : 0;
    return;
  }
  if (sub >= 0x2d && sub <= 0x36) {
    const k = sub - 0x2d;
    const u = k >= 2 && (k & 1) === 1;
    for (let i = 0; i < 8; i++) R16[i] = icmp(k, u ? AU16[i] : A16[i], u ? BU16[i] : B16[i]) ? -1 : 0;
    return;
  }
  if (sub >= 0x37 && sub <= 0x40) {
    const k = sub - 0x37;
    const u = k >= 2 && (k & 1) === 1;
    for (let i = 0; i < 4; i++) R32[i] = icmp(k, u ? AU32[i] : A32[i], u ? BU32[i] : B32[i]) ? -1 : 0;
    return;
  }
  if (sub >= 0x41 && sub <= 0x46) {
    for (let i = 0; i < 4; i++) R32[i] = fcmp(sub - 0x41, AF32[i], BF32[i]) ? -1 : 0;
    return;
  }
  if (sub >= 0x47 && sub <= 0x4c) {
    for (let i = 0; i < 2; i++) {
      const r = fcmp(sub - 0x47, AF64[i], BF64[i]) ? -1 : 0;
      R32[2 * i] = r;
      R32[2 * i + 1] = r;
    }
    return;
  }
  if (sub >= 0xd6 && sub <= 0xdb) {
    for (let i = 0; i < 2; i++) {
      const c = cmp64(i);
      const r =
        sub === 0xd6
          ? c === 0
          : sub === 0xd7
            ? c !== 0
            : sub === 0xd8
              ? c < 0
              : sub === 0xd9
                ? c > 0
                : sub === 0xda
                  ? c <= 0
                  : c >= 0;
      R32[2 * i] = R32[2 * i + 1] = r ? -1 : 0;
    }
    return;
  }
  switch (sub) {
    case 0x0e:
      for (let i = 0; i < 16; i++) {
        const j = BU8[i];
        R8[i] = j < 16 ? A8[j] : 0;
      }
      return;
    // Bitwise.
    case 0x4d:
      for (let i = 0; i < 4; i++) W[8 + i] = ~W[i];
      return;
    case 0x4e:
      for (let i = 0; i < 4; i++) W[8 + i] = W[i] & W[4 + i];
      return;
    case 0x4f:
      for (let i = 0; i < 4; i++) W[8 + i] = W[i] & ~W[4 + i];
      return;
    case 0x50:
      for (let i = 0; i < 4; i++) W[8 + i] = W[i] | W[4 + i];
      return;
    case 0x51:
      for (let i = 0; i < 4; i++) W[8 + i] = W[i] ^ W[4 + i];
      return;
    // Float conversions.
    case 0x5e:
      RF32[0] = AF64[0];
      RF32[1] = AF64[1];
      R32[2] = 0;
      R32[3] = 0;
      return;
    case 0x5f:
      RF64[0] = AF32[0];
      RF64[1] = AF32[1];
      return;
    // i8x16.
    case 0x60:
      for (let i = 0; i < 16; i++) R8[i] = A8[i] < 0 ? -A8[i] : A8[i];
      return;
    case 0x61:
      for (let i = 0; i < 16; i++) R8[i] = -A8[i];
      return;
    case 0x62:
      for (let i = 0; i < 16; i++) R8[i] = popcnt8(AU8[i]);
      return;
    case 0x65:
      for (let i = 0; i < 8; i++) {
        R8[i] = satS8(A16[i]);
        R8[i + 8] = satS8(B16[i]);
      }
      return;
    case 0x66:
      for (let i = 0; i < 8; i++) {
        RU8[i] = satU8(A16[i]);
        RU8[i + 8] = satU8(B16[i]);
      }
      return;
    case 0x6e:
      for (let i = 0; i < 16; i++) R8[i] = A8[i] + B8[i];
      return;
    case 0x6f:
      for (let i = 0; i < 16; i++) R8[i] = satS8(A8[i] + B8[i]);
      return;
    case 0x70:
      for (let i = 0; i < 16; i++) RU8[i] = satU8(AU8[i] + BU8[i]);
      return;
    case 0x71:
      for (let i = 0; i < 16; i++) R8[i] = A8[i] - B8[i];
      return;
    case 0x72:
      for (let i = 0; i < 16; i++) R8[i] = satS8(A8[i] - B8[i]);
      return;
    case 0x73:
      for (let i = 0; i < 16; i++) RU8[i] = satU8(AU8[i] - BU8[i]);
      return;
    case 0x76:
      for (let i = 0; i < 16; i++) R8[i] = Math.min(A8[i], B8[i]);
      return;
    case 0x77:
      for (let i = 0; i < 16; i++) RU8[i] = Math.min(AU8[i], BU8[i]);
      return;
    case 0x78:
      for (let i = 0; i < 16; i++) R8[i] = Math.max(A8[i], B8[i]);
      return;
    case 0x79:
      for (let i = 0; i < 16; i++) RU8[i] = Math.max(AU8[i], BU8[i]);
      return;
    case 0x7b:
      for (let i = 0; i < 16; i++) RU8[i] = (AU8[i] + BU8[i] + 1) >>> 1;
      return;
    // f32x4 / f64x2 rounding.
    case 0x67:
      for (let i = 0; i < 4; i++) {
        const x = AF32[i];
        RF32[i] = x !== x ? NaN : Math.ceil(x);
      }
      return;
    case 0x68:
      for (let i = 0; i < 4; i++) {
        const x = AF32[i];
        RF32[i] = x !== x ? NaN : Math.floor(x);
      }
      return;
    case 0x69:
      for (let i = 0; i < 4; i++) {
        const x = AF32[i];
        RF32[i] = x !== x ? NaN : Math.trunc(x);
      }
      return;
    case 0x6a:
      for (let i = 0; i < 4; i++) RF32[i] = nearest(AF32[i]);
      return;
    case 0x74:
      for (let i = 0; i < 2; i++) {
        const x = AF64[i];
        RF64[i] = x !== x ? NaN : Math.ceil(x);
      }
      return;
    case 0x75:
      for (let i = 0; i < 2; i++) {
        const x = AF64[i];
        RF64[i] = x !== x ? NaN : Math.floor(x);
      }
      return;
    case 0x7a:
      for (let i = 0; i < 2; i++) {
        const x = AF64[i];
        RF64[i] = x !== x ? NaN : Math.trunc(x);
      }
      return;
    case 0x94:
      for (let i = 0; i < 2; i++) RF64[i] = nearest(AF64[i]);
      return;
    // Pairwise and extending.
    case 0x7c:
      for (let i = 0; i < 8; i++) R16[i] = A8[2 * i] + A8[2 * i + 1];
      return;
    case 0x7d:
      for (let i = 0; i < 8; i++) R16[i] = AU8[2 * i] + AU8[2 * i + 1];
      return;
    case 0x7e:
      for (let i = 0; i < 4; i++) R32[i] = A16[2 * i] + A16[2 * i + 1];
      return;
    case 0x7f:
      for (let i = 0; i < 4; i++) R32[i] = AU16[2 * i] + AU16[2 * i + 1];
      return;
    case 0x87:
      for (let i = 0; i < 8; i++) R16[i] = A8[i];
      return;
    case 0x88:
      for (let i = 0; i < 8; i++) R16[i] = A8[i + 8];
      return;
    case 0x89:
      for (let i = 0; i < 8; i++) R16[i] = AU8[i];
      return;
    case 0x8a:
      for (let i = 0; i < 8; i++) R16[i] = AU8[i + 8];
      return;
    case 0xa7:
      for (let i = 0; i < 4; i++) R32[i] = A16[i];
      return;
    case 0xa8:
      for (let i = 0; i < 4; i++) R32[i] = A16[i + 4];
      return;
    case 0xa9:
      for (let i = 0; i < 4; i++) R32[i] = AU16[i];
      return;
    case 0xaa:
      for (let i = 0; i < 4; i++) R32[i] = AU16[i + 4];
      return;
    case 0xc7:
    case 0xc8: {
      const o = sub === 0xc7 ? 0 : 2;
      for (let i = 0; i < 2; i++) {
        const v = A32[i + o];
        R32[2 * i] = v;
        R32[2 * i + 1] = v >> 31;
      }
      return;
    }
    case 0xc9:
    case 0xca: {
      const o = sub === 0xc9 ? 0 : 2;
      for (let i = 0; i < 2; i++) {
        R32[2 * i] = A32[i + o];
        R32[2 * i + 1] = 0;
      }
      return;
    }
    // i16x8.
    case 0x80:
      for (let i = 0; i < 8; i++) R16[i] = A16[i] < 0 ? -A16[i] : A16[i];
      return;
    case 0x81:
      for (let i = 0; i < 8; i++) R16[i] = -A16[i];
      return;
    case 0x82:
      for (let i = 0; i < 8; i++) R16[i] = satS16((A16[i] * B16[i] + 0x4000) >> 15);
      return;
    case 0x85:
      for (let i = 0; i < 4; i++) {
        R16[i] = satS16(A32[i]);
        R16[i + 4] = satS16(B32[i]);
      }
      return;
    case 0x86:
      for (let i = 0; i < 4; i++) {
        RU16[i] = satU16(A32[i]);
        RU16[i + 4] = satU16(B32[i]);
      }
      return;
    case 0x8e:
      for (let i = 0; i < 8; i++) R16[i] = A16[i] + B16[i];
      return;
    case 0x8f:
      for (let i = 0; i < 8; i++) R16[i] = satS16(A16[i] + B16[i]);
      return;
    case 0x90:
      for (let i = 0; i < 8; i++) RU16[i] = satU16(AU16[i] + BU16[i]);
      return;
    case 0x91:
      for (let i = 0; i < 8; i++) R16[i] = A16[i] - B16[i];
      return;
    case 0x92:
      for (let i = 0; i < 8; i++) R16[i] = satS16(A16[i] - B16[i]);
      return;
    case 0x93:
      for (let i = 0; i < 8; i++) RU16[i] = satU16(AU16[i] - BU16[i]);
      return;
    case 0x95:
      for (let i = 0; i < 8; i++) R16[i] = Math.imul(A16[i], B16[i]);
      return;
    case 0x96:
      for (let i = 0; i < 8; i++) R16[i] = Math.min(A16[i], B16[i]);
      return;
    case 0x97:
      for (let i = 0; i < 8; i++) RU16[i] = Math.min(AU16[i], BU16[i]);
      return;
    case 0x98:
      for (let i = 0; i < 8; i++) R16[i] = Math.max(A16[i], B16[i]);
      return;
    case 0x99:
      for (let i = 0; i < 8; i++) RU16[i] = Math.max(AU16[i], BU16[i]);
      return;
    case 0x9b:
      for (let i = 0; i < 8; i++) RU16[i] = (AU16[i] + BU16[i] + 1) >>> 1;
      return;
    case 0x9c:
      for (let i = 0; i < 8; i++) R16[i] = A8[i] * B8[i];
      return;
    case 0x9d:
      for (let i = 0; i < 8; i++) R16[i] = A8[i + 8] * B8[i + 8];
      return;
    case 0x9e:
      for (let i = 0; i < 8; i++) R16[i] = AU8[i] * BU8[i];
      return;
    case 0x9f:
      for (let i = 0; i < 8; i++) R16[i] = AU8[i + 8] * BU8[i + 8];
      return;
    // i32x4.
    case 0xa0:
      for (let i = 0; i < 4; i++) R32[i] = A32[i] < 0 ? -A32[i] : A32[i];
      return;
    case 0xa1:
      for (let i = 0; i < 4; i++) R32[i] = -A32[i];
      return;
    case 0xae:
      for (let i = 0; i < 4; i++) R32[i] = A32[i] + B32[i];
      return;
    case 0xb1:
      for (let i = 0; i < 4; i++) R32[i] = A32[i] - B32[i];
      return;
    case 0xb5:
      for (let i = 0; i < 4; i++) R32[i] = Math.imul(A32[i], B32[i]);
      return;
    case 0xb6:
      for (let i = 0; i < 4; i++) R32[i] = Math.min(A32[i], B32[i]);
      return;
    case 0xb7:
      for (let i = 0; i < 4; i++) RU32[i] = Math.min(AU32[i], BU32[i]);
      return;
    case 0xb8:
      for (let i = 0; i < 4; i++) R32[i] = Math.max(A32[i], B32[i]);
      return;
    case 0xb9:
      for (let i = 0; i < 4; i++) RU32[i] = Math.max(AU32[i], BU32[i]);
      return;
    case 0xba:
      for (let i = 0; i < 4; i++) R32[i] = A16[2 * i] * B16[2 * i] + A16[2 * i + 1] * B16[2 * i + 1];
      return;
    case 0xbc:
      for (let i = 0; i < 4; i++) R32[i] = A16[i] * B16[i];
      return;
    case 0xbd:
      for (let i = 0; i < 4; i++) R32[i] = A16[i + 4] * B16[i + 4];
      return;
    case 0xbe:
      for (let i = 0; i < 4; i++) RU32[i] = AU16[i] * BU16[i];
      return;
    case 0xbf:
      for (let i = 0; i < 4; i++) RU32[i] = AU16[i + 4] * BU16[i + 4];
      return;
    // i64x2 (two int32 halves per lane).
    case 0xc0:
      for (let i = 0; i < 2; i++) {
        const l = W[2 * i],
          h = W[2 * i + 1];
        if (h < 0) sub64(i, 0, 0, l, h);
        else {
          W[8 + 2 * i] = l;
          W[9 + 2 * i] = h;
        }
      }
      return;
    case 0xc1:
      for (let i = 0; i < 2; i++) sub64(i, 0, 0, W[2 * i], W[2 * i + 1]);
      return;
    case 0xce:
      for (let i = 0; i < 2; i++) {
        const xl = W[2 * i],
          yl = W[4 + 2 * i];
        const lo = (xl + yl) | 0;
        W[8 + 2 * i] = lo;
        W[9 + 2 * i] = (W[2 * i + 1] + W[5 + 2 * i] + (lo >>> 0 < xl >>> 0 ? 1 : 0)) | 0;
      }
      return;
    case 0xd1:
      for (let i = 0; i < 2; i++) sub64(i, W[2 * i], W[2 * i + 1], W[4 + 2 * i], W[5 + 2 * i]);
      return;
    case 0xd5:
      i64Mul(W, 8, 0, 4);
      i64Mul(W, 10, 2, 6);
      return;
    case 0xdc:
    case 0xdd:
    case 0xde:
    case 0xdf: {
      const o = sub === 0xdc || sub === 0xde ? 0 : 2;
      const signed = sub <= 0xdd;
      for (let i = 0; i < 2; i++) {
        const x = W[i + o],
          y = W[4 + i + o];
        // Widen both into the temp words, then a 64-bit multiply.
        W[12] = x;
        W[13] = signed ? x >> 31 : 0;
        W[14] = y;
        W[15] = signed ? y >> 31 : 0;
        i64Mul(W, 8 + 2 * i, 12, 14);
      }
      return;
    }
    // f32x4.
    case 0xe0:
      for (let i = 0; i < 4; i++) W[8 + i] = W[i] & 0x7fffffff;
      return;
    case 0xe1:
      for (let i = 0; i < 4; i++) W[8 + i] = W[i] ^ -0x80000000;
      return;
    case 0xe3:
      for (let i = 0; i < 4; i++) RF32[i] = Math.sqrt(AF32[i]);
      return;
    case 0xe4:
      for (let i = 0; i < 4; i++) RF32[i] = AF32[i] + BF32[i];
      return;
    case 0xe5:
      for (let i = 0; i < 4; i++) RF32[i] = AF32[i] - BF32[i];
      return;
    case 0xe6:
      for (let i = 0; i < 4; i++) RF32[i] = AF32[i] * BF32[i];
      return;
    case 0xe7:
      for (let i = 0; i < 4; i++) RF32[i] = AF32[i] / BF32[i];
      return;
    case 0xe8:
      for (let i = 0; i < 4; i++) RF32[i] = Math.min(AF32[i], BF32[i]);
      return;
    case 0xe9:
      for (let i = 0; i < 4; i++) RF32[i] = Math.max(AF32[i], BF32[i]);
      return;
    case 0xea:
      for (let i = 0; i < 4; i++) W[8 + i] = BF32[i] < AF32[i] ? W[4 + i] : W[i];
      return;
    case 0xeb:
      for (let i = 0; i < 4; i++) W[8 + i] = AF32[i] < BF32[i] ? W[4 + i] : W[i];
      return;
    // f64x2.
    case 0xec:
      for (let i = 0; i < 2; i++) {
        W[8 + 2 * i] = W[2 * i];
        W[9 + 2 * i] = W[2 * i + 1] & 0x7fffffff;
      }
      return;
    case 0xed:
      for (let i = 0; i < 2; i++) {
        W[8 + 2 * i] = W[2 * i];
        W[9 + 2 * i] = W[2 * i + 1] ^ -0x80000000;
      }
      return;
    case 0xef:
      for (let i = 0; i < 2; i++) RF64[i] = Math.sqrt(AF64[i]);
      return;
    case 0xf0:
      for (let i = 0; i < 2; i++) RF64[i] = AF64[i] + BF64[i];
      return;
    case 0xf1:
      for (let i = 0; i < 2; i++) RF64[i] = AF64[i] - BF64[i];
      return;
    case 0xf2:
      for (let i = 0; i < 2; i++) RF64[i] = AF64[i] * BF64[i];
      return;
    case 0xf3:
      for (let i = 0; i < 2; i++) RF64[i] = AF64[i] / BF64[i];
      return;
    case 0xf4:
      for (let i = 0; i < 2; i++) RF64[i] = Math.min(AF64[i], BF64[i]);
      return;
    case 0xf5:
      for (let i = 0; i < 2; i++) RF64[i] = Math.max(AF64[i], BF64[i]);
      return;
    case 0xf6:
      for (let i = 0; i < 2; i++) {
        const y = BF64[i] < AF64[i];
        W[8 + 2 * i] = W[(y ? 4 : 0) + 2 * i];
        W[9 + 2 * i] = W[(y ? 5 : 1) + 2 * i];
      }
      return;
    case 0xf7:
      for (let i = 0; i < 2; i++) {
        const y = AF64[i] < BF64[i];
        W[8 + 2 * i] = W[(y ? 4 : 0) + 2 * i];
        W[9 + 2 * i] = W[(y ? 5 : 1) + 2 * i];
      }
      return;
    // Integer <-> float conversions.
    case 0xf8:
      for (let i = 0; i < 4; i++) R32[i] = truncSatS32(AF32[i]);
      return;
    case 0xf9:
      for (let i = 0; i < 4; i++) R32[i] = truncSatU32(AF32[i]);
      return;
    case 0xfa:
      for (let i = 0; i < 4; i++) RF32[i] = A32[i];
      return;
    case 0xfb:
      for (let i = 0; i < 4; i++) RF32[i] = AU32[i];
      return;
    case 0xfc:
      R32[0] = truncSatS32(AF64[0]);
      R32[1] = truncSatS32(AF64[1]);
      R32[2] = 0;
      R32[3] = 0;
      return;
    case 0xfd:
      R32[0] = truncSatU32(AF64[0]);
      R32[1] = truncSatU32(AF64[1]);
      R32[2] = 0;
      R32[3] = 0;
      return;
    case 0xfe:
      RF64[0] = A32[0];
      RF64[1] = A32[1];
      return;
    case 0xff:
      RF64[0] = AU32[0];
      RF64[1] = AU32[1];
      return;
    default:
      throw new FaygerError({
        code: 'INTERNAL',
        phase: 'execute',
        message: `unknown SIMD opcode 0x${sub.toString(16)}`,
      });
  }
}

/** Bytes read by each v128 load sub-opcode (0x00..0x0a, 0x5c, 0x5d). */
export const LOAD_BYTES: number[] = [16, 8, 8, 8, 8, 8, 8, 1, 2, 4, 8];
LOAD_BYTES[0x5c] = 4;
LOAD_BYTES[0x5d] = 8;

/** R = the v128 load `sub` (plain, extend, splat, zero forms) at `ea`, already bounds-checked. */
export function loadInto(sub: number, mem: WasmMemory, ea: number): void {
  const dv = mem.dv;
  const u8 = mem.u8;
  switch (sub) {
    case 0x00:
      W[8] = dv.getInt32(ea, true);
      W[9] = dv.getInt32(ea + 4, true);
      W[10] = dv.getInt32(ea + 8, true);
      W[11] = dv.getInt32(ea + 12, true);
      return;
    case 0x01:
    case 0x02:
      for (let i = 0; i < 8; i++) R16[i] = sub === 0x01 ? dv.getInt8(ea + i) : u8[ea + i];
      return;
    case 0x03:
    case 0x04:
      for (let i = 0; i < 4; i++)
        R32[i] = sub === 0x03 ? dv.getInt16(ea + 2 * i, true) : dv.getUint16(ea + 2 * i, true);
      return;
    case 0x05:
    case 0x06: {
      const x = dv.getInt32(ea, true),
        y = dv.getInt32(ea + 4, true);
      W[8] = x;
      W[9] = sub === 0x05 ? x >> 31 : 0;
      W[10] = y;
      W[11] = sub === 0x05 ? y >> 31 : 0;
      return;
    }
    case 0x07:
      W[8] = W[9] = W[10] = W[11] = Math.imul(u8[ea], 0x01010101);
      return;
    case 0x08:
      W[8] = W[9] = W[10] = W[11] = Math.imul(dv.getUint16(ea, true), 0x10001);
      return;
    case 0x09:
      W[8] = W[9] = W[10] = W[11] = dv.getInt32(ea, true);
      return;
    case 0x0a: {
      const lo = dv.getInt32(ea, true),
        hi = dv.getInt32(ea + 4, true);
      W[8] = lo;
      W[9] = hi;
      W[10] = lo;
      W[11] = hi;
      return;
    }
    case 0x5c:
      W[8] = dv.getInt32(ea, true);
      W[9] = 0;
      W[10] = 0;
      W[11] = 0;
      return;
    case 0x5d:
      W[8] = dv.getInt32(ea, true);
      W[9] = dv.getInt32(ea + 4, true);
      W[10] = 0;
      W[11] = 0;
      return;
    default:
      throw new FaygerError({
        code: 'INTERNAL',
        phase: 'execute',
        message: `unknown SIMD memory opcode 0x${sub.toString(16)}`,
      });
  }
}

/** load_lane (0x54..0x57): lane l of R = the bytes at `ea` (bounds-checked). */
export function loadLane(sub: number, u8: Uint8Array, ea: number, l: number): void {
  const size = 1 << (sub - 0x54);
  for (let i = 0; i < size; i++) RU8[l * size + i] = u8[ea + i];
}

/** store_lane (0x58..0x5b): the bytes at `ea` (bounds-checked) = lane l of A. */
export function storeLane(sub: number, u8: Uint8Array, ea: number, l: number): void {
  const size = 1 << (sub - 0x58);
  for (let i = 0; i < size; i++) u8[ea + i] = AU8[l * size + i];
}

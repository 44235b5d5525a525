import { Trap } from './trap.js';

/**
 * Rare numeric helpers kept out of the dispatch loop: i64 division, float/int conversions and rounding.
 * i64 values are passed as (lo, hi) int32 halves; results are written into `out` (a two-element Int32Array).
 */

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

export function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

export function fromBig(v: bigint, I32: Int32Array, at: number): void {
  I32[at] = Number(BigInt.asIntN(32, v));
  I32[at + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

export function i64DivS(I32: Int32Array, d: number, a: number, b: number): void {
  const bl = I32[b],
    bh = I32[b + 1];
  if (bl === 0 && bh === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
  const al = I32[a],
    ah = I32[a + 1];
  if (ah === -2147483648 && al === 0 && bl === -1 && bh === -1) throw new Trap('TRAP_INTEGER_OVERFLOW');
  // Fast path: both fit in 53 bits.
  if ((ah === 0 && al >= 0) || (ah === -1 && al < 0)) {
    if ((bh === 0 && bl >= 0) || (bh === -1 && bl < 0)) {
      const q = Math.trunc(al / bl);
      I32[d] = q | 0;
      I32[d + 1] = q < 0 ? -1 : 0;
      return;
    }
  }
  fromBig(toBig(al, ah) / toBig(bl, bh), I32, d);
}

export function i64DivU(I32: Int32Array, d: number, a: number, b: number): void {
  const bl = I32[b],
    bh = I32[b + 1];
  if (bl === 0 && bh === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
  const al = I32[a],
    ah = I32[a + 1];
  if (ah === 0 && bh === 0) {
    const q = Math.trunc((al >>> 0) / (bl >>> 0));
    I32[d] = q | 0;
    I32[d + 1] = 0;
    return;
  }
  fromBig(BigInt.asUintN(64, toBig(al, ah)) / BigInt.asUintN(64, toBig(bl, bh)), I32, d);
}

export function i64RemS(I32: Int32Array, d: number, a: number, b: number): void {
  const bl = I32[b],
    bh = I32[b + 1];
  if (bl === 0 && bh === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
  const al = I32[a],
    ah = I32[a + 1];
  if (bl === -1 && bh === -1) {
    I32[d] = 0;
    I32[d + 1] = 0;
    return;
  }
  fromBig(toBig(al, ah) % toBig(bl, bh), I32, d);
}

export function i64RemU(I32: Int32Array, d: number, a: number, b: number): void {
  const bl = I32[b],
    bh = I32[b + 1];
  if (bl === 0 && bh === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
  const al = I32[a],
    ah = I32[a + 1];
  if (ah === 0 && bh === 0) {
    const r = (al >>> 0) % (bl >>> 0);
    I32[d] = r | 0;
    I32[d + 1] = 0;
    return;
  }
  fromBig(BigInt.asUintN(64, toBig(al, ah)) % BigInt.asUintN(64, toBig(bl, bh)), I32, d);
}

export function i64Mul(I32: Int32Array, d: number, a: number, b: number): void {
  const al = I32[a],
    ah = I32[a + 1],
    bl = I32[b],
    bh = I32[b + 1];
  const a0 = al & 0xffff,
    a1 = al >>> 16,
    b0 = bl & 0xffff,
    b1 = bl >>> 16;
  const p00 = a0 * b0,
    p01 = a0 * b1,
    p10 = a1 * b0,
    p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const hiU = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  const lo = Math.imul(al, bl);
  const hi = (hiU + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
  I32[d] = lo;
  I32[d + 1] = hi;
}

export function nearest(x: number): number {
  if (x !== x) return NaN;
  if (x === 0 || !Number.isFinite(x)) return x;
  const r = Math.round(x);
  const v = r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return v === 0 && x < 0 ? -0 : v;
}

/** Writes an integral double (|x| < 2^64) as int64 halves. */
function writeI64(I32: Int32Array, d: number, x: number): void {
  const hi = Math.floor(x / TWO32);
  const lo = x - hi * TWO32;
  I32[d] = lo | 0;
  I32[d + 1] = hi | 0;
}

export function i64FromF64(x: number): bigint {
  return BigInt(Math.trunc(x));
}

/** float -> int truncations. kind: 0 i32_s, 1 i32_u, 2 i64_s, 3 i64_u. */
export function truncTrap(I32: Int32Array, d: number, x: number, kind: number): void {
  if (x !== x) throw new Trap('TRAP_INVALID_CONVERSION');
  const t = Math.trunc(x);
  switch (kind) {
    case 0:
      if (t < -2147483648 || t > 2147483647) throw new Trap('TRAP_INTEGER_OVERFLOW');
      I32[d] = t;
      return;
    case 1:
      if (t < 0 || t > 4294967295) throw new Trap('TRAP_INTEGER_OVERFLOW');
      I32[d] = t | 0;
      return;
    case 2:
      if (t < -TWO63 || t >= TWO63) throw new Trap('TRAP_INTEGER_OVERFLOW');
      writeI64(I32, d, t);
      return;
    default:
      if (t < 0 || t >= TWO64) throw new Trap('TRAP_INTEGER_OVERFLOW');
      writeI64(I32, d, t);
  }
}

export function truncSat(I32: Int32Array, d: number, x: number, kind: number): void {
  switch (kind) {
    case 0:
      I32[d] = x !== x ? 0 : x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x);
      return;
    case 1:
      I32[d] = x !== x || x <= 0 ? 0 : x >= 4294967295 ? -1 : Math.trunc(x) | 0;
      return;
    case 2:
      if (x !== x) writeI64(I32, d, 0);
      else if (x <= -TWO63) {
        I32[d] = 0;
        I32[d + 1] = -2147483648;
      } else if (x >= TWO63) {
        I32[d] = -1;
        I32[d + 1] = 2147483647;
      } else writeI64(I32, d, Math.trunc(x));
      return;
    default:
      if (x !== x || x <= 0) writeI64(I32, d, 0);
      else if (x >= TWO64) {
        I32[d] = -1;
        I32[d + 1] = -1;
      } else writeI64(I32, d, Math.trunc(x));
  }
}

export function i64ToF64(lo: number, hi: number, signed: boolean): number {
  return (signed ? hi : hi >>> 0) * TWO32 + (lo >>> 0);
}

/** i64 -> f32 with a single rounding (round-to-odd to 53 bits first avoids double rounding). */
export function i64ToF32(lo: number, hi: number, signed: boolean): number {
  let v = signed ? toBig(lo, hi) : BigInt.asUintN(64, toBig(lo, hi));
  const neg = v < 0n;
  if (neg) v = -v;
  const bits = v.toString(2).length;
  let r: number;
  if (bits <= 53) r = Number(v);
  else {
    const shift = BigInt(bits - 53);
    let m = v >> shift;
    if (m << shift !== v) m |= 1n;
    r = Number(m) * 2 ** Number(shift);
  }
  return Math.fround(neg ? -r : r);
}

export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

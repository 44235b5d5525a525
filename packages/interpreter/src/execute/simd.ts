import { FaygerError } from '@fayger/contracts';
import { X } from '../compile/exec-ops.js';
import { SIMD_BASE } from '../decode/opcodes.js';
import type { InstanceCtx, WasmMemory } from './objects.js';
import type { Machine } from './machine.js';
import { i64Mul, nearest } from './numeric.js';
import { Trap } from './trap.js';

/**
 * SIMD (v128) instructions, executed outside the hot loop. A v128 value takes two consecutive 8-byte slots: four
 * int32 words, little-endian lane order (lane k of an N-bit shape is bits k*N..k*N+N-1), so the bytes are exactly
 * the value's memory image. Operands are copied into a scratch buffer first: the destination may alias them.
 *
 * Layouts (operands after the opcode; slots pre-multiplied by 2 as in exec-ops.ts):
 *   unary dst a   binary dst a b   bitselect dst a b c   shift dst a n   splat dst x   extract dst a lane
 *   replace dst a x lane   load dst addr offset   store addr v offset   load_lane dst addr v offset lane
 *   store_lane addr v offset lane   shuffle dst a b l0..l15   V128_CONST dst w0..w3
 */

const S = new ArrayBuffer(64);
/** Words 0..3: A, 4..7: B, 8..11: result, 12..15: temp. */
const W = new Int32Array(S);
/** The scratch words, shared with @fayger/transpiler (through @fayger/interpreter/wasm) with the functions below. */
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

/** (Re)makes the memory's int32 view after a grow replaced its byte view. */
function words(mem: WasmMemory): Int32Array {
  const u8 = mem.u8;
  mem.i32 = new Int32Array(u8.buffer, 0, u8.length >> 2);
  mem.i32u8 = u8;
  return mem.i32;
}

function load(I32: Int32Array, s: number, w: number): void {
  W[w] = I32[s];
  W[w + 1] = I32[s + 1];
  W[w + 2] = I32[s + 2];
  W[w + 3] = I32[s + 3];
}

function store(I32: Int32Array, d: number): void {
  I32[d] = W[8];
  I32[d + 1] = W[9];
  I32[d + 2] = W[10];
  I32[d + 3] = W[11];
}

function address(
  I32: Int32Array,
  b: number,
  code: Int32Array,
  pc: number,
  addrAt: number,
  offsetAt: number,
  size: number,
  inst: InstanceCtx,
): number {
  const ea = (I32[b + code[pc + addrAt]] >>> 0) + (code[pc + offsetAt] >>> 0);
  if (ea + size > inst.memory!.u8.length) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
  return ea;
}

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
export function simdOp(inst: InstanceCtx, m: Machine, code: Int32Array, pc: number, b: number): number {
  const I32 = m.I32;
  const op = code[pc];
  // Frequent lane-wise ops straight on the value stack: lane i of the result depends only on lane i of the
  // operands, so writing lane by lane is safe even when the destination aliases an operand.
  switch (op) {
    case SIMD_BASE + 0x00: {
      const ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
      const mem = inst.memory!;
      if (ea + 16 > mem.u8.length) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
      const d = b + code[pc + 1];
      if ((ea & 3) === 0) {
        const M32 = mem.i32u8 === mem.u8 ? mem.i32! : words(mem);
        const w = ea >>> 2;
        I32[d] = M32[w];
        I32[d + 1] = M32[w + 1];
        I32[d + 2] = M32[w + 2];
        I32[d + 3] = M32[w + 3];
      } else {
        const dv = mem.dv;
        I32[d] = dv.getInt32(ea, true);
        I32[d + 1] = dv.getInt32(ea + 4, true);
        I32[d + 2] = dv.getInt32(ea + 8, true);
        I32[d + 3] = dv.getInt32(ea + 12, true);
      }
      return pc + 4;
    }
    case SIMD_BASE + 0x0b: {
      const ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
      const mem = inst.memory!;
      if (ea + 16 > mem.u8.length) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
      const s = b + code[pc + 2];
      if ((ea & 3) === 0) {
        const M32 = mem.i32u8 === mem.u8 ? mem.i32! : words(mem);
        const w = ea >>> 2;
        M32[w] = I32[s];
        M32[w + 1] = I32[s + 1];
        M32[w + 2] = I32[s + 2];
        M32[w + 3] = I32[s + 3];
      } else {
        const dv = mem.dv;
        dv.setInt32(ea, I32[s], true);
        dv.setInt32(ea + 4, I32[s + 1], true);
        dv.setInt32(ea + 8, I32[s + 2], true);
        dv.setInt32(ea + 12, I32[s + 3], true);
      }
      return pc + 4;
    }
    case SIMD_BASE + 0x0d: {
      // Shuffle: each result byte's source, compiled as a byte offset from the frame base; gathered into the
      // scratch first (lanes cross, the destination may alias an operand).
      const U8m = m.U8;
      const base = 4 * b;
      for (let i = 0; i < 16; i++) RU8[i] = U8m[base + code[pc + 4 + i]];
      store(I32, b + code[pc + 1]);
      return pc + 20;
    }
    case X.V128_CONST: {
      const d = b + code[pc + 1];
      I32[d] = code[pc + 2];
      I32[d + 1] = code[pc + 3];
      I32[d + 2] = code[pc + 4];
      I32[d + 3] = code[pc + 5];
      return pc + 6;
    }
    case SIMD_BASE + 0x10: {
      const v = Math.imul(I32[b + code[pc + 2]] & 0xffff, 0x10001),
        d = b + code[pc + 1];
      I32[d] = v;
      I32[d + 1] = v;
      I32[d + 2] = v;
      I32[d + 3] = v;
      return pc + 3;
    }
    case SIMD_BASE + 0x65:
    case SIMD_BASE + 0x66: {
      const I16 = m.I16;
      const x = 2 * (b + code[pc + 2]),
        y = 2 * (b + code[pc + 3]);
      if (op === SIMD_BASE + 0x66)
        for (let i = 0; i < 8; i++) {
          RU8[i] = satU8(I16[x + i]);
          RU8[i + 8] = satU8(I16[y + i]);
        }
      else
        for (let i = 0; i < 8; i++) {
          R8[i] = satS8(I16[x + i]);
          R8[i + 8] = satS8(I16[y + i]);
        }
      store(I32, b + code[pc + 1]);
      return pc + 4;
    }
    case SIMD_BASE + 0x4e: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2],
        y = b + code[pc + 3];
      for (let i = 0; i < 4; i++) I32[d + i] = I32[x + i] & I32[y + i];
      return pc + 4;
    }
    case SIMD_BASE + 0x50: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2],
        y = b + code[pc + 3];
      for (let i = 0; i < 4; i++) I32[d + i] = I32[x + i] | I32[y + i];
      return pc + 4;
    }
    case SIMD_BASE + 0x51: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2],
        y = b + code[pc + 3];
      for (let i = 0; i < 4; i++) I32[d + i] = I32[x + i] ^ I32[y + i];
      return pc + 4;
    }
    case SIMD_BASE + 0xae: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2],
        y = b + code[pc + 3];
      for (let i = 0; i < 4; i++) I32[d + i] = (I32[x + i] + I32[y + i]) | 0;
      return pc + 4;
    }
    case SIMD_BASE + 0xb1: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2],
        y = b + code[pc + 3];
      for (let i = 0; i < 4; i++) I32[d + i] = (I32[x + i] - I32[y + i]) | 0;
      return pc + 4;
    }
    case SIMD_BASE + 0xb5: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2],
        y = b + code[pc + 3];
      for (let i = 0; i < 4; i++) I32[d + i] = Math.imul(I32[x + i], I32[y + i]);
      return pc + 4;
    }
    case SIMD_BASE + 0xa0: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2];
      for (let i = 0; i < 4; i++) {
        const v = I32[x + i];
        I32[d + i] = v < 0 ? -v | 0 : v;
      }
      return pc + 3;
    }
    case SIMD_BASE + 0x8e:
    case SIMD_BASE + 0x91:
    case SIMD_BASE + 0x95: {
      const I16 = m.I16;
      const d = 2 * (b + code[pc + 1]),
        x = 2 * (b + code[pc + 2]),
        y = 2 * (b + code[pc + 3]);
      if (op === SIMD_BASE + 0x8e) for (let i = 0; i < 8; i++) I16[d + i] = I16[x + i] + I16[y + i];
      else if (op === SIMD_BASE + 0x91) for (let i = 0; i < 8; i++) I16[d + i] = I16[x + i] - I16[y + i];
      else for (let i = 0; i < 8; i++) I16[d + i] = Math.imul(I16[x + i], I16[y + i]);
      return pc + 4;
    }
    case SIMD_BASE + 0x6e:
    case SIMD_BASE + 0x71: {
      const I8 = m.I8;
      const d = 4 * (b + code[pc + 1]),
        x = 4 * (b + code[pc + 2]),
        y = 4 * (b + code[pc + 3]);
      if (op === SIMD_BASE + 0x6e) for (let i = 0; i < 16; i++) I8[d + i] = I8[x + i] + I8[y + i];
      else for (let i = 0; i < 16; i++) I8[d + i] = I8[x + i] - I8[y + i];
      return pc + 4;
    }
    case SIMD_BASE + 0x8b:
    case SIMD_BASE + 0x8c:
    case SIMD_BASE + 0x8d: {
      const d = 2 * (b + code[pc + 1]),
        x = 2 * (b + code[pc + 2]);
      const k = I32[b + code[pc + 3]] & 15;
      if (op === SIMD_BASE + 0x8d) {
        const U16 = m.U16;
        for (let i = 0; i < 8; i++) U16[d + i] = U16[x + i] >>> k;
      } else {
        const I16 = m.I16;
        if (op === SIMD_BASE + 0x8b) for (let i = 0; i < 8; i++) I16[d + i] = I16[x + i] << k;
        else for (let i = 0; i < 8; i++) I16[d + i] = I16[x + i] >> k;
      }
      return pc + 4;
    }
    case SIMD_BASE + 0xab:
    case SIMD_BASE + 0xac:
    case SIMD_BASE + 0xad: {
      const d = b + code[pc + 1],
        x = b + code[pc + 2];
      const k = I32[b + code[pc + 3]] & 31;
      if (op === SIMD_BASE + 0xab) for (let i = 0; i < 4; i++) I32[d + i] = I32[x + i] << k;
      else if (op === SIMD_BASE + 0xac) for (let i = 0; i < 4; i++) I32[d + i] = I32[x + i] >> k;
      else for (let i = 0; i < 4; i++) I32[d + i] = I32[x + i] >>> k;
      return pc + 4;
    }
    case SIMD_BASE + 0xe4:
    case SIMD_BASE + 0xe5:
    case SIMD_BASE + 0xe6:
    case SIMD_BASE + 0xe7: {
      const F32 = m.F32;
      const d = b + code[pc + 1],
        x = b + code[pc + 2],
        y = b + code[pc + 3];
      if (op === SIMD_BASE + 0xe4) for (let i = 0; i < 4; i++) F32[d + i] = F32[x + i] + F32[y + i];
      else if (op === SIMD_BASE + 0xe5) for (let i = 0; i < 4; i++) F32[d + i] = F32[x + i] - F32[y + i];
      else if (op === SIMD_BASE + 0xe6) for (let i = 0; i < 4; i++) F32[d + i] = F32[x + i] * F32[y + i];
      else for (let i = 0; i < 4; i++) F32[d + i] = F32[x + i] / F32[y + i];
      return pc + 4;
    }
    case SIMD_BASE + 0x11:
    case SIMD_BASE + 0x13: {
      const d = b + code[pc + 1];
      const v = I32[b + code[pc + 2]];
      I32[d] = v;
      I32[d + 1] = v;
      I32[d + 2] = v;
      I32[d + 3] = v;
      return pc + 3;
    }
    case SIMD_BASE + 0x1b:
    case SIMD_BASE + 0x1f:
      I32[b + code[pc + 1]] = I32[b + code[pc + 2] + code[pc + 3]];
      return pc + 4;
    case X.MOV_V128: {
      const d = b + code[pc + 1],
        s = b + code[pc + 2];
      I32[d] = I32[s];
      I32[d + 1] = I32[s + 1];
      I32[d + 2] = I32[s + 2];
      I32[d + 3] = I32[s + 3];
      return pc + 3;
    }
  }
  return simdRest(inst, m, code, pc, b);
}

/** The rest of the SIMD instructions (see simdOp). */
function simdRest(inst: InstanceCtx, m: Machine, code: Int32Array, pc: number, b: number): number {
  const I32 = m.I32;
  const op = code[pc];
  switch (op) {
    case X.MOV_V128: {
      const d = b + code[pc + 1],
        s = b + code[pc + 2];
      I32[d] = I32[s];
      I32[d + 1] = I32[s + 1];
      I32[d + 2] = I32[s + 2];
      I32[d + 3] = I32[s + 3];
      return pc + 3;
    }
    case X.SELECT_V128: {
      const s = b + (I32[b + code[pc + 4]] !== 0 ? code[pc + 2] : code[pc + 3]);
      const d = b + code[pc + 1];
      I32[d] = I32[s];
      I32[d + 1] = I32[s + 1];
      I32[d + 2] = I32[s + 2];
      I32[d + 3] = I32[s + 3];
      return pc + 5;
    }
    case X.GLOBAL_GET_V128: {
      const g = inst.globals[code[pc + 2]],
        d = b + code[pc + 1];
      I32[d] = g.lo;
      I32[d + 1] = g.hi;
      I32[d + 2] = g.w2;
      I32[d + 3] = g.w3;
      return pc + 3;
    }
    case X.GLOBAL_SET_V128: {
      const g = inst.globals[code[pc + 1]],
        s = b + code[pc + 2];
      g.lo = I32[s];
      g.hi = I32[s + 1];
      g.w2 = I32[s + 2];
      g.w3 = I32[s + 3];
      return pc + 3;
    }
    case X.V128_CONST: {
      const d = b + code[pc + 1];
      I32[d] = code[pc + 2];
      I32[d + 1] = code[pc + 3];
      I32[d + 2] = code[pc + 4];
      I32[d + 3] = code[pc + 5];
      return pc + 6;
    }
  }
  const sub = op - SIMD_BASE;
  if (sub < 0 || sub > 0xff) {
    throw new FaygerError({ code: 'INTERNAL', phase: 'execute', message: `unknown compiled opcode ${op} at ${pc}` });
  }
  // ---- memory ---------------------------------------------------------------------------------------------
  if (sub <= 0x0b || (sub >= 0x54 && sub <= 0x5d)) return simdMemory(inst, I32, code, pc, b, sub);
  const d = b + code[pc + 1];
  switch (sub) {
    // ---- splat / lanes (shuffle: simdOp) -------------------------------------------------------------------------
    case 0x0f: {
      const v = Math.imul(I32[b + code[pc + 2]] & 0xff, 0x01010101);
      I32[d] = v;
      I32[d + 1] = v;
      I32[d + 2] = v;
      I32[d + 3] = v;
      return pc + 3;
    }
    case 0x10: {
      const v = Math.imul(I32[b + code[pc + 2]] & 0xffff, 0x10001);
      I32[d] = v;
      I32[d + 1] = v;
      I32[d + 2] = v;
      I32[d + 3] = v;
      return pc + 3;
    }
    case 0x11:
    case 0x13: {
      const v = I32[b + code[pc + 2]];
      I32[d] = v;
      I32[d + 1] = v;
      I32[d + 2] = v;
      I32[d + 3] = v;
      return pc + 3;
    }
    case 0x12:
    case 0x14: {
      const s = b + code[pc + 2];
      const lo = I32[s],
        hi = I32[s + 1];
      I32[d] = lo;
      I32[d + 1] = hi;
      I32[d + 2] = lo;
      I32[d + 3] = hi;
      return pc + 3;
    }
    case 0x15:
    case 0x16:
    case 0x18:
    case 0x19:
    case 0x1b:
    case 0x1d:
    case 0x1f:
    case 0x21: {
      load(I32, b + code[pc + 2], 0);
      const l = code[pc + 3];
      if (sub === 0x15) I32[d] = A8[l];
      else if (sub === 0x16) I32[d] = AU8[l];
      else if (sub === 0x18) I32[d] = A16[l];
      else if (sub === 0x19) I32[d] = AU16[l];
      else if (sub === 0x1b || sub === 0x1f) I32[d] = A32[l];
      else {
        I32[d] = A32[2 * l];
        I32[d + 1] = A32[2 * l + 1];
      }
      return pc + 4;
    }
    case 0x17:
    case 0x1a:
    case 0x1c:
    case 0x1e:
    case 0x20:
    case 0x22: {
      load(I32, b + code[pc + 2], 8);
      const x = b + code[pc + 3];
      replaceLane(sub, code[pc + 4], I32[x], I32[x + 1]);
      store(I32, d);
      return pc + 5;
    }
    case 0x52: {
      load(I32, b + code[pc + 2], 0);
      load(I32, b + code[pc + 3], 4);
      load(I32, b + code[pc + 4], 12);
      for (let i = 0; i < 4; i++) W[8 + i] = (W[i] & W[12 + i]) | (W[4 + i] & ~W[12 + i]);
      store(I32, d);
      return pc + 5;
    }
    // ---- v128 -> i32 tests ----------------------------------------------------------------------------------
    case 0x53:
    case 0x63:
    case 0x64:
    case 0x83:
    case 0x84:
    case 0xa3:
    case 0xa4:
    case 0xc3:
    case 0xc4: {
      load(I32, b + code[pc + 2], 0);
      I32[d] = test(sub);
      return pc + 3;
    }
    // ---- shifts ---------------------------------------------------------------------------------------------
    case 0x6b:
    case 0x6c:
    case 0x6d:
    case 0x8b:
    case 0x8c:
    case 0x8d:
    case 0xab:
    case 0xac:
    case 0xad:
    case 0xcb:
    case 0xcc:
    case 0xcd: {
      load(I32, b + code[pc + 2], 0);
      shiftLanes(sub, I32[b + code[pc + 3]]);
      store(I32, d);
      return pc + 4;
    }
  }
  // ---- lane-wise unary (dst a) and binary (dst a b) ops ----------------------------------------------------
  load(I32, b + code[pc + 2], 0);
  const unary = UNARY[sub] === 1;
  if (!unary) load(I32, b + code[pc + 3], 4);
  lanewise(sub);
  store(I32, d);
  return unary ? pc + 3 : pc + 4;
}

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

const UNARY: number[] = [];
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

/** Loads and stores, including lane, splat, zero and extend forms. */
function simdMemory(inst: InstanceCtx, I32: Int32Array, code: Int32Array, pc: number, b: number, sub: number): number {
  const mem = inst.memory!;
  if (sub === 0x0b) {
    const ea = address(I32, b, code, pc, 1, 3, 16, inst);
    const s = b + code[pc + 2];
    const dv = mem.dv;
    dv.setInt32(ea, I32[s], true);
    dv.setInt32(ea + 4, I32[s + 1], true);
    dv.setInt32(ea + 8, I32[s + 2], true);
    dv.setInt32(ea + 12, I32[s + 3], true);
    return pc + 4;
  }
  if (sub >= 0x58 && sub <= 0x5b) {
    // store_lane: addr v offset lane
    const ea = address(I32, b, code, pc, 1, 3, 1 << (sub - 0x58), inst);
    load(I32, b + code[pc + 2], 0);
    storeLane(sub, mem.u8, ea, code[pc + 4]);
    return pc + 5;
  }
  if (sub >= 0x54 && sub <= 0x57) {
    // load_lane: dst addr v offset lane
    const ea = address(I32, b, code, pc, 2, 4, 1 << (sub - 0x54), inst);
    load(I32, b + code[pc + 3], 8);
    loadLane(sub, mem.u8, ea, code[pc + 5]);
    store(I32, b + code[pc + 1]);
    return pc + 6;
  }
  // Loads: dst addr offset.
  const ea = address(I32, b, code, pc, 2, 3, LOAD_BYTES[sub], inst);
  loadInto(sub, mem, ea);
  store(I32, b + code[pc + 1]);
  return pc + 4;
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

import { FaygerError } from '@fayger/contracts';
import {
  SIMD_BASE,
  SIMD_LOAD_BYTES as LOAD_BYTES,
  SIMD_UNARY as UNARY,
  SIMD_W as W,
  simdLanewise as lanewise,
  simdLoadInto as loadInto,
  simdLoadLane as loadLane,
  simdReplaceLane as replaceLane,
  simdShift as shiftLanes,
  simdStoreLane as storeLane,
  simdTest as test,
  Trap,
} from '@fayger/wasm';
import { X } from '../compile/exec-ops.js';
import type { InstanceCtx, WasmMemory } from './objects.js';
import type { Machine } from './machine.js';

/**
 * SIMD (v128) instructions, executed outside the hot loop. A v128 value takes two consecutive 8-byte slots: four
 * int32 words, little-endian lane order (lane k of an N-bit shape is bits k*N..k*N+N-1), so the bytes are exactly
 * the value's memory image. Operands are copied into a scratch buffer first: the destination may alias them.
 *
 * Layouts (operands after the opcode; slots pre-multiplied by 2 as in exec-ops.ts):
 *   unary dst a   binary dst a b   bitselect dst a b c   shift dst a n   splat dst x   extract dst a lane
 *   replace dst a x lane   load dst addr offset   store addr v offset   load_lane dst addr v offset lane
 *   store_lane addr v offset lane   shuffle dst a b l0..l15   V128_CONST dst w0..w3
 *
 * The lane operations are @fayger/wasm's (shared with the transpiler): they compute on its scratch words W
 * (A 0..3, B 4..7, R 8..11), which the views below alias.
 */

const S = W.buffer;
const A8 = new Int8Array(S, 0, 16);
const AU8 = new Uint8Array(S, 0, 16);
const R8 = new Int8Array(S, 32, 16);
const RU8 = new Uint8Array(S, 32, 16);
const A16 = new Int16Array(S, 0, 8);
const AU16 = new Uint16Array(S, 0, 8);
const A32 = new Int32Array(S, 0, 4);

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

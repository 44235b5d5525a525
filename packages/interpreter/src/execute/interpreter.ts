import { X } from '../compile/exec-ops.js';
import {
  bulkFuel,
  prepareFunction,
  type InstanceCtx,
  type WasmFunction,
  type WasmGlobal,
  type WasmMemory,
  type WasmTable,
} from './objects.js';
import { Trap } from '@fayger/wasm';
import {
  ctz32,
  i64DivS,
  i64DivU,
  i64Mul,
  i64RemS,
  i64RemU,
  i64ToF32,
  i64ToF64,
  nearest,
  popcnt32,
  truncSat,
  truncTrap,
} from '@fayger/wasm';
import { rareOp } from './rare-ops.js';
import { simdOp } from './simd.js';
import { SIMD_BASE } from '@fayger/wasm';
import { callHost } from './host-call.js';
import type { LoopState } from './loop-state.js';

export type { LoopState } from './loop-state.js';

export const DONE = 0;
export const OUT_OF_FUEL = 1;
export const WAITING = 2;

const EMPTY_DV = new DataView(new ArrayBuffer(0));
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_I32 = new Int32Array(0);
/**
 * Aligned 4-byte accesses go through an Int32Array over the memory (a keyed access: far cheaper than a DataView
 * call under an interpreter such as `node --jitless`, and no slower with the JIT), the rest through the DataView.
 * An Int32Array reads in the host's byte order, so on a big-endian host LE0 is 4, which `ea & 3` never equals,
 * and every access takes the DataView path.
 */
const LE0 = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 4;

/** (Re)makes the memory's int32 view after a grow replaced its byte view (the view SIMD accesses share). */
function memWords(mem: WasmMemory): Int32Array {
  const u8 = mem.u8;
  mem.i32 = new Int32Array(u8.buffer, 0, u8.length >> 2);
  mem.i32u8 = u8;
  return mem.i32;
}

/** Out of fuel (the cold path of every FUEL point): records where the call stopped, its pc at the FUEL op. */
function park(st: LoopState, pc: number, b: number, depth: number, fn: WasmFunction, fuel: number): number {
  st.pc = pc;
  st.b = b;
  st.depth = depth;
  st.fn = fn;
  st.fuel = fuel;
  return OUT_OF_FUEL;
}

/**
 * The dispatch loop. Guest calls and returns only move between frames of `machine`; the JS stack does not
 * grow with guest recursion. Returns DONE (results at slot 0..), OUT_OF_FUEL (pc at the FUEL op) or WAITING.
 */
export function run(st: LoopState): number {
  const m = st.machine;
  let I32 = m.I32;
  let F32 = m.F32;
  let F64 = m.F64;
  let refs = m.refs;
  const fpc = m.fpc;
  const fb = m.fb;
  const ffn = m.ffn as WasmFunction[];
  let fn = st.fn;
  let inst = fn.inst as InstanceCtx;
  let code = inst.compiled.code;
  let funcs = inst.funcs;
  let globals: WasmGlobal[] = inst.globals;
  let mem = inst.memory;
  let dv = mem === null ? EMPTY_DV : mem.dv;
  let memLen = dv.byteLength;
  // Byte and aligned-word views of the memory (see memWords): a typed-array access costs less than a DataView call.
  let u8 = mem === null ? EMPTY_U8 : mem.u8;
  let m32 = mem === null ? EMPTY_I32 : mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
  let pc = st.pc;
  let b = st.b;
  let depth = st.depth;
  let fuel = st.fuel;
  const maxDepth = st.maxDepth;
  /** m.hw: slots below it are within m.cap and already recorded as used (see Machine.reach). */
  let hw = m.hw;
  // Scratch variables of the cases below, declared once here. Ignition (the bytecode interpreter that runs this
  // loop under `node --jitless`) gives every block-scoped `const` of a function its own register; with the cases'
  // own ~250 of them this function needed 300 registers, so the dispatch switch's temporaries sat above r255 and
  // every bytecode touching them took a Wide prefix (one more handler each). Shared, it needs 76.
  let cost = 0,
    x = 0,
    n = 0,
    d = 0,
    xl = 0,
    yl = 0,
    lo = 0,
    hi = 0,
    al = 0,
    ah = 0,
    bl = 0,
    bh = 0,
    a0 = 0,
    a1 = 0,
    b0 = 0,
    b1 = 0,
    p01 = 0,
    p10 = 0,
    mid = 0,
    hiU = 0,
    h = 0,
    a = 0,
    t = 0,
    i = 0,
    s = 0,
    g: WasmGlobal,
    callee: WasmFunction | null,
    nb = 0,
    e = 0,
    table: WasmTable,
    idx = 0,
    ea = 0,
    op = 0,
    size = 0,
    v = 0,
    delta = 0,
    r = 0,
    y = 0,
    xh = 0,
    yh = 0,
    c = 0,
    l = 0,
    k = 0,
    nh = 0;
  try {
    for (;;) {
      switch (code[pc]) {
        // ---- control -------------------------------------------------------------------------------
        case X.FUEL: {
          cost = code[pc + 1];
          fuel -= cost;
          if (fuel < 0) {
            fuel += cost;
            return park(st, pc, b, depth, fn, fuel);
          }
          pc += 2;
          break;
        }
        case X.BR:
          pc = code[pc + 1];
          break;
        case X.BR_IF:
          pc = I32[b + code[pc + 1]] !== 0 ? code[pc + 2] : pc + 3;
          break;
        case X.BR_UNLESS:
          pc = I32[b + code[pc + 1]] === 0 ? code[pc + 2] : pc + 3;
          break;
        case X.BR_IF_EQZ:
          pc = I32[b + code[pc + 1]] === 0 ? code[pc + 2] : pc + 3;
          break;
        case X.BR_IF_EQ:
          pc = I32[b + code[pc + 1]] === I32[b + code[pc + 2]] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_NE:
          pc = I32[b + code[pc + 1]] !== I32[b + code[pc + 2]] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LT_S:
          pc = I32[b + code[pc + 1]] < I32[b + code[pc + 2]] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LT_U:
          pc = I32[b + code[pc + 1]] >>> 0 < I32[b + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GT_S:
          pc = I32[b + code[pc + 1]] > I32[b + code[pc + 2]] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GT_U:
          pc = I32[b + code[pc + 1]] >>> 0 > I32[b + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LE_S:
          pc = I32[b + code[pc + 1]] <= I32[b + code[pc + 2]] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LE_U:
          pc = I32[b + code[pc + 1]] >>> 0 <= I32[b + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GE_S:
          pc = I32[b + code[pc + 1]] >= I32[b + code[pc + 2]] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GE_U:
          pc = I32[b + code[pc + 1]] >>> 0 >= I32[b + code[pc + 2]] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.I32_ADD_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          pc += 4;
          break;
        case X.I32_MUL_IMM:
          I32[b + code[pc + 1]] = Math.imul(I32[b + code[pc + 2]], code[pc + 3]);
          pc += 4;
          break;
        case X.I32_AND_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] & code[pc + 3];
          pc += 4;
          break;
        case X.I32_OR_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] | code[pc + 3];
          pc += 4;
          break;
        case X.I32_XOR_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] ^ code[pc + 3];
          pc += 4;
          break;
        case X.I32_SHL_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] << code[pc + 3];
          pc += 4;
          break;
        case X.I32_SHR_S_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >> code[pc + 3];
          pc += 4;
          break;
        case X.I32_SHR_U_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> code[pc + 3];
          pc += 4;
          break;
        case X.I32_ROTL_IMM: {
          x = I32[b + code[pc + 2]];
          n = code[pc + 3];
          I32[b + code[pc + 1]] = (x << n) | (x >>> (32 - n));
          pc += 4;
          break;
        }
        case X.I64_ADD_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          xl = I32[x];
          yl = code[pc + 3];
          lo = (xl + yl) | 0;
          hi = (I32[x + 1] + code[pc + 4] + (lo >>> 0 < xl >>> 0 ? 1 : 0)) | 0;
          I32[d] = lo;
          I32[d + 1] = hi;
          pc += 5;
          break;
        }
        case X.I64_MUL_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          al = I32[x];
          ah = I32[x + 1];
          bl = code[pc + 3];
          bh = code[pc + 4];
          a0 = al & 0xffff;
          a1 = al >>> 16;
          b0 = bl & 0xffff;
          b1 = bl >>> 16;
          p01 = a0 * b1;
          p10 = a1 * b0;
          mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
          hiU = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
          I32[d] = Math.imul(al, bl);
          I32[d + 1] = (hiU + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
          pc += 5;
          break;
        }
        case X.I64_AND_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          h = I32[x + 1] & code[pc + 4];
          I32[d] = I32[x] & code[pc + 3];
          I32[d + 1] = h;
          pc += 5;
          break;
        }
        case X.I64_OR_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          h = I32[x + 1] | code[pc + 4];
          I32[d] = I32[x] | code[pc + 3];
          I32[d + 1] = h;
          pc += 5;
          break;
        }
        case X.I64_XOR_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          h = I32[x + 1] ^ code[pc + 4];
          I32[d] = I32[x] ^ code[pc + 3];
          I32[d + 1] = h;
          pc += 5;
          break;
        }
        case X.F64_ADD_MUL:
          F64[(b + code[pc + 1]) >> 1] =
            F64[(b + code[pc + 2]) >> 1] + F64[(b + code[pc + 3]) >> 1] * F64[(b + code[pc + 4]) >> 1];
          pc += 5;
          break;
        case X.I32_ADD_SHL:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + (I32[b + code[pc + 3]] << code[pc + 4])) | 0;
          pc += 5;
          break;
        case X.I32_MUL_ADD:
          I32[b + code[pc + 1]] = (Math.imul(I32[b + code[pc + 2]], I32[b + code[pc + 3]]) + I32[b + code[pc + 4]]) | 0;
          pc += 5;
          break;
        case X.I32_MUL_IMM_ADD_IMM:
          I32[b + code[pc + 1]] = (Math.imul(I32[b + code[pc + 2]], code[pc + 3]) + code[pc + 4]) | 0;
          pc += 5;
          break;
        case X.I32_XOR_SHR_U:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] ^ (I32[b + code[pc + 3]] >>> code[pc + 4]);
          pc += 5;
          break;
        case X.I32_XOR_SHL:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] ^ (I32[b + code[pc + 3]] << code[pc + 4]);
          pc += 5;
          break;
        case X.I32_ADD_ROTL: {
          x = I32[b + code[pc + 3]];
          n = code[pc + 4];
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + ((x << n) | (x >>> (32 - n)))) | 0;
          pc += 5;
          break;
        }
        case X.I32_XOR_ROTL: {
          x = I32[b + code[pc + 3]];
          n = code[pc + 4];
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] ^ ((x << n) | (x >>> (32 - n)));
          pc += 5;
          break;
        }
        case X.F64_MUL_ADD:
          F64[(b + code[pc + 1]) >> 1] =
            F64[(b + code[pc + 2]) >> 1] * F64[(b + code[pc + 3]) >> 1] + F64[(b + code[pc + 4]) >> 1];
          pc += 5;
          break;
        // i64 shifts by a constant n in 0..63.
        case X.I64_SHL_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          n = code[pc + 3];
          lo = I32[x];
          hi = I32[x + 1];
          if (n >= 32) {
            I32[d + 1] = lo << (n - 32);
            I32[d] = 0;
          } else if (n !== 0) {
            I32[d + 1] = (hi << n) | (lo >>> (32 - n));
            I32[d] = lo << n;
          } else {
            I32[d] = lo;
            I32[d + 1] = hi;
          }
          pc += 4;
          break;
        }
        case X.I64_SHR_S_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          n = code[pc + 3];
          lo = I32[x];
          hi = I32[x + 1];
          if (n >= 32) {
            I32[d] = hi >> (n - 32);
            I32[d + 1] = hi >> 31;
          } else if (n !== 0) {
            I32[d] = (lo >>> n) | (hi << (32 - n));
            I32[d + 1] = hi >> n;
          } else {
            I32[d] = lo;
            I32[d + 1] = hi;
          }
          pc += 4;
          break;
        }
        case X.I64_SHR_U_IMM: {
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          n = code[pc + 3];
          lo = I32[x];
          hi = I32[x + 1];
          if (n >= 32) {
            I32[d] = hi >>> (n - 32);
            I32[d + 1] = 0;
          } else if (n !== 0) {
            I32[d] = (lo >>> n) | (hi << (32 - n));
            I32[d + 1] = hi >>> n;
          } else {
            I32[d] = lo;
            I32[d + 1] = hi;
          }
          pc += 4;
          break;
        }
        case X.I32_SHL_ADD_IMM:
          I32[b + code[pc + 1]] = ((I32[b + code[pc + 2]] << code[pc + 3]) + code[pc + 4]) | 0;
          pc += 5;
          break;
        // i64.xor of a constant shift (n in 0..63).
        case X.I64_XOR_SHR_U_IMM: {
          x = b + code[pc + 3];
          a = b + code[pc + 2];
          d = b + code[pc + 1];
          n = code[pc + 4];
          lo = I32[x];
          hi = I32[x + 1];
          if (n >= 32) {
            lo = hi >>> (n - 32);
            hi = 0;
          } else if (n !== 0) {
            lo = (lo >>> n) | (hi << (32 - n));
            hi = hi >>> n;
          }
          ah = I32[a + 1];
          I32[d] = I32[a] ^ lo;
          I32[d + 1] = ah ^ hi;
          pc += 5;
          break;
        }
        case X.I64_XOR_SHL_IMM: {
          x = b + code[pc + 3];
          a = b + code[pc + 2];
          d = b + code[pc + 1];
          n = code[pc + 4];
          lo = I32[x];
          hi = I32[x + 1];
          if (n >= 32) {
            hi = lo << (n - 32);
            lo = 0;
          } else if (n !== 0) {
            hi = (hi << n) | (lo >>> (32 - n));
            lo = lo << n;
          }
          ah = I32[a + 1];
          I32[d] = I32[a] ^ lo;
          I32[d + 1] = ah ^ hi;
          pc += 5;
          break;
        }
        case X.BR_LOOP: {
          t = code[pc + 1];
          cost = code[t - 1];
          fuel -= cost;
          if (fuel < 0) {
            // Stop exactly where the loop header's FUEL op would have: at that op, its cost not charged.
            fuel += cost;
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = t;
          break;
        }
        // Back edges folded with a test (compile.ts jumpTo / br_if to a loop): the header FUEL is charged
        // exactly as BR_LOOP does, so fuel stops at the same points.
        case X.I32_ADD_IMM_LOOP_GE_U: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          t = code[pc + 4];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] >>> 0 >= I32[b + code[t + 2]] >>> 0 ? code[t + 3] : t + 4;
          break;
        }
        case X.I32_ADD_IMM_LOOP_GE_S: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          t = code[pc + 4];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] >= I32[b + code[t + 2]] ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_EQZ: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] === 0 ? code[t + 2] : t + 3;
          break;
        }
        case X.BR_LOOP_IF: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] !== 0 ? code[t + 2] : t + 3;
          break;
        }
        case X.BR_LOOP_UNLESS: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] === 0 ? code[t + 2] : t + 3;
          break;
        }
        case X.BR_LOOP_EQ: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] === I32[b + code[t + 2]] ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_NE: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] !== I32[b + code[t + 2]] ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_LT_S: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] < I32[b + code[t + 2]] ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_LT_U: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] >>> 0 < I32[b + code[t + 2]] >>> 0 ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_GT_S: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] > I32[b + code[t + 2]] ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_GT_U: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] >>> 0 > I32[b + code[t + 2]] >>> 0 ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_LE_S: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] <= I32[b + code[t + 2]] ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_LE_U: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] >>> 0 <= I32[b + code[t + 2]] >>> 0 ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_GE_S: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] >= I32[b + code[t + 2]] ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_LOOP_GE_U: {
          t = code[pc + 1];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = I32[b + code[t + 1]] >>> 0 >= I32[b + code[t + 2]] >>> 0 ? code[t + 3] : t + 4;
          break;
        }
        case X.BR_IF_LOOP_EQZ: {
          if (I32[b + code[pc + 1]] === 0) {
            t = code[pc + 2];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 3;
          }
          break;
        }
        case X.BR_IF_LOOP: {
          if (I32[b + code[pc + 1]] !== 0) {
            t = code[pc + 2];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 3;
          }
          break;
        }
        case X.BR_IF_LOOP_EQ: {
          if (I32[b + code[pc + 1]] === I32[b + code[pc + 2]]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_NE: {
          if (I32[b + code[pc + 1]] !== I32[b + code[pc + 2]]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LT_S: {
          if (I32[b + code[pc + 1]] < I32[b + code[pc + 2]]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LT_U: {
          if (I32[b + code[pc + 1]] >>> 0 < I32[b + code[pc + 2]] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GT_S: {
          if (I32[b + code[pc + 1]] > I32[b + code[pc + 2]]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GT_U: {
          if (I32[b + code[pc + 1]] >>> 0 > I32[b + code[pc + 2]] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LE_S: {
          if (I32[b + code[pc + 1]] <= I32[b + code[pc + 2]]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LE_U: {
          if (I32[b + code[pc + 1]] >>> 0 <= I32[b + code[pc + 2]] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GE_S: {
          if (I32[b + code[pc + 1]] >= I32[b + code[pc + 2]]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GE_U: {
          if (I32[b + code[pc + 1]] >>> 0 >= I32[b + code[pc + 2]] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        // Comparisons with a constant on the right (compile.ts mirrors a constant left operand).
        case X.I32_EQ_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] === code[pc + 3] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_NE_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] !== code[pc + 3] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LT_S_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] < code[pc + 3] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LT_U_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 < code[pc + 3] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GT_S_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] > code[pc + 3] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GT_U_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 > code[pc + 3] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LE_S_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] <= code[pc + 3] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LE_U_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 <= code[pc + 3] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GE_S_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >= code[pc + 3] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GE_U_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 >= code[pc + 3] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.BR_IF_EQ_IMM:
          pc = I32[b + code[pc + 1]] === code[pc + 2] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_NE_IMM:
          pc = I32[b + code[pc + 1]] !== code[pc + 2] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LT_S_IMM:
          pc = I32[b + code[pc + 1]] < code[pc + 2] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LT_U_IMM:
          pc = I32[b + code[pc + 1]] >>> 0 < code[pc + 2] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GT_S_IMM:
          pc = I32[b + code[pc + 1]] > code[pc + 2] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GT_U_IMM:
          pc = I32[b + code[pc + 1]] >>> 0 > code[pc + 2] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LE_S_IMM:
          pc = I32[b + code[pc + 1]] <= code[pc + 2] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LE_U_IMM:
          pc = I32[b + code[pc + 1]] >>> 0 <= code[pc + 2] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GE_S_IMM:
          pc = I32[b + code[pc + 1]] >= code[pc + 2] ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_GE_U_IMM:
          pc = I32[b + code[pc + 1]] >>> 0 >= code[pc + 2] >>> 0 ? code[pc + 3] : pc + 4;
          break;
        case X.BR_IF_LOOP_EQ_IMM: {
          if (I32[b + code[pc + 1]] === code[pc + 2]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_NE_IMM: {
          if (I32[b + code[pc + 1]] !== code[pc + 2]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LT_S_IMM: {
          if (I32[b + code[pc + 1]] < code[pc + 2]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LT_U_IMM: {
          if (I32[b + code[pc + 1]] >>> 0 < code[pc + 2] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GT_S_IMM: {
          if (I32[b + code[pc + 1]] > code[pc + 2]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GT_U_IMM: {
          if (I32[b + code[pc + 1]] >>> 0 > code[pc + 2] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LE_S_IMM: {
          if (I32[b + code[pc + 1]] <= code[pc + 2]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_LE_U_IMM: {
          if (I32[b + code[pc + 1]] >>> 0 <= code[pc + 2] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GE_S_IMM: {
          if (I32[b + code[pc + 1]] >= code[pc + 2]) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        case X.BR_IF_LOOP_GE_U_IMM: {
          if (I32[b + code[pc + 1]] >>> 0 >= code[pc + 2] >>> 0) {
            t = code[pc + 3];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 4;
          }
          break;
        }
        // A loop step (i32.add of a constant) and the conditional back edge after it, as the two ops would run.
        case X.ADD_IMM_BR_IF_LOOP: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          if (I32[b + code[pc + 4]] !== 0) {
            t = code[pc + 5];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 6;
          }
          break;
        }
        case X.ADD_IMM_BR_IF_LOOP_NE: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          if (I32[b + code[pc + 4]] !== I32[b + code[pc + 5]]) {
            t = code[pc + 6];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 7;
          }
          break;
        }
        case X.ADD_IMM_BR_IF_LOOP_LT_U: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          if (I32[b + code[pc + 4]] >>> 0 < I32[b + code[pc + 5]] >>> 0) {
            t = code[pc + 6];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 7;
          }
          break;
        }
        case X.ADD_IMM_BR_IF_LOOP_LT_S: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          if (I32[b + code[pc + 4]] < I32[b + code[pc + 5]]) {
            t = code[pc + 6];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 7;
          }
          break;
        }
        case X.ADD_IMM_BR_IF_LOOP_NE_IMM: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          if (I32[b + code[pc + 4]] !== code[pc + 5]) {
            t = code[pc + 6];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 7;
          }
          break;
        }
        case X.ADD_IMM_BR_IF_LOOP_LT_U_IMM: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          if (I32[b + code[pc + 4]] >>> 0 < code[pc + 5] >>> 0) {
            t = code[pc + 6];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 7;
          }
          break;
        }
        case X.ADD_IMM_BR_IF_LOOP_LT_S_IMM: {
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          if (I32[b + code[pc + 4]] < code[pc + 5]) {
            t = code[pc + 6];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 7;
          }
          break;
        }
        case X.BR_TABLE: {
          n = code[pc + 2];
          i = I32[b + code[pc + 1]] >>> 0;
          pc = code[pc + 3 + (i < n ? i : n)];
          break;
        }
        // ---- pairs of adjacent ops in one dispatch (see pairOps): A's operands, B's opcode word, B's operands
        case X.MOV_MOV:
          d = b + code[pc + 1];
          s = b + code[pc + 2];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          d = b + code[pc + 4];
          s = b + code[pc + 5];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          pc += 6;
          break;
        case X.ADD_ADD:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          I32[b + code[pc + 5]] = (I32[b + code[pc + 6]] + I32[b + code[pc + 7]]) | 0;
          pc += 8;
          break;
        case X.ADD_ADD_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          I32[b + code[pc + 5]] = (I32[b + code[pc + 6]] + code[pc + 7]) | 0;
          pc += 8;
          break;
        case X.ADD_STORE8_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          ea = (I32[b + code[pc + 5]] >>> 0) + (code[pc + 7] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          u8[ea] = code[pc + 6];
          pc += 8;
          break;
        case X.ADD_BR_IF_LOOP_LT_U_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          if (I32[b + code[pc + 5]] >>> 0 < code[pc + 6] >>> 0) {
            t = code[pc + 7];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 8;
          }
          break;
        case X.ADD_IMM_LOAD_ADD_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          ea = ((I32[b + code[pc + 6]] + code[pc + 7]) >>> 0) + (code[pc + 8] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 5]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 9;
          break;
        case X.ADD_IMM_ADD_IMM_BR_IF_LOOP_NE:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          I32[b + code[pc + 5]] = (I32[b + code[pc + 6]] + code[pc + 7]) | 0;
          if (I32[b + code[pc + 8]] !== I32[b + code[pc + 9]]) {
            t = code[pc + 10];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 11;
          }
          break;
        case X.SHL_IMM_ADD_IMM:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] << code[pc + 3];
          I32[b + code[pc + 5]] = (I32[b + code[pc + 6]] + code[pc + 7]) | 0;
          pc += 8;
          break;
        case X.STORE8_ADD_IMM:
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          u8[ea] = I32[b + code[pc + 2]];
          I32[b + code[pc + 5]] = (I32[b + code[pc + 6]] + code[pc + 7]) | 0;
          pc += 8;
          break;
        case X.LOAD8_U_STORE8:
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          ea = (I32[b + code[pc + 5]] >>> 0) + (code[pc + 7] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          u8[ea] = I32[b + code[pc + 6]];
          pc += 8;
          break;
        case X.ADD_LOAD_ADD_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          ea = ((I32[b + code[pc + 6]] + code[pc + 7]) >>> 0) + (code[pc + 8] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 5]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 9;
          break;
        case X.LOAD_ADD_IMM_LOAD8_U_ADD_IMM:
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          ea = ((I32[b + code[pc + 7]] + code[pc + 8]) >>> 0) + (code[pc + 9] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 6]] = u8[ea];
          pc += 10;
          break;
        case X.LOAD8_U_ADD_IMM_BR_TABLE:
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          n = code[pc + 7];
          i = I32[b + code[pc + 6]] >>> 0;
          pc = code[pc + 8 + (i < n ? i : n)];
          break;
        case X.SHL_ADD_IMM_LOAD:
          I32[b + code[pc + 1]] = ((I32[b + code[pc + 2]] << code[pc + 3]) + code[pc + 4]) | 0;
          ea = (I32[b + code[pc + 7]] >>> 0) + (code[pc + 8] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 6]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 9;
          break;
        case X.F64_LOAD_ADD_IMM_F64_LOAD_ADD:
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          ea = ((I32[b + code[pc + 7]] + I32[b + code[pc + 8]]) >>> 0) + (code[pc + 9] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 6];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 10;
          break;
        case X.F64_MUL_F64_LOAD:
          F64[(b + code[pc + 1]) >> 1] = F64[(b + code[pc + 2]) >> 1] * F64[(b + code[pc + 3]) >> 1];
          ea = (I32[b + code[pc + 6]] >>> 0) + (code[pc + 7] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 5];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 8;
          break;
        case X.F64_LOAD_F64_MUL_ADD:
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          F64[(b + code[pc + 5]) >> 1] =
            F64[(b + code[pc + 6]) >> 1] * F64[(b + code[pc + 7]) >> 1] + F64[(b + code[pc + 8]) >> 1];
          pc += 9;
          break;
        case X.F64_ADD_ADD:
          F64[(b + code[pc + 1]) >> 1] = F64[(b + code[pc + 2]) >> 1] + F64[(b + code[pc + 3]) >> 1];
          I32[b + code[pc + 5]] = (I32[b + code[pc + 6]] + I32[b + code[pc + 7]]) | 0;
          pc += 8;
          break;
        case X.ROTL_XOR_ROTL:
          x = I32[b + code[pc + 2]];
          n = code[pc + 3];
          I32[b + code[pc + 1]] = (x << n) | (x >>> (32 - n));
          x = I32[b + code[pc + 7]];
          n = code[pc + 8];
          I32[b + code[pc + 5]] = I32[b + code[pc + 6]] ^ ((x << n) | (x >>> (32 - n)));
          pc += 9;
          break;
        case X.ROTL_XOR_ROTL_XOR_ROTL:
          x = I32[b + code[pc + 2]];
          n = code[pc + 3];
          I32[b + code[pc + 1]] = (x << n) | (x >>> (32 - n));
          x = I32[b + code[pc + 7]];
          n = code[pc + 8];
          I32[b + code[pc + 5]] = I32[b + code[pc + 6]] ^ ((x << n) | (x >>> (32 - n)));
          x = I32[b + code[pc + 12]];
          n = code[pc + 13];
          I32[b + code[pc + 10]] = I32[b + code[pc + 11]] ^ ((x << n) | (x >>> (32 - n)));
          pc += 14;
          break;
        case X.ROTL_XOR_ROTL_XOR_SHR_U:
          x = I32[b + code[pc + 2]];
          n = code[pc + 3];
          I32[b + code[pc + 1]] = (x << n) | (x >>> (32 - n));
          x = I32[b + code[pc + 7]];
          n = code[pc + 8];
          I32[b + code[pc + 5]] = I32[b + code[pc + 6]] ^ ((x << n) | (x >>> (32 - n)));
          I32[b + code[pc + 10]] = I32[b + code[pc + 11]] ^ (I32[b + code[pc + 12]] >>> code[pc + 13]);
          pc += 14;
          break;
        case X.AND_ADD:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] & I32[b + code[pc + 3]];
          I32[b + code[pc + 5]] = (I32[b + code[pc + 6]] + I32[b + code[pc + 7]]) | 0;
          pc += 8;
          break;
        case X.LOAD8_U_ADD_ADD:
          ea = ((I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          I32[b + code[pc + 6]] = (I32[b + code[pc + 7]] + I32[b + code[pc + 8]]) | 0;
          pc += 9;
          break;
        case X.LOAD8_U_ADD_IMM_BR_IF_EQ:
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          pc = I32[b + code[pc + 6]] === I32[b + code[pc + 7]] ? code[pc + 8] : pc + 9;
          break;
        case X.ADD_IMM_BR_IF_GT_U_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          pc = I32[b + code[pc + 5]] >>> 0 > code[pc + 6] >>> 0 ? code[pc + 7] : pc + 8;
          break;
        case X.MOV_ADD_IMM_BR_IF_LOOP_LT_U:
          d = b + code[pc + 1];
          s = b + code[pc + 2];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          I32[b + code[pc + 4]] = (I32[b + code[pc + 5]] + code[pc + 6]) | 0;
          if (I32[b + code[pc + 7]] >>> 0 < I32[b + code[pc + 8]] >>> 0) {
            t = code[pc + 9];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 10;
          }
          break;
        case X.XOR_AND:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] ^ I32[b + code[pc + 3]];
          I32[b + code[pc + 5]] = I32[b + code[pc + 6]] & I32[b + code[pc + 7]];
          pc += 8;
          break;
        case X.AND_XOR:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] & I32[b + code[pc + 3]];
          I32[b + code[pc + 5]] = I32[b + code[pc + 6]] ^ I32[b + code[pc + 7]];
          pc += 8;
          break;
        case X.ADD_BR_IF_EQ_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          pc = I32[b + code[pc + 5]] === code[pc + 6] ? code[pc + 7] : pc + 8;
          break;
        case X.LOAD_ADD_ADD_IMM:
          ea = ((I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          I32[b + code[pc + 6]] = (I32[b + code[pc + 7]] + code[pc + 8]) | 0;
          pc += 9;
          break;
        case X.AND_IMM_BR_IF_EQZ:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] & code[pc + 3];
          pc = I32[b + code[pc + 5]] === 0 ? code[pc + 6] : pc + 7;
          break;
        case X.ADD_IMM_BR_IF_NE_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          pc = I32[b + code[pc + 5]] !== code[pc + 6] ? code[pc + 7] : pc + 8;
          break;
        case X.LOAD8_U_ADD_BR_LOOP:
          ea = ((I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          t = code[pc + 6];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = t;
          break;
        case X.ADD_IMM_BR_LOOP:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + code[pc + 3]) | 0;
          t = code[pc + 5];
          if ((fuel -= code[t - 1]) < 0) {
            fuel += code[t - 1];
            return park(st, t - 2, b, depth, fn, fuel);
          }
          pc = t;
          break;
        case X.ADD_STORE8_IMM_ADD_BR_IF_LOOP_LT_U_IMM:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          ea = (I32[b + code[pc + 5]] >>> 0) + (code[pc + 7] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          u8[ea] = code[pc + 6];
          I32[b + code[pc + 9]] = (I32[b + code[pc + 10]] + I32[b + code[pc + 11]]) | 0;
          if (I32[b + code[pc + 13]] >>> 0 < code[pc + 14] >>> 0) {
            t = code[pc + 15];
            if ((fuel -= code[t - 1]) < 0) {
              fuel += code[t - 1];
              return park(st, t - 2, b, depth, fn, fuel);
            }
            pc = t;
          } else {
            pc += 16;
          }
          break;
        case X.MOV4:
          d = b + code[pc + 1];
          s = b + code[pc + 2];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          d = b + code[pc + 4];
          s = b + code[pc + 5];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          d = b + code[pc + 7];
          s = b + code[pc + 8];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          d = b + code[pc + 10];
          s = b + code[pc + 11];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          pc += 12;
          break;
        case X.MOV: {
          d = b + code[pc + 1];
          s = b + code[pc + 2];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          pc += 3;
          break;
        }
        case X.MOV_REF:
          refs[(b + code[pc + 1]) >> 1] = refs[(b + code[pc + 2]) >> 1];
          pc += 3;
          break;
        case X.CONST32:
          I32[b + code[pc + 1]] = code[pc + 2];
          pc += 3;
          break;
        case X.CONST64: {
          d = b + code[pc + 1];
          I32[d] = code[pc + 2];
          I32[d + 1] = code[pc + 3];
          pc += 4;
          break;
        }
        case X.SELECT: {
          s = b + (I32[b + code[pc + 4]] !== 0 ? code[pc + 2] : code[pc + 3]);
          d = b + code[pc + 1];
          I32[d] = I32[s];
          I32[d + 1] = I32[s + 1];
          pc += 5;
          break;
        }
        case X.SELECT_REF: {
          s = b + (I32[b + code[pc + 4]] !== 0 ? code[pc + 2] : code[pc + 3]);
          refs[(b + code[pc + 1]) >> 1] = refs[s >> 1];
          pc += 5;
          break;
        }
        case X.GLOBAL_GET: {
          g = globals[code[pc + 2]];
          d = b + code[pc + 1];
          I32[d] = g.lo;
          I32[d + 1] = g.hi;
          pc += 3;
          break;
        }
        case X.GLOBAL_SET: {
          g = globals[code[pc + 1]];
          s = b + code[pc + 2];
          g.lo = I32[s];
          g.hi = I32[s + 1];
          pc += 3;
          break;
        }
        case X.CALL: {
          callee = funcs[code[pc + 1]];
          nb = b + code[pc + 2];
          if (callee.host !== null) {
            pc += 3;
            st.pc = pc;
            st.b = b;
            st.depth = depth;
            st.fn = fn;
            st.fuel = fuel;
            if (callHost(st, callee, nb, inst)) return WAITING;
            fuel = st.fuel;
            I32 = m.I32;
            F32 = m.F32;
            F64 = m.F64;
            refs = m.refs;
            if (mem !== null) {
              dv = mem.dv;
              memLen = dv.byteLength;
              u8 = mem.u8;
              m32 = mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
            }
            // The host may have run guest code that compiled functions and grew the code buffer.
            code = inst.compiled.code;
            break;
          }
          if (depth >= maxDepth) throw new Trap('TRAP_CALL_STACK_EXHAUSTED', { depth });
          fpc[depth] = pc + 3;
          fb[depth] = b;
          ffn[depth] = fn;
          depth++;
          if (depth > st.maxDepthReached) st.maxDepthReached = depth;
          b = nb;
          fn = callee;
          if ((b >> 1) + callee.frameSize > hw) {
            if (!m.reach((b >> 1) + callee.frameSize)) throw new Trap('TRAP_CALL_STACK_EXHAUSTED', { depth });
            hw = m.hw;
            I32 = m.I32;
            F32 = m.F32;
            F64 = m.F64;
            refs = m.refs;
          }
          for (i = b + 2 * callee.nParams, e = b + 2 * callee.nLocals; i < e; i++) I32[i] = 0;
          if (callee.hasRefLocals)
            for (i = (b >> 1) + callee.nParams, e = (b >> 1) + callee.nLocals; i < e; i++) refs[i] = null;
          if (callee.inst !== inst) {
            inst = callee.inst as InstanceCtx;
            code = inst.compiled.code;
            funcs = inst.funcs;
            globals = inst.globals;
            mem = inst.memory;
            dv = mem === null ? EMPTY_DV : mem.dv;
            memLen = dv.byteLength;
            u8 = mem === null ? EMPTY_U8 : mem.u8;
            m32 = mem === null ? EMPTY_I32 : mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
          }
          pc = callee.entry;
          break;
        }
        case X.CALL_INDIRECT: {
          table = inst.tables[code[pc + 2]];
          idx = I32[b + code[pc + 3]] >>> 0;
          if (idx >= table.elements.length) throw new Trap('TRAP_TABLE_OUT_OF_BOUNDS', { index: idx });
          callee = table.elements[idx] as WasmFunction | null;
          if (callee === null) throw new Trap('TRAP_UNINITIALIZED_ELEMENT', { index: idx });
          if (callee.sig !== code[pc + 1]) throw new Trap('TRAP_INDIRECT_CALL_TYPE_MISMATCH', { index: idx });
          nb = b + code[pc + 4];
          if (callee.host !== null) {
            pc += 5;
            st.pc = pc;
            st.b = b;
            st.depth = depth;
            st.fn = fn;
            st.fuel = fuel;
            if (callHost(st, callee, nb, inst)) return WAITING;
            fuel = st.fuel;
            I32 = m.I32;
            F32 = m.F32;
            F64 = m.F64;
            refs = m.refs;
            if (mem !== null) {
              dv = mem.dv;
              memLen = dv.byteLength;
              u8 = mem.u8;
              m32 = mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
            }
            // The host may have run guest code that compiled functions and grew the code buffer.
            code = inst.compiled.code;
            break;
          }
          if (depth >= maxDepth) throw new Trap('TRAP_CALL_STACK_EXHAUSTED', { depth });
          fpc[depth] = pc + 5;
          fb[depth] = b;
          ffn[depth] = fn;
          depth++;
          if (depth > st.maxDepthReached) st.maxDepthReached = depth;
          b = nb;
          fn = callee;
          if ((b >> 1) + callee.frameSize > hw) {
            if (!m.reach((b >> 1) + callee.frameSize)) throw new Trap('TRAP_CALL_STACK_EXHAUSTED', { depth });
            hw = m.hw;
            I32 = m.I32;
            F32 = m.F32;
            F64 = m.F64;
            refs = m.refs;
          }
          for (i = b + 2 * callee.nParams, e = b + 2 * callee.nLocals; i < e; i++) I32[i] = 0;
          if (callee.hasRefLocals)
            for (i = (b >> 1) + callee.nParams, e = (b >> 1) + callee.nLocals; i < e; i++) refs[i] = null;
          if (callee.inst !== inst) {
            inst = callee.inst as InstanceCtx;
            code = inst.compiled.code;
            funcs = inst.funcs;
            globals = inst.globals;
            mem = inst.memory;
            dv = mem === null ? EMPTY_DV : mem.dv;
            memLen = dv.byteLength;
            u8 = mem === null ? EMPTY_U8 : mem.u8;
            m32 = mem === null ? EMPTY_I32 : mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
          }
          pc = callee.entry;
          break;
        }
        case X.RET: {
          s = b + code[pc + 1];
          n = code[pc + 2];
          for (i = 0; i < n; i++) {
            I32[b + 2 * i] = I32[s + 2 * i];
            I32[b + 2 * i + 1] = I32[s + 2 * i + 1];
            refs[(b >> 1) + i] = refs[(s >> 1) + i];
          }
          if (depth === 0) {
            st.b = b;
            st.fuel = fuel;
            st.depth = 0;
            st.fn = fn;
            return DONE;
          }
          depth--;
          pc = fpc[depth];
          b = fb[depth];
          fn = ffn[depth];
          if (fn.inst !== inst) {
            inst = fn.inst as InstanceCtx;
            code = inst.compiled.code;
            funcs = inst.funcs;
            globals = inst.globals;
            mem = inst.memory;
          }
          if (mem !== null) {
            dv = mem.dv;
            memLen = dv.byteLength;
            u8 = mem === null ? EMPTY_U8 : mem.u8;
            m32 = mem === null ? EMPTY_I32 : mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
          }
          break;
        }
        case X.RET0: {
          if (depth === 0) {
            st.b = b;
            st.fuel = fuel;
            st.depth = 0;
            st.fn = fn;
            return DONE;
          }
          depth--;
          pc = fpc[depth];
          b = fb[depth];
          fn = ffn[depth];
          if (fn.inst !== inst) {
            inst = fn.inst as InstanceCtx;
            code = inst.compiled.code;
            funcs = inst.funcs;
            globals = inst.globals;
            mem = inst.memory;
          }
          if (mem !== null) {
            dv = mem.dv;
            memLen = dv.byteLength;
            u8 = mem === null ? EMPTY_U8 : mem.u8;
            m32 = mem === null ? EMPTY_I32 : mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
          }
          break;
        }
        case X.RET1: {
          s = b + code[pc + 1];
          I32[b] = I32[s];
          I32[b + 1] = I32[s + 1];
          if (depth === 0) {
            st.b = b;
            st.fuel = fuel;
            st.depth = 0;
            st.fn = fn;
            return DONE;
          }
          depth--;
          pc = fpc[depth];
          b = fb[depth];
          fn = ffn[depth];
          if (fn.inst !== inst) {
            inst = fn.inst as InstanceCtx;
            code = inst.compiled.code;
            funcs = inst.funcs;
            globals = inst.globals;
            mem = inst.memory;
          }
          if (mem !== null) {
            dv = mem.dv;
            memLen = dv.byteLength;
            u8 = mem === null ? EMPTY_U8 : mem.u8;
            m32 = mem === null ? EMPTY_I32 : mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
          }
          break;
        }
        case X.UNREACHABLE:
          throw new Trap('TRAP_UNREACHABLE');
        case X.LAZY: {
          // First call of a function not compiled yet: its entry is this stub at 0 of the module's code.
          prepareFunction(fn);
          code = inst.compiled.code;
          if ((b >> 1) + fn.frameSize > hw) {
            if (!m.reach((b >> 1) + fn.frameSize)) throw new Trap('TRAP_CALL_STACK_EXHAUSTED', { depth });
            hw = m.hw;
            I32 = m.I32;
            F32 = m.F32;
            F64 = m.F64;
            refs = m.refs;
          }
          pc = fn.entry;
          break;
        }

        // ---- memory --------------------------------------------------------------------------------
        case 0x28:
        case 0x2a: {
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 4;
          break;
        }
        case X.I32_LOAD_SHL: {
          ea = ((I32[b + code[pc + 2]] << code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 5;
          break;
        }
        case X.F64_LOAD_SHL: {
          ea = ((I32[b + code[pc + 2]] << code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 5;
          break;
        }
        case X.I32_LOAD_MAD_SHL: {
          ea =
            (((Math.imul(I32[b + code[pc + 2]], I32[b + code[pc + 3]]) + I32[b + code[pc + 4]]) << code[pc + 5]) >>>
              0) +
            (code[pc + 6] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 7;
          break;
        }
        case X.F64_LOAD_MAD_SHL: {
          ea =
            (((Math.imul(I32[b + code[pc + 2]], I32[b + code[pc + 3]]) + I32[b + code[pc + 4]]) << code[pc + 5]) >>>
              0) +
            (code[pc + 6] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 7;
          break;
        }
        case X.I32_LOAD_ADD_SHL: {
          ea = (((I32[b + code[pc + 2]] + (I32[b + code[pc + 3]] << code[pc + 4])) | 0) >>> 0) + (code[pc + 5] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 6;
          break;
        }
        case X.F64_LOAD_ADD_SHL: {
          ea = (((I32[b + code[pc + 2]] + (I32[b + code[pc + 3]] << code[pc + 4])) | 0) >>> 0) + (code[pc + 5] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 6;
          break;
        }
        case 0x29:
        case 0x2b: {
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 4;
          break;
        }
        case 0x2c: {
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (u8[ea] << 24) >> 24;
          pc += 4;
          break;
        }
        case 0x2d: {
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          pc += 4;
          break;
        }
        case 0x2e:
        case 0x2f: {
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 2 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = code[pc] === 0x2e ? dv.getInt16(ea, true) : dv.getUint16(ea, true);
          pc += 4;
          break;
        }
        case 0x30:
        case 0x31:
        case 0x32:
        case 0x33:
        case 0x34:
        case 0x35: {
          op = code[pc];
          ea = (I32[b + code[pc + 2]] >>> 0) + (code[pc + 3] >>> 0);
          size = op < 0x32 ? 1 : op < 0x34 ? 2 : 4;
          if (ea + size > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          v =
            op === 0x30
              ? (u8[ea] << 24) >> 24
              : op === 0x31
                ? u8[ea]
                : op === 0x32
                  ? dv.getInt16(ea, true)
                  : op === 0x33
                    ? dv.getUint16(ea, true)
                    : dv.getInt32(ea, true);
          d = b + code[pc + 1];
          I32[d] = v;
          I32[d + 1] = (op & 1) === 0 ? v >> 31 : 0;
          pc += 4;
          break;
        }
        case 0x36:
        case 0x38:
        case 0x3e: {
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          if ((ea & 3) === LE0) m32[ea >>> 2] = I32[b + code[pc + 2]];
          else dv.setInt32(ea, I32[b + code[pc + 2]], true);
          pc += 4;
          break;
        }
        case 0x37:
        case 0x39: {
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          s = b + code[pc + 2];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            m32[x] = I32[s];
            m32[x + 1] = I32[s + 1];
          } else {
            dv.setInt32(ea, I32[s], true);
            dv.setInt32(ea + 4, I32[s + 1], true);
          }
          pc += 4;
          break;
        }
        case 0x3a:
        case 0x3c: {
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          u8[ea] = I32[b + code[pc + 2]];
          pc += 4;
          break;
        }
        case 0x3b:
        case 0x3d: {
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 2 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          dv.setInt16(ea, I32[b + code[pc + 2]], true);
          pc += 4;
          break;
        }
        // Loads of base + k / base + index (the i32.add wraps, then the offset is added without wrapping).
        case X.I32_LOAD_ADD_IMM: {
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 5;
          break;
        }
        case X.F64_LOAD_ADD_IMM: {
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 5;
          break;
        }
        case X.I32_LOAD8_S_ADD_IMM: {
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (u8[ea] << 24) >> 24;
          pc += 5;
          break;
        }
        case X.I32_LOAD8_U_ADD_IMM: {
          ea = ((I32[b + code[pc + 2]] + code[pc + 3]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          pc += 5;
          break;
        }
        case X.I32_LOAD_ADD: {
          ea = ((I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (ea & 3) === LE0 ? m32[ea >>> 2] : dv.getInt32(ea, true);
          pc += 5;
          break;
        }
        case X.F64_LOAD_ADD: {
          ea = ((I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 8 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          d = b + code[pc + 1];
          if ((ea & 3) === LE0) {
            x = ea >>> 2;
            I32[d] = m32[x];
            I32[d + 1] = m32[x + 1];
          } else {
            I32[d] = dv.getInt32(ea, true);
            I32[d + 1] = dv.getInt32(ea + 4, true);
          }
          pc += 5;
          break;
        }
        case X.I32_LOAD8_S_ADD: {
          ea = ((I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = (u8[ea] << 24) >> 24;
          pc += 5;
          break;
        }
        case X.I32_LOAD8_U_ADD: {
          ea = ((I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) >>> 0) + (code[pc + 4] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          I32[b + code[pc + 1]] = u8[ea];
          pc += 5;
          break;
        }
        case X.I32_STORE_IMM: {
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 4 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          if ((ea & 3) === LE0) m32[ea >>> 2] = code[pc + 2];
          else dv.setInt32(ea, code[pc + 2], true);
          pc += 4;
          break;
        }
        case X.I32_STORE8_IMM: {
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 1 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          u8[ea] = code[pc + 2];
          pc += 4;
          break;
        }
        case X.I32_STORE16_IMM: {
          ea = (I32[b + code[pc + 1]] >>> 0) + (code[pc + 3] >>> 0);
          if (ea + 2 > memLen) throw new Trap('TRAP_MEMORY_OUT_OF_BOUNDS', { address: ea });
          dv.setInt16(ea, code[pc + 2], true);
          pc += 4;
          break;
        }
        case X.MEMORY_SIZE:
          I32[b + code[pc + 1]] = memLen / 65536;
          pc += 2;
          break;
        case X.MEMORY_GROW: {
          delta = I32[b + code[pc + 2]] >>> 0;
          r = mem!.grow(delta);
          I32[b + code[pc + 1]] = r;
          dv = mem!.dv;
          memLen = dv.byteLength;
          u8 = mem!.u8;
          m32 = mem!.i32u8 === mem!.u8 ? mem!.i32! : memWords(mem!);
          // Bulk work (the new pages) costs fuel per byte; a negative balance stops at the next fuel point.
          if (r >= 0) fuel -= bulkFuel(delta * 65536);
          pc += 3;
          break;
        }

        // ---- i32 -----------------------------------------------------------------------------------
        case 0x45:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] === 0 ? 1 : 0;
          pc += 3;
          break;
        case 0x46:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] === I32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x47:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] !== I32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x48:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] < I32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x49:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 < I32[b + code[pc + 3]] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case 0x4a:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] > I32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x4b:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 > I32[b + code[pc + 3]] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case 0x4c:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] <= I32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x4d:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 <= I32[b + code[pc + 3]] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case 0x4e:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >= I32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x4f:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0 >= I32[b + code[pc + 3]] >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case 0x67:
          I32[b + code[pc + 1]] = Math.clz32(I32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x68:
          I32[b + code[pc + 1]] = ctz32(I32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x69:
          I32[b + code[pc + 1]] = popcnt32(I32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x6a:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] + I32[b + code[pc + 3]]) | 0;
          pc += 4;
          break;
        case 0x6b:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] - I32[b + code[pc + 3]]) | 0;
          pc += 4;
          break;
        case 0x6c:
          I32[b + code[pc + 1]] = Math.imul(I32[b + code[pc + 2]], I32[b + code[pc + 3]]);
          pc += 4;
          break;
        case 0x6d: {
          x = I32[b + code[pc + 2]];
          y = I32[b + code[pc + 3]];
          if (y === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
          if (x === -2147483648 && y === -1) throw new Trap('TRAP_INTEGER_OVERFLOW');
          I32[b + code[pc + 1]] = (x / y) | 0;
          pc += 4;
          break;
        }
        case 0x6e: {
          y = I32[b + code[pc + 3]] >>> 0;
          if (y === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
          I32[b + code[pc + 1]] = ((I32[b + code[pc + 2]] >>> 0) / y) | 0;
          pc += 4;
          break;
        }
        case 0x6f: {
          y = I32[b + code[pc + 3]];
          if (y === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] % y) | 0;
          pc += 4;
          break;
        }
        case 0x70: {
          y = I32[b + code[pc + 3]] >>> 0;
          if (y === 0) throw new Trap('TRAP_INTEGER_DIVIDE_BY_ZERO');
          I32[b + code[pc + 1]] = ((I32[b + code[pc + 2]] >>> 0) % y) | 0;
          pc += 4;
          break;
        }
        case 0x71:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] & I32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x72:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] | I32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x73:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] ^ I32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x74:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] << I32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x75:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >> I32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x76:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> I32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x77: {
          x = I32[b + code[pc + 2]];
          n = I32[b + code[pc + 3]] & 31;
          I32[b + code[pc + 1]] = (x << n) | (x >>> (32 - n));
          pc += 4;
          break;
        }
        case 0x78: {
          x = I32[b + code[pc + 2]];
          n = I32[b + code[pc + 3]] & 31;
          I32[b + code[pc + 1]] = (x >>> n) | (x << (32 - n));
          pc += 4;
          break;
        }

        // ---- i64 (two int32 halves; every input is read before the first write) ---------------------
        case 0x50: {
          a = b + code[pc + 2];
          I32[b + code[pc + 1]] = (I32[a] | I32[a + 1]) === 0 ? 1 : 0;
          pc += 3;
          break;
        }
        case 0x51: {
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          I32[b + code[pc + 1]] = I32[x] === I32[y] && I32[x + 1] === I32[y + 1] ? 1 : 0;
          pc += 4;
          break;
        }
        case 0x52: {
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          I32[b + code[pc + 1]] = I32[x] !== I32[y] || I32[x + 1] !== I32[y + 1] ? 1 : 0;
          pc += 4;
          break;
        }
        case 0x53:
        case 0x54:
        case 0x55:
        case 0x56:
        case 0x57:
        case 0x58:
        case 0x59:
        case 0x5a: {
          op = code[pc];
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          xh = I32[x + 1];
          yh = I32[y + 1];
          // -1, 0, 1
          if (xh !== yh) {
            c = (op & 1) === 1 ? (xh < yh ? -1 : 1) : xh >>> 0 < yh >>> 0 ? -1 : 1;
          } else {
            xl = I32[x] >>> 0;
            yl = I32[y] >>> 0;
            c = xl < yl ? -1 : xl > yl ? 1 : 0;
          }
          // 0x53 lt_s 0x54 lt_u 0x55 gt_s 0x56 gt_u 0x57 le_s 0x58 le_u 0x59 ge_s 0x5a ge_u
          I32[b + code[pc + 1]] = (op <= 0x54 ? c < 0 : op <= 0x56 ? c > 0 : op <= 0x58 ? c <= 0 : c >= 0) ? 1 : 0;
          pc += 4;
          break;
        }
        case 0x79: {
          a = b + code[pc + 2];
          d = b + code[pc + 1];
          h = I32[a + 1];
          I32[d] = h !== 0 ? Math.clz32(h) : 32 + Math.clz32(I32[a]);
          I32[d + 1] = 0;
          pc += 3;
          break;
        }
        case 0x7a: {
          a = b + code[pc + 2];
          d = b + code[pc + 1];
          l = I32[a];
          I32[d] = l !== 0 ? ctz32(l) : 32 + ctz32(I32[a + 1]);
          I32[d + 1] = 0;
          pc += 3;
          break;
        }
        case 0x7b: {
          a = b + code[pc + 2];
          d = b + code[pc + 1];
          I32[d] = popcnt32(I32[a]) + popcnt32(I32[a + 1]);
          I32[d + 1] = 0;
          pc += 3;
          break;
        }
        case 0x7c: {
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          d = b + code[pc + 1];
          xl = I32[x];
          yl = I32[y];
          lo = (xl + yl) | 0;
          hi = (I32[x + 1] + I32[y + 1] + (lo >>> 0 < xl >>> 0 ? 1 : 0)) | 0;
          I32[d] = lo;
          I32[d + 1] = hi;
          pc += 4;
          break;
        }
        case 0x7d: {
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          d = b + code[pc + 1];
          xl = I32[x];
          yl = I32[y];
          hi = (I32[x + 1] - I32[y + 1] - (xl >>> 0 < yl >>> 0 ? 1 : 0)) | 0;
          I32[d] = (xl - yl) | 0;
          I32[d + 1] = hi;
          pc += 4;
          break;
        }
        case 0x7e:
          i64Mul(I32, b + code[pc + 1], b + code[pc + 2], b + code[pc + 3]);
          pc += 4;
          break;
        case 0x7f:
          i64DivS(I32, b + code[pc + 1], b + code[pc + 2], b + code[pc + 3]);
          pc += 4;
          break;
        case 0x80:
          i64DivU(I32, b + code[pc + 1], b + code[pc + 2], b + code[pc + 3]);
          pc += 4;
          break;
        case 0x81:
          i64RemS(I32, b + code[pc + 1], b + code[pc + 2], b + code[pc + 3]);
          pc += 4;
          break;
        case 0x82:
          i64RemU(I32, b + code[pc + 1], b + code[pc + 2], b + code[pc + 3]);
          pc += 4;
          break;
        case 0x83: {
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          d = b + code[pc + 1];
          h = I32[x + 1] & I32[y + 1];
          I32[d] = I32[x] & I32[y];
          I32[d + 1] = h;
          pc += 4;
          break;
        }
        case 0x84: {
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          d = b + code[pc + 1];
          h = I32[x + 1] | I32[y + 1];
          I32[d] = I32[x] | I32[y];
          I32[d + 1] = h;
          pc += 4;
          break;
        }
        case 0x85: {
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          d = b + code[pc + 1];
          h = I32[x + 1] ^ I32[y + 1];
          I32[d] = I32[x] ^ I32[y];
          I32[d + 1] = h;
          pc += 4;
          break;
        }
        case 0x86:
        case 0x87:
        case 0x88:
        case 0x89:
        case 0x8a: {
          op = code[pc];
          x = b + code[pc + 2];
          d = b + code[pc + 1];
          n = I32[b + code[pc + 3]] & 63;
          lo = I32[x];
          hi = I32[x + 1];
          if (op === 0x86) {
            // shl
            if (n >= 32) {
              hi = lo << (n - 32);
              lo = 0;
            } else if (n !== 0) {
              hi = (hi << n) | (lo >>> (32 - n));
              lo = lo << n;
            }
          } else if (op === 0x87) {
            // shr_s
            if (n >= 32) {
              lo = hi >> (n - 32);
              hi = hi >> 31;
            } else if (n !== 0) {
              lo = (lo >>> n) | (hi << (32 - n));
              hi = hi >> n;
            }
          } else if (op === 0x88) {
            // shr_u
            if (n >= 32) {
              lo = hi >>> (n - 32);
              hi = 0;
            } else if (n !== 0) {
              lo = (lo >>> n) | (hi << (32 - n));
              hi = hi >>> n;
            }
          } else {
            // rotl / rotr: rotr by n is rotl by 64 - n
            k = op === 0x89 ? n : (64 - n) & 63;
            if (k >= 32) {
              t = lo;
              lo = hi;
              hi = t;
              k -= 32;
            }
            if (k !== 0) {
              nh = (hi << k) | (lo >>> (32 - k));
              lo = (lo << k) | (hi >>> (32 - k));
              hi = nh;
            }
          }
          I32[d] = lo;
          I32[d + 1] = hi;
          pc += 4;
          break;
        }

        // ---- f32 / f64 ---------------------------------------------------------------------------
        case 0x5b:
          I32[b + code[pc + 1]] = F32[b + code[pc + 2]] === F32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x5c:
          I32[b + code[pc + 1]] = F32[b + code[pc + 2]] !== F32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x5d:
          I32[b + code[pc + 1]] = F32[b + code[pc + 2]] < F32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x5e:
          I32[b + code[pc + 1]] = F32[b + code[pc + 2]] > F32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x5f:
          I32[b + code[pc + 1]] = F32[b + code[pc + 2]] <= F32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x60:
          I32[b + code[pc + 1]] = F32[b + code[pc + 2]] >= F32[b + code[pc + 3]] ? 1 : 0;
          pc += 4;
          break;
        case 0x61:
          I32[b + code[pc + 1]] = F64[(b + code[pc + 2]) >> 1] === F64[(b + code[pc + 3]) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case 0x62:
          I32[b + code[pc + 1]] = F64[(b + code[pc + 2]) >> 1] !== F64[(b + code[pc + 3]) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case 0x63:
          I32[b + code[pc + 1]] = F64[(b + code[pc + 2]) >> 1] < F64[(b + code[pc + 3]) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case 0x64:
          I32[b + code[pc + 1]] = F64[(b + code[pc + 2]) >> 1] > F64[(b + code[pc + 3]) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case 0x65:
          I32[b + code[pc + 1]] = F64[(b + code[pc + 2]) >> 1] <= F64[(b + code[pc + 3]) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case 0x66:
          I32[b + code[pc + 1]] = F64[(b + code[pc + 2]) >> 1] >= F64[(b + code[pc + 3]) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case 0x8b:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] & 0x7fffffff;
          pc += 3;
          break;
        case 0x8c:
          I32[b + code[pc + 1]] = I32[b + code[pc + 2]] ^ -0x80000000;
          pc += 3;
          break;
        case 0x8d:
          F32[b + code[pc + 1]] = Math.ceil(F32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x8e:
          F32[b + code[pc + 1]] = Math.floor(F32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x8f:
          F32[b + code[pc + 1]] = Math.trunc(F32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x90:
          F32[b + code[pc + 1]] = nearest(F32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x91:
          F32[b + code[pc + 1]] = Math.sqrt(F32[b + code[pc + 2]]);
          pc += 3;
          break;
        case 0x92:
          F32[b + code[pc + 1]] = F32[b + code[pc + 2]] + F32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x93:
          F32[b + code[pc + 1]] = F32[b + code[pc + 2]] - F32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x94:
          F32[b + code[pc + 1]] = F32[b + code[pc + 2]] * F32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x95:
          F32[b + code[pc + 1]] = F32[b + code[pc + 2]] / F32[b + code[pc + 3]];
          pc += 4;
          break;
        case 0x96:
          F32[b + code[pc + 1]] = Math.min(F32[b + code[pc + 2]], F32[b + code[pc + 3]]);
          pc += 4;
          break;
        case 0x97:
          F32[b + code[pc + 1]] = Math.max(F32[b + code[pc + 2]], F32[b + code[pc + 3]]);
          pc += 4;
          break;
        case 0x98:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] & 0x7fffffff) | (I32[b + code[pc + 3]] & -0x80000000);
          pc += 4;
          break;
        case 0x99: {
          d = b + code[pc + 1];
          a = b + code[pc + 2];
          I32[d] = I32[a];
          I32[d + 1] = I32[a + 1] & 0x7fffffff;
          pc += 3;
          break;
        }
        case 0x9a: {
          d = b + code[pc + 1];
          a = b + code[pc + 2];
          I32[d] = I32[a];
          I32[d + 1] = I32[a + 1] ^ -0x80000000;
          pc += 3;
          break;
        }
        case 0x9b:
          {
            x = F64[(b + code[pc + 2]) >> 1];
            F64[(b + code[pc + 1]) >> 1] = x !== x ? NaN : Math.ceil(x);
          }
          pc += 3;
          break;
        case 0x9c:
          {
            x = F64[(b + code[pc + 2]) >> 1];
            F64[(b + code[pc + 1]) >> 1] = x !== x ? NaN : Math.floor(x);
          }
          pc += 3;
          break;
        case 0x9d:
          {
            x = F64[(b + code[pc + 2]) >> 1];
            F64[(b + code[pc + 1]) >> 1] = x !== x ? NaN : Math.trunc(x);
          }
          pc += 3;
          break;
        case 0x9e:
          F64[(b + code[pc + 1]) >> 1] = nearest(F64[(b + code[pc + 2]) >> 1]);
          pc += 3;
          break;
        case 0x9f:
          F64[(b + code[pc + 1]) >> 1] = Math.sqrt(F64[(b + code[pc + 2]) >> 1]);
          pc += 3;
          break;
        case 0xa0:
          F64[(b + code[pc + 1]) >> 1] = F64[(b + code[pc + 2]) >> 1] + F64[(b + code[pc + 3]) >> 1];
          pc += 4;
          break;
        case 0xa1:
          F64[(b + code[pc + 1]) >> 1] = F64[(b + code[pc + 2]) >> 1] - F64[(b + code[pc + 3]) >> 1];
          pc += 4;
          break;
        case 0xa2:
          F64[(b + code[pc + 1]) >> 1] = F64[(b + code[pc + 2]) >> 1] * F64[(b + code[pc + 3]) >> 1];
          pc += 4;
          break;
        case 0xa3:
          F64[(b + code[pc + 1]) >> 1] = F64[(b + code[pc + 2]) >> 1] / F64[(b + code[pc + 3]) >> 1];
          pc += 4;
          break;
        case 0xa4:
          F64[(b + code[pc + 1]) >> 1] = Math.min(F64[(b + code[pc + 2]) >> 1], F64[(b + code[pc + 3]) >> 1]);
          pc += 4;
          break;
        case 0xa5:
          F64[(b + code[pc + 1]) >> 1] = Math.max(F64[(b + code[pc + 2]) >> 1], F64[(b + code[pc + 3]) >> 1]);
          pc += 4;
          break;
        case 0xa6: {
          d = b + code[pc + 1];
          x = b + code[pc + 2];
          y = b + code[pc + 3];
          h = (I32[x + 1] & 0x7fffffff) | (I32[y + 1] & -0x80000000);
          I32[d] = I32[x];
          I32[d + 1] = h;
          pc += 4;
          break;
        }

        // ---- conversions -------------------------------------------------------------------------
        case 0xa8:
          truncTrap(I32, b + code[pc + 1], F32[b + code[pc + 2]], 0);
          pc += 3;
          break;
        case 0xa9:
          truncTrap(I32, b + code[pc + 1], F32[b + code[pc + 2]], 1);
          pc += 3;
          break;
        case 0xaa:
          truncTrap(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 0);
          pc += 3;
          break;
        case 0xab:
          truncTrap(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 1);
          pc += 3;
          break;
        case 0xac: {
          v = I32[b + code[pc + 2]];
          d = b + code[pc + 1];
          I32[d] = v;
          I32[d + 1] = v >> 31;
          pc += 3;
          break;
        }
        case 0xad: {
          v = I32[b + code[pc + 2]];
          d = b + code[pc + 1];
          I32[d] = v;
          I32[d + 1] = 0;
          pc += 3;
          break;
        }
        case 0xae:
          truncTrap(I32, b + code[pc + 1], F32[b + code[pc + 2]], 2);
          pc += 3;
          break;
        case 0xaf:
          truncTrap(I32, b + code[pc + 1], F32[b + code[pc + 2]], 3);
          pc += 3;
          break;
        case 0xb0:
          truncTrap(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 2);
          pc += 3;
          break;
        case 0xb1:
          truncTrap(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 3);
          pc += 3;
          break;
        case 0xb2:
          F32[b + code[pc + 1]] = I32[b + code[pc + 2]];
          pc += 3;
          break;
        case 0xb3:
          F32[b + code[pc + 1]] = I32[b + code[pc + 2]] >>> 0;
          pc += 3;
          break;
        case 0xb4: {
          a = b + code[pc + 2];
          F32[b + code[pc + 1]] = i64ToF32(I32[a], I32[a + 1], true);
          pc += 3;
          break;
        }
        case 0xb5: {
          a = b + code[pc + 2];
          F32[b + code[pc + 1]] = i64ToF32(I32[a], I32[a + 1], false);
          pc += 3;
          break;
        }
        case 0xb6:
          F32[b + code[pc + 1]] = F64[(b + code[pc + 2]) >> 1];
          pc += 3;
          break;
        case 0xb7:
          F64[(b + code[pc + 1]) >> 1] = I32[b + code[pc + 2]];
          pc += 3;
          break;
        case 0xb8:
          F64[(b + code[pc + 1]) >> 1] = I32[b + code[pc + 2]] >>> 0;
          pc += 3;
          break;
        case 0xb9: {
          a = b + code[pc + 2];
          F64[(b + code[pc + 1]) >> 1] = i64ToF64(I32[a], I32[a + 1], true);
          pc += 3;
          break;
        }
        case 0xba: {
          a = b + code[pc + 2];
          F64[(b + code[pc + 1]) >> 1] = i64ToF64(I32[a], I32[a + 1], false);
          pc += 3;
          break;
        }
        case 0xbb:
          F64[(b + code[pc + 1]) >> 1] = F32[b + code[pc + 2]];
          pc += 3;
          break;
        case 0xc0:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] << 24) >> 24;
          pc += 3;
          break;
        case 0xc1:
          I32[b + code[pc + 1]] = (I32[b + code[pc + 2]] << 16) >> 16;
          pc += 3;
          break;
        case 0xc2: {
          v = (I32[b + code[pc + 2]] << 24) >> 24;
          d = b + code[pc + 1];
          I32[d] = v;
          I32[d + 1] = v >> 31;
          pc += 3;
          break;
        }
        case 0xc3: {
          v = (I32[b + code[pc + 2]] << 16) >> 16;
          d = b + code[pc + 1];
          I32[d] = v;
          I32[d + 1] = v >> 31;
          pc += 3;
          break;
        }
        case 0xc4: {
          v = I32[b + code[pc + 2]];
          d = b + code[pc + 1];
          I32[d] = v;
          I32[d + 1] = v >> 31;
          pc += 3;
          break;
        }
        case 0x100:
          truncSat(I32, b + code[pc + 1], F32[b + code[pc + 2]], 0);
          pc += 3;
          break;
        case 0x101:
          truncSat(I32, b + code[pc + 1], F32[b + code[pc + 2]], 1);
          pc += 3;
          break;
        case 0x102:
          truncSat(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 0);
          pc += 3;
          break;
        case 0x103:
          truncSat(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 1);
          pc += 3;
          break;
        case 0x104:
          truncSat(I32, b + code[pc + 1], F32[b + code[pc + 2]], 2);
          pc += 3;
          break;
        case 0x105:
          truncSat(I32, b + code[pc + 1], F32[b + code[pc + 2]], 3);
          pc += 3;
          break;
        case 0x106:
          truncSat(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 2);
          pc += 3;
          break;
        case 0x107:
          truncSat(I32, b + code[pc + 1], F64[(b + code[pc + 2]) >> 1], 3);
          pc += 3;
          break;

        default:
          // SIMD (v128) instructions.
          if (code[pc] >= SIMD_BASE) {
            pc = simdOp(inst, m, code, pc, b);
            break;
          }
          // References, tables, bulk memory: rare enough to live outside the loop.
          pc = rareOp(inst, m, code, pc, b);
          if (mem !== null) {
            dv = mem.dv;
            memLen = dv.byteLength;
            u8 = mem === null ? EMPTY_U8 : mem.u8;
            m32 = mem === null ? EMPTY_I32 : mem.i32u8 === mem.u8 ? mem.i32! : memWords(mem);
          }
          // Bulk work the op did (BYTES_PER_FUEL); a negative balance stops at the next fuel point.
          if (inst.fuel.debt !== 0) {
            fuel -= inst.fuel.debt;
            inst.fuel.debt = 0;
          }
      }
    }
  } catch (e) {
    st.pc = pc;
    st.b = b;
    st.depth = depth;
    st.fn = fn;
    st.fuel = fuel;
    throw e;
  }
}

import { FUNCREF, EXTERNREF, I32, I64, F32, F64, V128 } from './module-ir.js';
import type { CodeIR, ValTypeCode } from './module-ir.js';
import { Reader, malformed, unsupported } from './reader.js';
import { IntBuf } from './int-buf.js';
import { SIMD_BASE, SIMD_IMM, SIMM_CONST, SIMM_LANE, SIMM_MEM, SIMM_MEM_LANE, SIMM_SHUFFLE } from './opcodes.js';

// The instruction decoder: one expression (a function body or a constant expression) into the instruction
// stream both engines and the validator read. decode.ts decodes sections; the validator re-decodes a body here
// only to report an instruction's byte offset.

/**
 * 1 at each value type's byte, and the block type of a single result of that type (-type): one table lookup
 * instead of a chain of compares (see `expr` on cold start).
 */
const VALTYPE = new Uint8Array(256);
const RESULT_BLOCK_TYPE = new Int32Array(256);
for (const t of [I32, I64, F32, F64, FUNCREF, EXTERNREF, V128]) {
  VALTYPE[t] = 1;
  RESULT_BLOCK_TYPE[t] = -t;
}

export function valType(r: Reader): ValTypeCode {
  const at = r.pos;
  const t = r.u8();
  if (VALTYPE[t] === 1) return t as ValTypeCode;
  return badValType(t, at);
}

function badValType(t: number, at: number): never {
  if (t === 0x6e || t === 0x6d || t === 0x6c || t === 0x6b || t === 0x6a || t === 0x69 || t === 0x64 || t === 0x63) {
    unsupported('reference types beyond WebAssembly 2.0 (GC / typed function references)', at);
  }
  malformed('malformed value type', at);
}

export function refType(r: Reader): ValTypeCode {
  const at = r.pos;
  const t = r.u8();
  if (t === FUNCREF || t === EXTERNREF) return t;
  malformed('malformed reference type', at);
}

/** Block type: -1 empty, -(valtype) for a single result, >= 0 a type index. */
export function blockType(r: Reader): number {
  const p = r.pos;
  if (p < r.end) {
    const b = r.bytes[p];
    if (b === 0x40) {
      r.pos = p + 1;
      return -1;
    }
    const bt = RESULT_BLOCK_TYPE[b];
    if (bt !== 0) {
      r.pos = p + 1;
      return bt;
    }
  }
  return blockTypeSlow(r);
}

function blockTypeSlow(r: Reader): number {
  const b = r.bytes[r.pos];
  if (b === 0x40) {
    r.pos++;
    return -1;
  }
  if (b === I32 || b === I64 || b === F32 || b === F64 || b === FUNCREF || b === EXTERNREF || b === V128) {
    return -valType(r);
  }
  const at = r.pos;
  const idx = r.sN(33);
  if (idx < 0) malformed('malformed block type', at);
  return idx;
}

/**
 * Words the longest instruction decoded in `expr`'s hot loop appends (br_table reserves its own; rareInstr pushes).
 * No instruction takes more than 1.5 words per byte (i64.const: 3 words from 2 bytes): codeEntry reserves that
 * for a body once, so the buffer never grows inside the loop.
 */
export const HOT_WORDS = 3;

/**
 * Instructions whose immediates are nothing but 0, 1 or 2 LEB128 u32s, by opcode: that count; -1 for the others.
 * The numeric ops and the memory accesses are here, with locals, globals, calls and branches: one shared path
 * that every module exercises in its first bodies.
 */
const HOT_U32 = new Int8Array(256).fill(-1);
for (const op of [0x00, 0x01, 0x05, 0x0f, 0x1a, 0x1b]) HOT_U32[op] = 0;
for (let op = 0x45; op <= 0xc4; op++) HOT_U32[op] = 0;
for (const op of [0x0c, 0x0d, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24]) HOT_U32[op] = 1;
HOT_U32[0x11] = 2; // call_indirect: type, table
for (let op = 0x28; op <= 0x3e; op++) HOT_U32[op] = 2; // memarg: align, offset

/**
 * Decodes one expression (a function body or a constant expression) into the instruction stream.
 * Stops after the `end` that closes the outermost block.
 *
 * The common instructions are decoded here with the output buffer's array and length in locals (room is made
 * once per instruction); the rest go to `rareInstr`. Keeping rare opcodes out of this function matters for cold
 * start: V8 optimises it after the first few bodies, and each opcode first met after that used to deoptimise it
 * and cost a recompile of the whole function.
 */
export function expr(
  r: Reader,
  out: IntBuf,
  offsets: IntBuf | undefined,
  ctx: { hasDataCount: boolean; dataCountNeeded: boolean },
): void {
  let depth = 0;
  const bytes = r.bytes;
  let a = out.a;
  let n = out.n;
  for (;;) {
    const at = r.pos;
    if (at >= r.end) malformed(r.end < bytes.length ? 'unexpected end of section or function' : 'unexpected end', at);
    const op = bytes[at];
    r.pos = at + 1;
    if (offsets !== undefined) offsets.push(at);
    if (n + HOT_WORDS > a.length) {
      out.n = n;
      out.reserve(HOT_WORDS);
      a = out.a;
    }
    const k = HOT_U32[op];
    if (k >= 0) {
      // One path for every instruction whose immediates are 0-2 LEB128 u32s (memory offsets land as int32).
      a[n++] = op;
      if (k !== 0) {
        a[n++] = r.u32();
        if (k === 2) a[n++] = r.u32();
      }
      continue;
    }
    switch (op) {
      case 0x02:
      case 0x03:
      case 0x04:
        a[n++] = op;
        a[n++] = blockType(r);
        depth++;
        break;
      case 0x0b:
        a[n++] = op;
        if (depth === 0) {
          out.n = n;
          return;
        }
        depth--;
        break;
      case 0x0e: {
        const k = r.u32();
        if (k > r.end - r.pos) malformed('unexpected end', r.pos);
        out.n = n;
        out.reserve(k + 3);
        a = out.a;
        a[n++] = op;
        a[n++] = k;
        for (let i = 0; i <= k; i++) a[n++] = r.u32();
        break;
      }
      case 0x41:
        a[n++] = op;
        a[n++] = r.s32();
        break;
      case 0x42: {
        const lo = r.s64();
        a[n++] = op;
        a[n++] = lo;
        a[n++] = r.hi64;
        break;
      }
      case 0x43:
      case 0x44: {
        // f32.const: one little-endian word; f64.const: two.
        const lo = r.f32bits();
        a[n++] = op;
        a[n++] = lo;
        if (op === 0x44) a[n++] = r.f32bits();
        break;
      }
      default:
        out.n = n;
        rareInstr(r, out, op, at, ctx);
        a = out.a;
        n = out.n;
    }
  }
}

/** The instructions `expr` leaves out of its hot loop (rare in compiler output), and the refused opcodes. */
function rareInstr(
  r: Reader,
  out: IntBuf,
  op: number,
  at: number,
  ctx: { hasDataCount: boolean; dataCountNeeded: boolean },
): void {
  switch (op) {
    case 0xd1:
      out.push(op);
      break;
    case 0x12:
    case 0x13:
      unsupported('tail calls', at);
    // eslint-disable-next-line no-fallthrough
    case 0x06:
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x0a:
    case 0x18:
    case 0x19:
      unsupported('exception handling', at);
    // eslint-disable-next-line no-fallthrough
    case 0x1c: {
      const n = r.u32();
      if (n > r.end - r.pos) malformed('unexpected end', r.pos);
      out.push(op);
      out.push(n);
      for (let i = 0; i < n; i++) out.push(valType(r));
      break;
    }
    case 0x25:
    case 0x26:
    case 0xd2:
      out.push(op);
      out.push(r.u32());
      break;
    case 0x3f:
    case 0x40: {
      const z = r.pos;
      if (r.u8() !== 0) malformed('zero byte expected', z);
      out.push(op);
      break;
    }
    case 0xd0:
      out.push(op);
      out.push(refType(r));
      break;
    case 0xfc: {
      const sub = r.u32();
      const code = 0x100 + sub;
      if (sub <= 7) {
        out.push(code);
      } else if (sub === 8) {
        const seg = r.u32();
        const z = r.pos;
        if (r.u8() !== 0) malformed('zero byte expected', z);
        ctx.dataCountNeeded = true;
        out.push(code);
        out.push(seg);
      } else if (sub === 9) {
        ctx.dataCountNeeded = true;
        out.push(code);
        out.push(r.u32());
      } else if (sub === 10) {
        let z = r.pos;
        if (r.u8() !== 0) malformed('zero byte expected', z);
        z = r.pos;
        if (r.u8() !== 0) malformed('zero byte expected', z);
        out.push(code);
      } else if (sub === 11) {
        const z = r.pos;
        if (r.u8() !== 0) malformed('zero byte expected', z);
        out.push(code);
      } else if (sub === 12) {
        const seg = r.u32();
        out.push(code);
        out.push(seg);
        out.push(r.u32());
      } else if (sub === 13) {
        out.push(code);
        out.push(r.u32());
      } else if (sub === 14) {
        const dst = r.u32();
        out.push(code);
        out.push(dst);
        out.push(r.u32());
      } else if (sub >= 15 && sub <= 17) {
        out.push(code);
        out.push(r.u32());
      } else {
        malformed('illegal opcode', at);
      }
      break;
    }
    case 0xfd:
      simdInstr(r, out, at);
      break;
    case 0xfe:
      unsupported('threads (atomic instructions)', at);
    // eslint-disable-next-line no-fallthrough
    case 0xfb:
      unsupported('garbage collection instructions', at);
    // eslint-disable-next-line no-fallthrough
    default:
      malformed('illegal opcode', at);
  }
}

/**
 * One 0xFD-prefixed (SIMD) instruction: opcode SIMD_BASE + sub-opcode, then its immediates: memarg (align,
 * offset), lane index, 16 shuffle lane bytes, or a v128.const as four little-endian int32 words.
 */
function simdInstr(r: Reader, out: IntBuf, at: number): void {
  const sub = r.u32();
  const kind = sub <= 0xff ? SIMD_IMM[sub] : undefined;
  if (kind === undefined) {
    if (sub >= 0x100 && sub <= 0x113) unsupported('relaxed SIMD', at);
    malformed('illegal opcode', at);
  }
  out.push(SIMD_BASE + sub);
  if (kind === SIMM_MEM || kind === SIMM_MEM_LANE) {
    const align = r.u32();
    out.push(align);
    out.push(r.u32() | 0);
  }
  if (kind === SIMM_LANE || kind === SIMM_MEM_LANE) out.push(r.u8());
  else if (kind === SIMM_CONST) {
    for (let i = 0; i < 4; i++) out.push(r.u8() | (r.u8() << 8) | (r.u8() << 16) | (r.u8() << 24));
  } else if (kind === SIMM_SHUFFLE) {
    for (let i = 0; i < 16; i++) out.push(r.u8());
  }
}

/**
 * Byte offset of each instruction of a decoded body, in `body` order. Only error reporting needs them, so they
 * are recomputed on demand instead of being kept for every function.
 */
export function instructionOffsets(code: CodeIR): Int32Array {
  const body = new IntBuf(256);
  const offsets = new IntBuf(256);
  expr(new Reader(code.bytes, code.offset, code.end), body, offsets, { hasDataCount: true, dataCountNeeded: false });
  return offsets.take();
}

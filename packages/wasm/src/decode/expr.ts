import { FUNCREF, EXTERNREF, I32, I64, F32, F64, V128 } from './module-ir.js';
import type { CodeIR, ValTypeCode } from './module-ir.js';
import { Reader, malformed, unsupported } from './reader.js';
import { IntBuf } from './int-buf.js';
import { SIMD_BASE, SIMD_IMM, SIMM_CONST, SIMM_LANE, SIMM_MEM, SIMM_MEM_LANE, SIMM_SHUFFLE } from './opcodes.js';

// The instruction decoder: one expression (a function body or a constant expression) into the instruction
// stream both engines and the validator read. decode.ts decodes sections; the validator re-decodes a body here
// only to report an instruction's byte offset.

export function valType(r: Reader): ValTypeCode {
  const at = r.pos;
  const t = r.u8();
  if (t === I32 || t === I64 || t === F32 || t === F64 || t === FUNCREF || t === EXTERNREF || t === V128) return t;
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
 * Decodes one expression (a function body or a constant expression) into the instruction stream.
 * Stops after the `end` that closes the outermost block.
 */
export function expr(
  r: Reader,
  out: IntBuf,
  offsets: IntBuf | undefined,
  ctx: { hasDataCount: boolean; dataCountNeeded: boolean },
): void {
  let depth = 0;
  for (;;) {
    const at = r.pos;
    if (r.pos >= r.end)
      malformed(r.end < r.bytes.length ? 'unexpected end of section or function' : 'unexpected end', r.pos);
    const op = r.u8();
    if (offsets) offsets.push(at);
    switch (op) {
      case 0x00:
      case 0x01:
      case 0x0f:
      case 0x1a:
      case 0x1b:
      case 0xd1:
        out.push(op);
        break;
      case 0x02:
      case 0x03:
      case 0x04:
        out.push(op);
        out.push(blockType(r));
        depth++;
        break;
      case 0x05:
        out.push(op);
        break;
      case 0x0b:
        out.push(op);
        if (depth === 0) return;
        depth--;
        break;
      case 0x0c:
      case 0x0d:
        out.push(op);
        out.push(r.u32());
        break;
      case 0x0e: {
        const n = r.u32();
        if (n > r.end - r.pos) malformed('unexpected end', r.pos);
        out.push(op);
        out.push(n);
        for (let i = 0; i <= n; i++) out.push(r.u32());
        break;
      }
      case 0x10:
        out.push(op);
        out.push(r.u32());
        break;
      case 0x11: {
        const type = r.u32();
        out.push(op);
        out.push(type);
        out.push(r.u32());
        break;
      }
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
      case 0x20:
      case 0x21:
      case 0x22:
      case 0x23:
      case 0x24:
      case 0x25:
      case 0x26:
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
      case 0x41:
        out.push(op);
        out.push(r.s32());
        break;
      case 0x42: {
        const lo = r.s64();
        out.push(op);
        out.push(lo);
        out.push(r.hi64);
        break;
      }
      case 0x43:
        out.push(op);
        out.push(r.f32bits());
        break;
      case 0x44: {
        const lo = r.f32bits();
        out.push(op);
        out.push(lo);
        out.push(r.f32bits());
        break;
      }
      case 0xd0:
        out.push(op);
        out.push(refType(r));
        break;
      case 0xd2:
        out.push(op);
        out.push(r.u32());
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
        if (op >= 0x28 && op <= 0x3e) {
          const align = r.u32();
          const offset = r.u32();
          out.push(op);
          out.push(align);
          out.push(offset | 0);
        } else if (op >= 0x45 && op <= 0xc4) {
          out.push(op);
        } else {
          malformed('illegal opcode', at);
        }
    }
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

import { FaygerError } from '@fayger/contracts';

/** Throws the decode-stage error for malformed input at `offset`. */
export function malformed(message: string, offset: number): never {
  throw new FaygerError({
    code: 'WASM_MALFORMED',
    phase: 'decode',
    message: `decoding the WebAssembly binary failed at byte ${offset}: ${message}`,
    details: { offset, reason: message },
  });
}

export function unsupported(feature: string, offset: number): never {
  throw new FaygerError({
    code: 'WASM_UNSUPPORTED_FEATURE',
    phase: 'decode',
    message: `the WebAssembly module uses ${feature} (byte ${offset}), which @fayger/interpreter does not implement. Build the module for WebAssembly 2.0 without ${feature}.`,
    details: { offset, feature },
  });
}

/**
 * Throws WASM_LIMIT_EXCEEDED: a count or size in the module is beyond an implementation limit. Checked when the
 * count is read, before its entries are expanded into host objects.
 */
export function overLimit(what: string, limit: number, found: number, offset: number): never {
  throw new FaygerError({
    code: 'WASM_LIMIT_EXCEEDED',
    phase: 'decode',
    what: `decoding the WebAssembly module's ${what} (byte ${offset})`,
    expected: `at most ${limit} (implementation limit)`,
    found: String(found),
    hint: 'Split the module or reduce that count; docs/limits.md lists the limits.',
    details: { offset, limit: what, max: limit, found },
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Byte reader over a module with LEB128 helpers; `end` bounds the current section or body. */
export class Reader {
  pos: number;
  end: number;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    end = bytes.length,
  ) {
    this.pos = pos;
    this.end = end;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end)
      malformed(this.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end', this.pos);
    return this.bytes[this.pos++];
  }

  u32(): number {
    // Most LEB128 values in a module fit one byte.
    const p = this.pos;
    if (p < this.end) {
      const b = this.bytes[p];
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    return this.u32Long();
  }

  private u32Long(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      if (i === 4) {
        if (b & 0x80) malformed('integer representation too long', this.pos - 1);
        if (b & 0x70) malformed('integer too large', this.pos - 1);
      }
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
    return result;
  }

  /** Signed LEB128 up to `bits` (32 or 33). */
  sN(bits: number): number {
    let result = 0;
    let shift = 0;
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        if (i === maxBytes - 1) {
          // Unused bits of the last byte must all equal the sign bit.
          const used = bits - 7 * i; // bits carried by the last byte, sign included
          const signAndUnused = b & 0x7f & ~((1 << (used - 1)) - 1);
          if (signAndUnused !== 0 && signAndUnused !== (0x7f & ~((1 << (used - 1)) - 1)))
            malformed('integer too large', this.pos - 1);
        }
        if (b & 0x40) result -= 2 ** shift;
        return result;
      }
    }
    malformed('integer representation too long', this.pos - 1);
  }

  s32(): number {
    // Up to four bytes (28 bits) cannot be too large: one loop for those lengths (the same code for every
    // constant, so an optimised caller is not deoptimised by the first long one); only five-byte ones need sN.
    const p = this.pos;
    const bytes = this.bytes;
    const stop = Math.min(this.end, p + 4);
    let v = 0;
    let shift = 0;
    for (let i = p; i < stop; i++) {
      const b = bytes[i];
      v |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = i + 1;
        return (v << (32 - shift)) >> (32 - shift);
      }
    }
    return this.sN(32) | 0;
  }

  /** High half of the last `s64()` result (kept in a field so decoding a constant allocates nothing). */
  hi64 = 0;

  /** Signed 64-bit LEB128: returns the low int32 half; the high half is left in `hi64`. */
  s64(): number {
    // Up to four bytes, as in s32 (most i64 constants; the high half is the sign); longer ones in s64Long.
    const p = this.pos;
    const bytes = this.bytes;
    const stop = Math.min(this.end, p + 4);
    let v = 0;
    let shift = 0;
    for (let i = p; i < stop; i++) {
      const b = bytes[i];
      v |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = i + 1;
        const lo = (v << (32 - shift)) >> (32 - shift);
        this.hi64 = lo >> 31;
        return lo;
      }
    }
    return this.s64Long();
  }

  private s64Long(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else {
        hi |= v << (shift - 32);
      }
      shift += 7;
      if ((b & 0x80) === 0) {
        if (i === 9) {
          // Last byte carries bit 63 only: the rest must be sign extension of it.
          if (v !== 0 && v !== 0x7f) malformed('integer too large', this.pos - 1);
        } else if (b & 0x40) {
          if (shift < 32) {
            lo |= -1 << shift;
            hi = -1;
          } else {
            hi |= -1 << (shift - 32);
          }
        }
        this.hi64 = hi;
        return lo;
      }
    }
    malformed('integer representation too long', this.pos - 1);
  }

  f32bits(): number {
    if (this.pos + 4 > this.end)
      malformed(this.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end', this.pos);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  bytesN(n: number): Uint8Array {
    if (this.pos + n > this.end)
      malformed(this.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end', this.pos);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name(): string {
    const len = this.u32();
    const start = this.pos;
    if (this.pos + len > this.end) malformed('length out of bounds', this.pos);
    const raw = this.bytesN(len);
    try {
      return utf8.decode(raw);
    } catch {
      malformed('malformed UTF-8 encoding', start);
    }
  }
}

import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { decode } from '../../src/index.js';
import { moduleBytes, section } from '../helpers.js';

// i64.const immediates of every LEB128 length (the reader has a loop for one to four bytes and a general path for
// longer ones), read back from a global's initialiser as the stream's low and high int32 words.
const sleb = (v: bigint): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const globalInit = (imm: number[]) => moduleBytes(section(6, [1, 0x7e, 0, 0x42, ...imm, 0x0b]));
const read = (imm: number[]): bigint => {
  const c = decode(globalInit(imm)).globals[0].init.code;
  return (BigInt(c[2]) << 32n) | BigInt(c[1] >>> 0);
};

describe('i64.const immediates', () => {
  it('reads minimal encodings of one to ten bytes, at each length boundary', () => {
    const values: bigint[] = [0n, 1n, -1n];
    for (let bits = 7n; bits <= 63n; bits += 7n) {
      const half = 1n << (bits - 1n);
      values.push(half - 1n, -half, half, -half - 1n);
    }
    values.push((1n << 63n) - 1n, -(1n << 63n), 0x123456789abcdefn, -0x123456789abcdefn);
    for (const v of values) {
      const imm = sleb(BigInt.asIntN(64, v));
      const want = BigInt.asIntN(64, v);
      expect([want, imm.length, read(imm)]).toEqual([want, imm.length, want]);
    }
  });

  it('reads padded encodings', () => {
    expect(read([0x80, 0x00])).toBe(0n);
    expect(read([0xff, 0xff, 0x7f])).toBe(-1n);
    expect(read([0x81, 0x80, 0x80, 0x00])).toBe(1n);
    expect(read([0xff, 0xff, 0xff, 0xff, 0x7f])).toBe(-1n);
    expect(read([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])).toBe(0n);
  });

  it('still rejects a ten-byte encoding with bits beyond 64 and an eleventh byte', () => {
    for (const imm of [
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
    ]) {
      let err: unknown;
      try {
        decode(globalInit(imm));
      } catch (e) {
        err = e;
      }
      expect(FaygerError.is(err) && err.code).toBe('WASM_MALFORMED');
    }
  });
});

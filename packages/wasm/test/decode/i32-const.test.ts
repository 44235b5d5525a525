import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { decode } from '../../src/index.js';
import { moduleBytes, section } from '../helpers.js';

// i32.const immediates of every LEB128 length (the reader has fast paths for one to four bytes), read back from
// a global's initialiser.
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const globalInit = (imm: number[]) => moduleBytes(section(6, [1, 0x7f, 0, 0x41, ...imm, 0x0b]));
const read = (imm: number[]) => decode(globalInit(imm)).globals[0].init.code[1];

describe('i32.const immediates', () => {
  it('reads minimal encodings of one to five bytes, at each length boundary', () => {
    const values = [0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, -8193];
    for (const bits of [21, 28])
      values.push(2 ** (bits - 1) - 1, -(2 ** (bits - 1)), 2 ** (bits - 1), -(2 ** (bits - 1)) - 1);
    values.push(2147483647, -2147483648, 0x12345678, -0x12345678);
    for (const v of values) expect([v, read(sleb(v))]).toEqual([v, v]);
  });

  it('reads padded encodings', () => {
    expect(read([0x80, 0x80, 0x00])).toBe(0);
    expect(read([0xff, 0xff, 0x7f])).toBe(-1);
    expect(read([0x81, 0x80, 0x80, 0x00])).toBe(1);
    expect(read([0xff, 0xff, 0xff, 0x7f])).toBe(-1);
    expect(read([0x80, 0x80, 0x80, 0x80, 0x00])).toBe(0);
  });

  it('still rejects a five-byte encoding with bits beyond 32 and a sixth byte', () => {
    for (const imm of [
      [0x80, 0x80, 0x80, 0x80, 0x10],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
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

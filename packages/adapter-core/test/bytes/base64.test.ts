import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src/index.js';

describe('base64', () => {
  it('matches Node Buffer for any bytes and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(Array.from(base64ToBytes(text)!)).toEqual(Array.from(bytes));
      }),
    );
  });

  it('rejects text that is not canonical padded base64', () => {
    for (const bad of ['a', 'abc', 'ab=c', 'a===', '!!!!', 'QQ', 'QR==', 'QUI=x', 'QUJ=' /* stray bits */]) {
      expect(base64ToBytes(bad), bad).toBeUndefined();
    }
    expect(base64ToBytes('')).toEqual(new Uint8Array(0));
  });
});

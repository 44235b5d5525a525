import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/index.js';

describe('canonicalJson (RFC 8785 style)', () => {
  it('sorts keys by UTF-16 code units at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, e: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    // U+10000 (surrogate pair D800 DC00) sorts before U+FFFF in UTF-16 order, unlike code point order.
    expect(canonicalJson({ '\uffff': 1, '\u{10000}': 2 })).toBe('{"\u{10000}":2,"\uffff":1}');
  });

  it('escapes minimally and formats numbers as ECMAScript does', () => {
    expect(canonicalJson('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\u0001é"');
    expect(canonicalJson([-0, 1e21, 0.1, 5])).toBe('[0,1e+21,0.1,5]');
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalJson('\ud800')).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(new Date())).toThrow(TypeError);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(TypeError);
  });
});

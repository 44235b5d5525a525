import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, MAX_WIRE_DEPTH } from '../../src/index.js';

describe('link codec', () => {
  it('turns bytes into {$b64} and back, anywhere in a value', () => {
    const v = { a: new Uint8Array([1, 2, 255]), list: [new Uint8Array(0), 'x', null], n: 1.5, t: true };
    const wire = JSON.parse(JSON.stringify(encodeValue(v)));
    expect(wire.a).toEqual({ $b64: 'AQL/' });
    expect(decodeValue(wire)).toEqual(v);
  });

  it('an object that looks like a tag survives the trip as an object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (j) => {
        const v = { $b64: j };
        const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(v))));
        expect(back).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
    const headers = { $obj: 'x' };
    expect(decodeValue(JSON.parse(JSON.stringify(encodeValue(headers))))).toEqual(headers);
  });

  it('a JSON "__proto__" key stays data', () => {
    const back = decodeValue(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
    // …and survives encoding too (fast-check found it dropped: assignment set the prototype instead).
    const data = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expect(JSON.stringify(encodeValue(data))).toBe('{"__proto__":{"x":1}}');
  });

  it('refuses non-data and over-deep values with the path', () => {
    expect(() => encodeValue({ f: () => 1 })).toThrow(/function is not link data/);
    expect(() => encodeValue({ d: new Date() })).toThrow(/Date is not link data/);
    expect(() => encodeValue({ n: Number.NaN })).toThrow(/non-finite/);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_WIRE_DEPTH + 2; i++) deep = [deep];
    expect(() => encodeValue(deep)).toThrow(/deeper/);
    expect(() => decodeValue(JSON.parse(JSON.stringify(deep)))).toThrow(/deeper/);
    expect(() => decodeValue({ x: { $b64: 'not base64!' } })).toThrow(/base64/);
  });
});

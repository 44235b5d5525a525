import { describe, expect, it } from 'vitest';
import * as WA from '../../src/facade/index.js';
import { fixture } from '../helpers.js';

/**
 * v128 at the JS boundary behaves as V8's WebAssembly does (checked against Node's own WebAssembly when the
 * host has SIMD): such exports exist, run wasm-to-wasm, but a call from JS throws TypeError; a JS import with a
 * v128 signature links but throws TypeError when the guest calls it; v128 globals are opaque to JS.
 */
async function both() {
  const engines: { name: string; wa: any }[] = [{ name: 'facade', wa: WA }];
  if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(fixture('simd') as Uint8Array<ArrayBuffer>))
    engines.push({ name: 'native', wa: WebAssembly });
  return engines;
}

describe('v128 in the WebAssembly facade', () => {
  it('calling an export with a v128 param or result from JS throws TypeError, like V8', async () => {
    for (const { name, wa } of await both()) {
      let hostCalls = 0;
      const { instance } = await wa.instantiate(fixture('simd'), {
        host: {
          twice: () => {
            hostCalls++;
          },
        },
      });
      const ex = instance.exports as Record<string, any>;
      expect(ex.add, name).toBeTypeOf('function');
      expect(() => ex.add(1, 2), name).toThrow(TypeError);
      expect(() => ex.host(0), name).toThrow(TypeError);
      expect(() => ex.mix(1, 2, 3n, 4), name).toThrow(TypeError);
      expect(hostCalls, name).toBe(0);
      // Scalar-only exports of the same module work.
      ex.fill(8);
      expect(ex.vsum(8), name).toBe(28);
    }
  });

  it('a JS import with a v128 signature throws TypeError when the guest calls it', async () => {
    for (const { name, wa } of await both()) {
      let hostCalls = 0;
      const { instance } = await wa.instantiate(fixture('simd'), {
        host: {
          twice: () => {
            hostCalls++;
          },
        },
      });
      // Reach the import from wasm: a helper module imports `host` (v128 -> v128) and calls it from scalar code.
      const ex = instance.exports as Record<string, any>;
      const relay = await wa.instantiate(relayModule(), { m: { f: ex.host } });
      expect(() => (relay.instance.exports as any).run(), name).toThrow(TypeError);
      expect(hostCalls, name).toBe(0);
    }
  });

  it('v128 globals: value is unreadable and unwritable from JS; only a Global object can be imported', async () => {
    for (const { name, wa } of await both()) {
      const { instance } = await wa.instantiate(fixture('simd'), { host: { twice: () => {} } });
      const g = (instance.exports as any).acc;
      expect(g, name).toBeInstanceOf(wa.Global);
      expect(() => g.value, name).toThrow(TypeError);
      expect(() => {
        g.value = 1;
      }, name).toThrow(TypeError);
      expect(() => new wa.Global({ value: 'v128' } as any), name).toThrow(TypeError);
    }
  });

  it('wasm-to-wasm calls pass v128 through the facade unchanged', async () => {
    const { instance } = await WA.instantiate(fixture('simd'), { host: { twice: () => {} } });
    const relay: any = await WA.instantiate(sumModule(), { m: { add: (instance.exports as any).add } });
    // (1,2,3,4) + (10,20,30,40) summed over lanes = 110
    expect(relay.instance.exports.run()).toBe(110);
  });
});

/** (import "m" "f" (func (param v128) (result v128))) (func (export "run") (drop (call 0 (v128.const 0)))) */
function relayModule(): Uint8Array {
  const body = [0, 0xfd, 0x0c, ...new Array(16).fill(0), 0x10, 0, 0x1a, 0x0b];
  return Uint8Array.from([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    1,
    9,
    2,
    0x60,
    1,
    0x7b,
    1,
    0x7b,
    0x60,
    0,
    0,
    2,
    7,
    1,
    1,
    0x6d,
    1,
    0x66,
    0,
    0,
    3,
    2,
    1,
    1,
    7,
    7,
    1,
    3,
    0x72,
    0x75,
    0x6e,
    0,
    1,
    10,
    body.length + 2,
    1,
    body.length,
    ...body,
  ]);
}

/** Imports add: [v128 v128] -> v128 and returns the sum of the i32 lanes of add((1,2,3,4), (10,20,30,40)). */
function sumModule(): Uint8Array {
  const c = (a: number[]) => [0xfd, 0x0c, ...new Uint8Array(Int32Array.from(a).buffer)];
  const body = [
    1,
    1,
    0x7b,
    ...c([1, 2, 3, 4]),
    ...c([10, 20, 30, 40]),
    0x10,
    0,
    0x21,
    0,
    0x20,
    0,
    0xfd,
    0x1b,
    0,
    0x20,
    0,
    0xfd,
    0x1b,
    1,
    0x6a,
    0x20,
    0,
    0xfd,
    0x1b,
    2,
    0x6a,
    0x20,
    0,
    0xfd,
    0x1b,
    3,
    0x6a,
    0x0b,
  ];
  return Uint8Array.from([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    1,
    11,
    2,
    0x60,
    2,
    0x7b,
    0x7b,
    1,
    0x7b,
    0x60,
    0,
    1,
    0x7f,
    2,
    9,
    1,
    1,
    0x6d,
    3,
    0x61,
    0x64,
    0x64,
    0,
    0,
    3,
    2,
    1,
    1,
    7,
    7,
    1,
    3,
    0x72,
    0x75,
    0x6e,
    0,
    1,
    10,
    body.length + 2,
    1,
    body.length,
    ...body,
  ]);
}

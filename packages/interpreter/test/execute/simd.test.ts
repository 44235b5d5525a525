import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { compileModule, hostFunction, instantiateModule, type RawValue } from '../../src/index.js';
import { fixture, moduleBytes, section } from '../helpers.js';

/** A v128 raw value from four i32 lanes. */
function v(a: number, b: number, c: number, d: number): Uint8Array {
  return new Uint8Array(Int32Array.of(a, b, c, d).buffer);
}
/** The four i32 lanes of a v128 raw value. */
function lanes(x: RawValue): number[] {
  expect(x).toBeInstanceOf(Uint8Array);
  const u = x as Uint8Array;
  expect(u.length).toBe(16);
  return [...new Int32Array(u.slice().buffer)];
}

function load(imports = {}) {
  const twice = hostFunction({ params: ['v128', 'i32'], results: ['v128'] }, (x, k) => {
    const l = lanes(x);
    return v(l[0] * 2 + (k as number), l[1] * 2, l[2] * 2, l[3] * 2);
  });
  return instantiateModule(compileModule(fixture('simd')), { host: { twice }, ...imports });
}

describe('v128 in the native API', () => {
  it('passes v128 params and results as 16-byte Uint8Arrays, lane 0 first', () => {
    const inst = load();
    expect(lanes(inst.invoke('add', [v(1, 2, 3, -4), v(10, 20, 30, 40)])[0])).toEqual([11, 22, 33, 36]);
    const bytes = inst.invoke('add', [new Uint8Array(16).fill(1), new Uint8Array(16).fill(2)])[0] as Uint8Array;
    expect([...bytes]).toEqual(new Array(16).fill(3));
  });

  it('keeps v128 and scalar params, locals, block params and multi-value results apart', () => {
    const inst = load();
    const [r, s] = inst.invoke('mix', [5, v(1, 2, 3, 4), 7n, v(10, 20, 30, 40)]);
    // block param (a + b) times itself, and 5 + 7
    expect(lanes(r)).toEqual([121, 484, 1089, 1936]);
    expect(s).toBe(12);
  });

  it('rejects a v128 argument that is not 16 bytes with WASM_BAD_VALUE', () => {
    const inst = load();
    for (const bad of [new Uint8Array(15), 5, 5n, null, new Int32Array(4)]) {
      try {
        inst.invoke('add', [bad, v(0, 0, 0, 0)]);
        expect.unreachable();
      } catch (e) {
        expect(FaygerError.is(e, 'WASM_BAD_VALUE')).toBe(true);
        expect((e as FaygerError).message).toMatch(/v128/);
      }
    }
  });

  it('reads and writes v128 globals, including from guest code', () => {
    const inst = load();
    expect(lanes(inst.getGlobal('acc'))).toEqual([1, 2, 3, 4]);
    inst.invoke('accumulate', [v(10, 10, 10, -10)]);
    expect(lanes(inst.getGlobal('acc'))).toEqual([11, 12, 13, -6]);
  });

  it('calls through a table with a v128 signature and selects v128 values', () => {
    const inst = load();
    expect(lanes(inst.invoke('indirect', [v(1, -2, 3, 0), 0])[0])).toEqual([-1, 2, -3, 0]);
    expect(lanes(inst.invoke('indirect', [v(1, -2, 3, 0), 1])[0])).toEqual([1, -2, 3, 0]);
    expect(lanes(inst.invoke('select', [v(1, 1, 1, 1), v(2, 2, 2, 2), 0])[0])).toEqual([2, 2, 2, 2]);
    expect(lanes(inst.invoke('select', [v(1, 1, 1, 1), v(2, 2, 2, 2), 9])[0])).toEqual([1, 1, 1, 1]);
  });

  it('passes v128 to and from host functions', () => {
    const inst = load();
    expect(lanes(inst.invoke('host', [v(1, 2, 3, 4)])[0])).toEqual([5, 4, 6, 8]);
  });

  it('traps out-of-bounds v128 loads with TRAP_MEMORY_OUT_OF_BOUNDS', () => {
    const inst = load();
    // vsum reads 16 bytes at 4 * i: past the single page it traps.
    try {
      inst.invoke('vsum', [16388]);
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'TRAP_MEMORY_OUT_OF_BOUNDS')).toBe(true);
    }
  });
});

describe('SIMD with fuel and suspension', () => {
  it('charges SIMD instructions like others and gives the same result in any fuel slicing', () => {
    const whole = load();
    whole.invoke('fill', [4096]);
    const before = whole.usage().fuelUsed;
    const expected = whole.invoke('vsum', [4096])[0];
    expect(expected).toBe((4095 * 4096) / 2);
    const cost = whole.usage().fuelUsed - before;
    // Per iteration: the loop test (4), the load + add + set (6) and the step (4): bounded by counts, not time.
    expect(cost).toBeGreaterThan(1024 * 10);
    for (const slice of [1, 7, 97]) {
      const inst = load();
      inst.invoke('fill', [4096]);
      const ex = inst.call('vsum', [4096]);
      let suspensions = 0;
      for (;;) {
        const r = ex.run({ fuel: slice });
        if (r.status === 'completed') {
          expect(r.values).toEqual([expected]);
          break;
        }
        expect(r.status).toBe('suspended');
        suspensions++;
      }
      // A slice always covers the block it starts on (one loop iteration here), so at least one stop per iteration.
      expect(suspensions).toBeGreaterThanOrEqual(Math.min(1000, Math.floor(cost / slice) - 1));
      expect(ex.fuelUsed).toBe(cost);
    }
  });

  it('a fuel budget stops a SIMD loop with TRAP_FUEL_EXHAUSTED', () => {
    const inst = instantiateModule(
      compileModule(fixture('simd')),
      { host: { twice: hostFunction({ params: ['v128', 'i32'], results: ['v128'] }, (x) => x) } },
      { fuel: 500 },
    );
    try {
      inst.invoke('vsum', [4096]);
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'TRAP_FUEL_EXHAUSTED')).toBe(true);
    }
  });
});

describe('SIMD decoding and validation', () => {
  const oneFunc = (body: number[], type = [1, 0x60, 0, 0]) =>
    moduleBytes(section(1, type), section(3, [1, 0]), section(10, [1, body.length + 1, 0, ...body]));
  const code = (bytes: Uint8Array) => {
    try {
      compileModule(bytes);
      return 'ok';
    } catch (e) {
      if (FaygerError.is(e)) return e.code;
      throw e;
    }
  };

  it('accepts the v128 type and 0xFD instructions', () => {
    expect(code(moduleBytes(section(1, [1, 0x60, 1, 0x7b, 0])))).toBe('ok');
    expect(code(oneFunc([0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0x0b]))).toBe('ok');
  });

  it('rejects reserved SIMD opcodes as malformed and relaxed SIMD as unsupported', () => {
    expect(code(oneFunc([0xfd, 0x9a, 0x01, 0x0b]))).toBe('WASM_MALFORMED');
    expect(code(oneFunc([0xfd, 0x80, 0x02, 0x0b]))).toBe('WASM_UNSUPPORTED_FEATURE');
  });

  it('validates lane indices, shuffle lanes, alignment and operand types', () => {
    const k = [0xfd, 0x0c, ...new Array(16).fill(0)];
    expect(code(oneFunc([...k, 0xfd, 0x15, 15, 0x1a, 0x0b]))).toBe('ok');
    expect(code(oneFunc([...k, 0xfd, 0x15, 16, 0x1a, 0x0b]))).toBe('WASM_INVALID');
    expect(code(oneFunc([...k, ...k, 0xfd, 0x0d, ...new Array(16).fill(31), 0x1a, 0x0b]))).toBe('ok');
    expect(code(oneFunc([...k, ...k, 0xfd, 0x0d, ...new Array(15).fill(0), 32, 0x1a, 0x0b]))).toBe('WASM_INVALID');
    // i32x4.add of an i32 and a v128
    expect(code(oneFunc([0x41, 0, ...k, 0xfd, 0xae, 0x01, 0x1a, 0x0b]))).toBe('WASM_INVALID');
    // v128.load with align 2^5 > 16 bytes
    const mem = moduleBytes(
      section(1, [1, 0x60, 0, 0]),
      section(3, [1, 0]),
      section(5, [1, 0, 1]),
      section(10, [1, 9, 0, 0x41, 0, 0xfd, 0x00, 5, 0, 0x1a, 0x0b]),
    );
    expect(code(mem)).toBe('WASM_INVALID');
  });
});

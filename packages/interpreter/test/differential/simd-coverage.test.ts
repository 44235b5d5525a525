import { describe, expect, it } from 'vitest';
import { generateModule } from '@fayger/wasm-testgen';
import { compileModule } from '../../src/index.js';
import { decode } from '@fayger/wasm';
import { SIMD_BASE } from '@fayger/wasm';

/** The generator emits SIMD: v128 locals and many distinct 0xFD instructions across a few seeds. */
describe('differential generator: SIMD coverage', () => {
  it('emits valid modules with v128 locals and a wide mix of SIMD instructions', () => {
    const seen = new Set<number>();
    let withSimd = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { bytes } = generateModule(seed);
      compileModule(bytes);
      const m = decode(bytes);
      let any = false;
      for (const c of m.codes) {
        expect(c.locals).toContain(0x7b);
        for (const op of c.body)
          if (op >= SIMD_BASE && op <= SIMD_BASE + 0xff) {
            seen.add(op - SIMD_BASE);
            any = true;
          }
      }
      if (any) withSimd++;
    }
    expect(withSimd).toBeGreaterThan(30);
    // Immediates can also fall in that range, so this over-counts a little; the floor is far below the real mix.
    expect(seen.size).toBeGreaterThan(100);
  });
});

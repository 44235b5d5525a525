import { describe, expect, it } from 'vitest';
import { CALLS_PER_MODULE, compareSeed } from './compare.js';
import type { DiffEngine } from './diff-engine.js';
import { interpreterEngine, interpreterEngineWith } from './interpreter-engine.js';
import { nativeEngine } from './native-engine.js';

/**
 * Random valid modules run in the interpreter and in V8; results (by bits), trap codes, exported integer
 * globals and a hash of memory after each call must agree. Reproduce a failure with the printed seed:
 * `DIFF_SEED=<seed> DIFF_COUNT=1 pnpm vitest run test/differential`.
 */
const SEED = Number(process.env['DIFF_SEED'] ?? 0x5eed_2026);
const COUNT = Number(process.env['DIFF_COUNT'] ?? 300);

describe(`differential: interpreter vs native WebAssembly (base seed ${SEED}, ${COUNT} modules)`, () => {
  it('agrees on every generated module', () => {
    const failures: string[] = [];
    let traps = 0;
    for (let i = 0; i < COUNT && failures.length < 5; i++) {
      const seed = (SEED + i) >>> 0;
      const c = compareSeed(interpreterEngine, nativeEngine, seed);
      traps += c.traps;
      if (c.mismatch) failures.push(`seed ${seed} (reproduce: DIFF_SEED=${seed} DIFF_COUNT=1)\n    ${c.mismatch}`);
    }
    // Most calls must return: a generator that mostly traps would compare little.
    expect(traps).toBeLessThan(COUNT * CALLS_PER_MODULE * 0.3);
    expect(failures, `differential mismatches (base seed ${SEED}):\n${failures.join('\n')}`).toEqual([]);
  }, Math.max(120_000, COUNT * 60));

  it('agrees when every call runs in random fuel slices (suspend/resume anywhere)', () => {
    const sliced = interpreterEngineWith({ sliceSeed: SEED, maxSlice: 300 });
    const failures: string[] = [];
    for (let i = 0; i < Math.ceil(COUNT / 3) && failures.length < 5; i++) {
      const seed = (SEED + i) >>> 0;
      const c = compareSeed(sliced, nativeEngine, seed);
      if (c.mismatch) failures.push(`seed ${seed} (reproduce: DIFF_SEED=${seed} DIFF_COUNT=1)\n    ${c.mismatch}`);
    }
    expect(failures, `fuel-sliced mismatches (base seed ${SEED}):\n${failures.join('\n')}`).toEqual([]);
  }, Math.max(120_000, COUNT * 60));

  it('notices a planted divergence in a result, a trap code or memory', () => {
    const plant = (name: string, change: (o: ReturnType<ReturnType<DiffEngine['instantiate']>['call']>) => typeof o, mem = false): DiffEngine => ({
      name,
      instantiate(bytes) {
        const inner = interpreterEngine.instantiate(bytes);
        return {
          call: (p, a, r) => change(inner.call(p, a, r)),
          memory: () => {
            const m = inner.memory().slice();
            if (mem) m[12345] ^= 1;
            return m;
          },
          global: (n, t) => inner.global(n, t),
        };
      },
    });
    const flipResult = plant('flip', (o) => ('values' in o ? { values: o.values.map((v, i) => (i === 0 ? v ^ 1n : v)) } : o));
    const wrongTrap = plant('trap', (o) => ('trap' in o ? { trap: ['TRAP_UNREACHABLE'] } : o));
    const memory = plant('memory', (o) => o, true);
    const seeds = Array.from({ length: 40 }, (_, i) => SEED + i);
    expect(seeds.some((s) => compareSeed(flipResult, nativeEngine, s).mismatch)).toBe(true);
    expect(seeds.some((s) => compareSeed(wrongTrap, nativeEngine, s).mismatch)).toBe(true);
    expect(seeds.every((s) => compareSeed(memory, nativeEngine, s).mismatch)).toBe(true);
  });
});

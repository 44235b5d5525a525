import { describe, expect, it } from 'vitest';
import { CALLS_PER_MODULE, compareSeed } from './compare.js';
import type { CallOutcome, DiffEngine } from './diff-engine.js';
import { interpreterEngine, interpreterEngineWith } from './interpreter-engine.js';
import { nativeEngine } from './native-engine.js';

/**
 * Random valid modules run in the interpreter and in V8; results (by bits), trap codes, exported integer
 * globals and a hash of memory after each call must agree. Reproduce a failure with the printed seed:
 * `DIFF_SEED=<seed> DIFF_COUNT=1 pnpm test:differential`; a longer soak: `DIFF_SEED=1 DIFF_COUNT=10000 pnpm test:differential`.
 */
const SEED = Number(process.env['DIFF_SEED'] ?? 0x5eed_2026);
const COUNT = Number(process.env['DIFF_COUNT'] ?? 300);

describe(`differential: interpreter vs native WebAssembly (base seed ${SEED}, ${COUNT} modules)`, () => {
  it(
    'agrees on every generated module',
    async () => {
      const failures: string[] = [];
      let traps = 0;
      for (let i = 0; i < COUNT && failures.length < 5; i++) {
        const seed = (SEED + i) >>> 0;
        const c = await compareSeed(interpreterEngine, nativeEngine, seed);
        traps += c.traps;
        if (c.mismatch) failures.push(`seed ${seed} (reproduce: DIFF_SEED=${seed} DIFF_COUNT=1)\n    ${c.mismatch}`);
      }
      // Most calls must return: a generator that mostly traps would compare little.
      expect(traps).toBeLessThan(COUNT * CALLS_PER_MODULE * 0.3);
      expect(failures, `differential mismatches (base seed ${SEED}):\n${failures.join('\n')}`).toEqual([]);
    },
    Math.max(120_000, COUNT * 60),
  );

  it.each([
    ['every call runs in random fuel slices (suspend/resume anywhere)', { sliceSeed: SEED, maxSlice: 300 }],
    ['every host import answers with a Promise (suspend at host calls)', { asyncHost: true }],
    ['both at once', { sliceSeed: SEED ^ 1, maxSlice: 50, asyncHost: true }],
  ] as const)(
    'agrees when %s',
    async (_, options) => {
      const engine = interpreterEngineWith(options);
      const failures: string[] = [];
      for (let i = 0; i < Math.ceil(COUNT / 3) && failures.length < 5; i++) {
        const seed = (SEED + i) >>> 0;
        const c = await compareSeed(engine, nativeEngine, seed);
        if (c.mismatch) failures.push(`seed ${seed} (reproduce: DIFF_SEED=${seed} DIFF_COUNT=1)\n    ${c.mismatch}`);
      }
      expect(failures, `${engine.name}: mismatches (base seed ${SEED}):\n${failures.join('\n')}`).toEqual([]);
    },
    Math.max(120_000, COUNT * 60),
  );

  it('notices a planted divergence in a result, a trap code or memory', { timeout: 120_000 }, async () => {
    const plant = (name: string, change: (o: CallOutcome) => CallOutcome, mem = false): DiffEngine => ({
      name,
      instantiate(bytes) {
        const inner = interpreterEngine.instantiate(bytes);
        return {
          call: async (p, a, r) => change(await inner.call(p, a, r)),
          memory: () => {
            const m = inner.memory().slice();
            if (mem) m[12345] ^= 1;
            return m;
          },
          global: (n, t) => inner.global(n, t),
        };
      },
    });
    const flipResult = plant('flip', (o) =>
      'values' in o ? { values: o.values.map((v, i) => (i === 0 ? v ^ 1n : v)) } : o,
    );
    const wrongTrap = plant('trap', (o) => ('trap' in o ? { trap: ['TRAP_UNREACHABLE'] } : o));
    const memory = plant('memory', (o) => o, true);
    const seeds = Array.from({ length: 40 }, (_, i) => SEED + i);
    const mismatches = async (engine: DiffEngine) =>
      Promise.all(seeds.map(async (s) => (await compareSeed(engine, nativeEngine, s)).mismatch !== undefined));
    expect((await mismatches(flipResult)).some(Boolean)).toBe(true);
    expect((await mismatches(wrongTrap)).some(Boolean)).toBe(true);
    expect((await mismatches(memory)).every(Boolean)).toBe(true);
  });
});

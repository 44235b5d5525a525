import { afterEach, describe, expect, it } from 'vitest';
import { FaygerError, type AnyFaygerEvent, type Manifest } from '@fayger/contracts';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { detectDigestProvider } from '@fayger/security';
import { emitterCompilesSimd } from '@fayger/transpiler';
import { createFayger, manifestForModule, packModule, type EngineChoice, type RunResult } from '../src/index.js';
import { counterLoop, I32_START_HEADER } from './support/guests.js';

/** `_start` counts to 1000 in a loop and returns 1000 % 256 = 232 (scalar: both engines compile it). */
const LOOP = counterLoop(1000);
/** SIMD on the operand stack only (no v128 declared): i32x4.extract_lane 2 (splat 20 + [1 2 3 4]) = 23. */
const SIMD_STACK = new Uint8Array([
  ...I32_START_HEADER,
  10,
  32,
  1,
  30,
  0,
  65,
  20,
  253,
  17,
  253,
  12,
  1,
  0,
  0,
  0,
  2,
  0,
  0,
  0,
  3,
  0,
  0,
  0,
  4,
  0,
  0,
  0,
  253,
  174,
  1,
  253,
  27,
  2,
  11,
]);
/** SIMD through a v128 local: extract_lane 3 of [5 6 7 8] = 8. */
const SIMD_LOCAL = new Uint8Array([
  ...I32_START_HEADER,
  10,
  31,
  1,
  29,
  1,
  1,
  123,
  253,
  12,
  5,
  0,
  0,
  0,
  6,
  0,
  0,
  0,
  7,
  0,
  0,
  0,
  8,
  0,
  0,
  0,
  33,
  0,
  32,
  0,
  253,
  27,
  3,
  11,
]);

async function buf(wasm: Uint8Array, runtime?: Manifest['runtime']): Promise<Uint8Array> {
  const manifest = manifestForModule(wasm, { label: 'engine-test' });
  return packModule(wasm, runtime ? { ...manifest, runtime } : manifest, detectDigestProvider());
}

async function run(
  wasm: Uint8Array,
  engine?: EngineChoice,
  runtime?: Manifest['runtime'],
): Promise<{ r: RunResult; selected: AnyFaygerEvent[] }> {
  const fayger = createFayger({
    adapter: createMemoryAdapter(),
    trust: { allowUnsigned: true },
    ...(engine ? { engine } : {}),
  });
  const selected: AnyFaygerEvent[] = [];
  fayger.events!.on('runtime.implementation.selected', (e) => selected.push(e));
  try {
    return { r: await fayger.run(await buf(wasm, runtime)), selected };
  } finally {
    await fayger.close();
  }
}

const reasons = (events: AnyFaygerEvent[]) =>
  events.map(
    (e) => `${(e.data as { implementation: string }).implementation}: ${(e.data as { reason: string }).reason}`,
  );

/** Runs `f` on a host that refuses code generation, as a CSP without 'unsafe-eval' does (EvalError). */
async function withoutEval<T>(f: () => Promise<T>): Promise<T> {
  const real = globalThis.Function;
  const refusing = function () {
    throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed (CSP)');
  } as unknown as FunctionConstructor;
  globalThis.Function = refusing;
  try {
    return await f();
  } finally {
    globalThis.Function = real;
  }
}

afterEach(() => {
  expect(typeof globalThis.Function('return 1')).toBe('function');
});

describe('engine selection (createFayger engine option, runtime router)', () => {
  it('auto (the default) runs a scalar module on the transpiler, and says why', async () => {
    const { r, selected } = await run(LOOP);
    expect(r).toMatchObject({ state: 'Terminated', exitCode: 232, implementation: 'fayger-transpiler' });
    expect(reasons(selected)).toEqual([
      'fayger-transpiler: first registered implementation that fits (order: fayger-transpiler, fayger-interpreter)',
    ]);
  });

  it('interpreter and transpiler, forced, give the same exit code and use the same fuel', async () => {
    const a = await run(LOOP, 'interpreter');
    const b = await run(LOOP, 'transpiler');
    expect(a.r.implementation).toBe('fayger-interpreter');
    expect(b.r.implementation).toBe('fayger-transpiler');
    expect(a.r.exitCode).toBe(232);
    expect(b.r.exitCode).toBe(232);
    expect(b.r.usage.fuelUsed).toBe(a.r.usage.fuelUsed);
    expect(a.r.usage.fuelUsed).toBeGreaterThan(1000);
  });

  it('falls back to the interpreter at load when the transpiler refuses a module (SIMD), by supports() or by compile', async () => {
    for (const [wasm, exit] of [
      [SIMD_LOCAL, 8],
      [SIMD_STACK, 23],
    ] as const) {
      const { r, selected } = await run(wasm);
      expect(r.state).toBe('Terminated');
      expect(r.exitCode).toBe(exit);
      if (emitterCompilesSimd()) {
        // SIMD landed in the emitter: nothing to fall back from.
        expect(r.implementation).toBe('fayger-transpiler');
        continue;
      }
      expect(r.implementation).toBe('fayger-interpreter');
      const rs = reasons(selected);
      expect(rs).toHaveLength(2);
      expect(rs[0]).toMatch(/^fayger-transpiler: first registered/);
      expect(rs[1]).toMatch(/^fayger-interpreter: fallback at load: fayger-transpiler refused the module \(.*SIMD/);
    }
  });

  it('forcing the transpiler on a module it refuses fails with the typed refusal, no fallback', async () => {
    const { r, selected } = await run(SIMD_STACK, 'transpiler');
    if (emitterCompilesSimd()) {
      expect(r).toMatchObject({ state: 'Terminated', exitCode: 23, implementation: 'fayger-transpiler' });
      return;
    }
    expect(r.state).toBe('Failed');
    expect(r.error?.code).toBe('WASM_UNSUPPORTED_FEATURE');
    expect(r.error?.details).toMatchObject({ refused: true, feature: 'simd' });
    expect(selected).toHaveLength(1);
  });

  it('a host without eval (CSP): auto picks the interpreter and says why; forcing the transpiler is a typed error naming the option', async () => {
    const { r, selected } = await withoutEval(() => run(LOOP));
    expect(r).toMatchObject({ state: 'Terminated', exitCode: 232, implementation: 'fayger-interpreter' });
    expect(reasons(selected)[0]).toContain(
      'passed over fayger-transpiler (cannot run on this host: this host refuses new Function',
    );

    const err = await withoutEval(async () => {
      try {
        createFayger({ adapter: createMemoryAdapter(), trust: { allowUnsigned: true }, engine: 'transpiler' });
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(FaygerError.is(err, 'FAYGER_ENGINE_UNAVAILABLE')).toBe(true);
    expect((err as FaygerError).message).toContain('createFayger option engine');
    expect((err as FaygerError).details).toMatchObject({ engine: 'transpiler', feature: 'dynamic code generation' });
  });

  it("follows the manifest's runtime policy: preferred names and required features", async () => {
    const p = await run(LOOP, 'auto', { interface: '^1.0.0', implementation: { preferred: ['@fayger/interpreter'] } });
    expect(p.r.implementation).toBe('fayger-interpreter');
    expect(reasons(p.selected)[0]).toContain('preferred by the manifest (@fayger/interpreter)');
    const t = await run(LOOP, 'auto', { interface: '^1.0.0', implementation: { preferred: ['transpiler'] } });
    expect(t.r.implementation).toBe('fayger-transpiler');
    const simd = await run(LOOP, 'auto', { interface: '^1.0.0', implementation: { requiredFeatures: ['simd'] } });
    expect(simd.r.implementation).toBe(emitterCompilesSimd() ? 'fayger-transpiler' : 'fayger-interpreter');
  });

  it('rejects an unknown engine, and engine together with implementations', () => {
    const base = { adapter: createMemoryAdapter(), trust: { allowUnsigned: true } } as const;
    expect(() => createFayger({ ...base, engine: 'jit' as EngineChoice })).toThrow(/auto, interpreter, transpiler/);
    let e: unknown;
    try {
      createFayger({ ...base, engine: 'interpreter', implementations: [] });
    } catch (x) {
      e = x;
    }
    expect(FaygerError.is(e, 'INVALID_ARGUMENT')).toBe(true);
  });
});

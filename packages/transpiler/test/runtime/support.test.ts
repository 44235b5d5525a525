import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { FaygerError } from '@fayger/contracts';
import {
  createTranspilerImplementation,
  emitterCompilesSimd,
  estimatedSourceChars,
  TRANSPILER_LIMITS,
} from '../../src/index.js';
import { decode } from '@fayger/wasm';

const wabt = await wabtInit();
const wat = (src: string) => new Uint8Array(wabt.parseWat('t.wat', src, { simd: true } as never).toBinary({}).buffer);

async function rejection(p: Promise<unknown>): Promise<FaygerError> {
  try {
    await p;
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('what the transpiler runs: hostSupport(), supports(code) and typed refusals', () => {
  const impl = createTranspilerImplementation();

  it('this host (Node) allows new Function; a refusing one gets a no (asked once per implementation)', () => {
    expect(impl.hostSupport!()).toEqual({ ok: true });
    const real = globalThis.Function;
    globalThis.Function = function () {
      throw new EvalError('no eval');
    } as unknown as FunctionConstructor;
    try {
      expect(impl.hostSupport!()).toEqual({ ok: true }); // the first answer stands
      expect(createTranspilerImplementation().hostSupport!()).toMatchObject({
        ok: false,
        feature: 'dynamic code generation',
      });
    } finally {
      globalThis.Function = real;
    }
  });

  it('SIMD: refused by supports() (v128 declared) or by compile (v128 on the stack only) until the emitter has it', async () => {
    const local = wat('(module (func (export "f") (result i32) (local v128) (i32x4.extract_lane 0 (local.get 0))))');
    const stack = wat('(module (func (export "f") (result i32) (i32x4.extract_lane 0 (i32x4.splat (i32.const 5)))))');
    if (emitterCompilesSimd()) {
      expect(impl.descriptor.features).toContain('simd');
      expect(impl.supports!(local)).toEqual({ ok: true });
      await impl.compile(stack);
      return;
    }
    expect(impl.descriptor.features).not.toContain('simd');
    expect(impl.supports!(local)).toMatchObject({ ok: false, feature: 'simd' });
    expect(impl.supports!(stack)).toEqual({ ok: true }); // nothing declared: only the emitter knows
    for (const bytes of [local, stack]) {
      const e = await rejection(impl.compile(bytes));
      expect(e.code).toBe('WASM_UNSUPPORTED_FEATURE');
      expect(e.details).toMatchObject({ refused: true, feature: 'simd' });
    }
  });

  it('a module past TRANSPILER_LIMITS is refused before anything is emitted (the router falls back)', async () => {
    const n = Math.ceil(TRANSPILER_LIMITS.maxSourceChars / TRANSPILER_LIMITS.charsPerFunction) + 10;
    const big = wat(`(module ${'(func) '.repeat(n)} (func (export "_start")))`);
    expect(estimatedSourceChars(decode(big))).toBeGreaterThan(TRANSPILER_LIMITS.maxSourceChars);
    expect(impl.supports!(big)).toMatchObject({ ok: false, feature: 'code size' });
    expect((await rejection(impl.compile(big))).details).toMatchObject({ refused: true, feature: 'code size' });
    expect(impl.supports!(wat('(module (func (export "_start")))'))).toEqual({ ok: true });
  });

  it('invalid modules are not refusals: supports() says yes and compile reports the module', async () => {
    const bad = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 1]);
    expect(impl.supports!(bad)).toEqual({ ok: true });
    const e = await rejection(impl.compile(bad));
    expect(e.code).toBe('WASM_MALFORMED');
    expect(e.details.refused).toBeUndefined();
  });

  it('usage() reports grows refused by the instance limits, so the runtime can raise the quota breach', async () => {
    const code = await impl.compile(
      wat(`(module (memory (export "memory") 1) (table 1 funcref)
      (func (export "f") (result i32 i32) (memory.grow (i32.const 100)) (table.grow (ref.null func) (i32.const 50))))`),
    );
    const inst = await code.instantiate({}, { maxMemoryPages: 10, maxTableElements: 20 });
    const out = inst.call('f', []).run();
    expect(out).toMatchObject({ status: 'completed', values: [-1, -1] });
    expect(inst.usage().refused).toEqual({ memoryPages: 101, tableElements: 51 });
  });
});

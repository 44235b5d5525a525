import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { readFileSync } from 'node:fs';
import * as WA from '@fayger/transpiler/webassembly';
import * as IWA from '@fayger/interpreter/webassembly';
import { describeFacade } from '@fayger/wasm-testgen';

/** The interpreter facade's fixture (checked in there, built from facade.wat): the same module, the other engine. */
function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../interpreter/test/fixtures/${name}.wasm`, import.meta.url)));
}

async function load(logs: unknown[][] = []) {
  const { module, instance } = await WA.instantiate(fixture('facade'), {
    env: { log: (...a: unknown[]) => logs.push(a), base: 5 },
  });
  return { module, instance, exports: instance.exports as Record<string, any> };
}

// The interpreter facade's suite, on this engine (tooling/wasm-testgen/src/facade-suite.ts).
describeFacade('WebAssembly facade over the transpiler', {
  WA,
  fixture: () => fixture('facade'),
  isFaygerError: (e, code) => FaygerError.is(e, code as never),
});

describe('WebAssembly facade over the transpiler: engine specifics', () => {
  it('runs on generated JavaScript, and shares Memory/Table/Global with the interpreter facade', async () => {
    const { module, exports } = await load();
    expect(WA.Module).not.toBe(IWA.Module);
    expect(module).toBeInstanceOf(WA.Module);
    expect(WA.Memory).toBe(IWA.Memory);
    // An export of one engine imported by the other is called as a JS function.
    const other = await IWA.instantiate(fixture('facade'), { env: { log: exports.add, base: 1 } });
    expect((other.instance.exports as any).add(20, 22)).toBe(42);
  });

  it('a host that refuses code generation gets a CompileError whose cause is the typed refusal', async () => {
    const real = globalThis.Function;
    globalThis.Function = function () {
      throw new EvalError('code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    let err: unknown;
    try {
      await WA.compile(fixture('facade'));
    } catch (e) {
      err = e;
    } finally {
      globalThis.Function = real;
    }
    expect(err).toBeInstanceOf(WA.CompileError);
    expect(FaygerError.is((err as Error).cause, 'WASM_UNSUPPORTED_FEATURE')).toBe(true);
    expect(((err as Error).cause as FaygerError).details.refused).toBe(true);
  });
});

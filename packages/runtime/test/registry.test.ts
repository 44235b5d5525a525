import { FaygerError, type RuntimeImplementation } from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { describe, expect, it } from 'vitest';
import { createRuntime, ImplementationRegistry } from '../src/index.js';
import { FakeBus } from './support/fake-bus.js';
import { loadedBuf, wat } from './support/harness.js';

const fake = (id: string, features: string[]): RuntimeImplementation => ({
  descriptor: { id, version: '1.0.0', features, wasmVersion: '2.0' },
  compile: async () => {
    throw new Error('not used');
  },
});

const EMPTY = wat('(module (func (export "_start")))');

function caught(f: () => unknown): FaygerError {
  try {
    f();
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('implementation registry and router', () => {
  it('follows the manifest preference order, then registration order', () => {
    const reg = new ImplementationRegistry();
    reg.register(fake('a', ['fuel']));
    reg.register({ implementation: fake('b', ['fuel', 'suspend']), aliases: ['@acme/b'] });
    expect(reg.route({ interface: '^1.0.0' }).implementation.descriptor.id).toBe('a');
    expect(
      reg.route({ interface: '^1.0.0', implementation: { preferred: ['@acme/b'] } }).implementation.descriptor.id,
    ).toBe('b');
    expect(
      reg.route({ interface: '^1.0.0', implementation: { preferred: ['missing', 'a'] } }).implementation.descriptor.id,
    ).toBe('a');
  });

  it('skips candidates lacking a required feature or serving another interface version, and says why', () => {
    const reg = new ImplementationRegistry();
    reg.register(fake('nofuel', ['suspend']));
    reg.register({ implementation: fake('old', ['suspend', 'fuel']), interfaceVersion: '0.9.0' });
    reg.register(fake('good', ['suspend', 'fuel']));
    const r = reg.route({ interface: '^1.0.0', implementation: { requiredFeatures: ['fuel', 'suspend'] } });
    expect(r.implementation.descriptor.id).toBe('good');
    expect(r.rejected).toEqual([
      { id: 'nofuel', reason: 'lacks required feature fuel' },
      { id: 'old', reason: 'serves Runtime_Interface 0.9.0, outside ^1.0.0' },
    ]);
  });

  it('throws RUNTIME_NO_IMPLEMENTATION listing each candidate and why it was rejected', () => {
    const { runtime } = {
      runtime: createRuntime({
        implementations: [fake('x', ['fuel']), createInterpreterImplementation()],
        bus: new FakeBus(),
      }),
    };
    const err = caught(() =>
      runtime.instantiate(
        loadedBuf({ code: EMPTY, runtime: { interface: '^1.0.0', implementation: { requiredFeatures: ['threads'] } } }),
      ),
    );
    expect(err.code).toBe('RUNTIME_NO_IMPLEMENTATION');
    expect(err.details.candidates).toEqual([
      { id: 'x', reason: 'lacks required feature threads' },
      { id: 'fayger-interpreter', reason: 'lacks required feature threads' },
    ]);
    expect(err.message).toContain('fayger-interpreter: lacks required feature threads');

    const err2 = caught(() => runtime.instantiate(loadedBuf({ code: EMPTY, runtime: { interface: '^2.0.0' } })));
    expect(err2.code).toBe('RUNTIME_NO_IMPLEMENTATION');
    expect((err2.details.candidates as { reason: string }[])[0]!.reason).toContain('outside ^2.0.0');
  });

  it('applies host-policy required features on top of the manifest', () => {
    const runtime = createRuntime({
      implementations: [fake('jit', ['fuel', 'suspend']), createInterpreterImplementation()],
      bus: new FakeBus(),
      hostPolicy: { requiredFeatures: ['jitless'] },
    });
    expect(runtime.instantiate(loadedBuf({ code: EMPTY })).implementation).toBe('fayger-interpreter');
  });

  it('refuses duplicate and malformed registrations', () => {
    const reg = new ImplementationRegistry();
    reg.register(fake('a', []));
    expect(caught(() => reg.register(fake('a', []))).code).toBe('RUNTIME_IMPLEMENTATION_DUPLICATE');
    expect(caught(() => reg.register({} as never)).code).toBe('RUNTIME_IMPLEMENTATION_INVALID');
    expect(caught(() => reg.register({ implementation: fake('b', []), interfaceVersion: 'one' })).code).toBe(
      'RUNTIME_IMPLEMENTATION_INVALID',
    );
  });

  it('rejects invalid runtime options with RUNTIME_OPTIONS_INVALID', () => {
    expect(caught(() => createRuntime({ implementations: [], bus: {} as never })).code).toBe('RUNTIME_OPTIONS_INVALID');
    expect(
      caught(() => createRuntime({ implementations: [], bus: new FakeBus(), limits: { sliceFuel: 0 } })).code,
    ).toBe('RUNTIME_OPTIONS_INVALID');
    const e = caught(() =>
      createRuntime({ implementations: [], bus: new FakeBus(), limits: { actions: { fuel: 'throttle' } } }),
    );
    expect(e.code).toBe('RUNTIME_OPTIONS_INVALID');
    expect(e.message).toContain('fail, suspend');
  });
});

describe('router: host support, load-time fallback on a refusal', () => {
  const QUIT = wat('(module (func (export "_start") (result i32) (i32.const 7)))');

  it('passes over an implementation the host cannot run (hostSupport asked once) and says why', () => {
    let asked = 0;
    const noEval: RuntimeImplementation = {
      ...fake('codegen', ['fuel', 'suspend']),
      hostSupport: () => (asked++, { ok: false, reason: 'new Function refused' }),
    };
    const reg = new ImplementationRegistry();
    reg.register(noEval);
    reg.register(createInterpreterImplementation());
    const r = reg.route({ interface: '^1.0.0' });
    reg.route({ interface: '^1.0.0' });
    expect(asked).toBe(1);
    expect(r.implementation.descriptor.id).toBe('fayger-interpreter');
    expect(r.fallbacks).toEqual([]);
    expect(r.reason).toContain('passed over codegen (cannot run on this host: new Function refused)');
  });

  it('falls back when supports(code) says no, or compile refuses (details.refused); not on other errors', async () => {
    const refusing = (id: string, how: 'supports' | 'compile' | 'invalid'): RuntimeImplementation => ({
      descriptor: { id, version: '1.0.0', features: ['fuel', 'suspend'], wasmVersion: '2.0' },
      ...(how === 'supports' ? { supports: () => ({ ok: false as const, reason: 'uses simd', feature: 'simd' }) } : {}),
      compile: async () => {
        throw new FaygerError(
          how === 'invalid'
            ? { code: 'WASM_INVALID', phase: 'validate', message: 'bad module' }
            : {
                code: 'WASM_UNSUPPORTED_FEATURE',
                phase: 'decode',
                message: 'no template',
                details: { refused: true, feature: 'x' },
              },
        );
      },
    });
    for (const how of ['supports', 'compile'] as const) {
      const events: { name: string; data: unknown }[] = [];
      const runtime = createRuntime({
        implementations: [refusing('first', how), createInterpreterImplementation()],
        bus: new FakeBus(),
        events: { emit: (e) => events.push(e) },
      });
      const inst = runtime.instantiate(loadedBuf({ code: QUIT }));
      expect(inst.implementation).toBe('first');
      const exit = await inst.runToCompletion();
      expect(exit).toMatchObject({ state: 'Terminated', exitCode: 7 });
      expect(inst.implementation).toBe('fayger-interpreter');
      const selected = events
        .filter((e) => e.name === 'runtime.implementation.selected')
        .map((e) => e.data as { implementation: string; reason: string });
      expect(selected.map((s) => s.implementation)).toEqual(['first', 'fayger-interpreter']);
      expect(selected[1]!.reason).toMatch(
        how === 'supports'
          ? /^fallback at load: first refused the module \(uses simd\)$/
          : /^fallback at load: first refused the module \(.*no template/,
      );
    }
    const runtime = createRuntime({
      implementations: [refusing('first', 'invalid'), createInterpreterImplementation()],
      bus: new FakeBus(),
    });
    const inst = runtime.instantiate(loadedBuf({ code: QUIT }));
    const exit = await inst.runToCompletion().catch((e: unknown) => e);
    expect(
      FaygerError.is(exit, 'WASM_INVALID') || FaygerError.is((exit as { error?: unknown }).error, 'WASM_INVALID'),
    ).toBe(true);
    expect(inst.implementation).toBe('first');

    // Nothing to fall back to: the refusal itself.
    const alone = createRuntime({ implementations: [refusing('only', 'supports')], bus: new FakeBus() }).instantiate(
      loadedBuf({ code: QUIT }),
    );
    const e = await alone.runToCompletion().catch((x: unknown) => x);
    const err = FaygerError.is(e) ? e : (e as { error?: FaygerError }).error;
    expect(err?.code).toBe('WASM_UNSUPPORTED_FEATURE');
    expect(err?.details).toMatchObject({ refused: true, feature: 'simd', implementation: 'only' });
  });
});

import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { cap, loadedBuf, setup, sleep, wat } from './support/harness.js';

const LOOP = wat(`(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "_start") (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l))))`);

const TRAP = wat(`(module (func (export "_start") (unreachable)))`);

const WAIT_KV = wat(`(module
  (import "fayger" "call" (func $call (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "kv.get")
  (data (i32.const 16) "{\\"key\\":\\"k\\"}")
  (func (export "_start") (drop (call $call (i32.const 0) (i32.const 6) (i32.const 16) (i32.const 11)))))`);

async function expectFaygerError(p: Promise<unknown>, code: string): Promise<FaygerError> {
  try {
    await p;
  } catch (e) {
    expect(FaygerError.is(e)).toBe(true);
    expect((e as FaygerError).code).toBe(code);
    return e as FaygerError;
  }
  throw new Error(`expected ${code}`);
}

function expectIllegal(f: () => void): void {
  try {
    f();
  } catch (e) {
    expect(FaygerError.is(e, 'LIFECYCLE_ILLEGAL_TRANSITION')).toBe(true);
    return;
  }
  throw new Error('expected LIFECYCLE_ILLEGAL_TRANSITION');
}

describe('lifecycle manager', () => {
  it('refuses illegal transitions and leaves the state unchanged', async () => {
    const { runtime } = setup();
    const inst = runtime.instantiate(loadedBuf({ code: LOOP }));
    expectIllegal(() => inst.resume()); // Loaded → Running skips Initialized
    expectIllegal(() => inst.suspend()); // Loaded → Suspended
    expect(inst.state).toBe('Loaded');
    await inst.start();
    expect(inst.state).toBe('Running');
    expectIllegal(() => inst.resume()); // Running → Running
    await expectFaygerError(inst.start(), 'LIFECYCLE_ILLEGAL_TRANSITION'); // Running → Initialized
    inst.suspend();
    expectIllegal(() => inst.suspend());
    inst.resume();
    inst.terminate();
    expect(inst.state).toBe('Terminated');
    expectIllegal(() => inst.terminate());
    expectIllegal(() => inst.resume());
    await expectFaygerError(inst.start(), 'LIFECYCLE_ILLEGAL_TRANSITION');
    await runtime.shutdown();
  });

  it('suspends and resumes a running guest: no fuel is used while Suspended', async () => {
    const { runtime, events } = setup({ limits: { sliceFuel: 2000 } });
    const inst = runtime.instantiate(loadedBuf({ code: LOOP }));
    await inst.start();
    await sleep(30);
    inst.suspend();
    const at = inst.usage().fuelUsed;
    expect(at).toBeGreaterThan(0);
    await sleep(30);
    expect(inst.usage().fuelUsed).toBe(at);
    inst.resume();
    await sleep(30);
    expect(inst.usage().fuelUsed).toBeGreaterThan(at);
    inst.terminate('test over');
    const info = await inst.done;
    expect(info.state).toBe('Terminated');
    const to = events.flatMap((e) =>
      e.name === 'runtime.lifecycle.transition' && e.instanceId === inst.id ? [`${e.data.to}:${e.data.cause}`] : [],
    );
    expect(to).toEqual([
      'Initialized:start',
      'Running:start',
      'Suspended:suspend',
      'Running:resume',
      'Terminated:host-terminate',
    ]);
  });

  it('a guest trap ends in Failed carrying the trap code, with an event', async () => {
    const { runtime, events } = setup();
    const inst = runtime.instantiate(loadedBuf({ code: TRAP }));
    const err = await expectFaygerError(inst.runToCompletion(), 'TRAP_UNREACHABLE');
    expect(inst.state).toBe('Failed');
    expect(inst.error).toBe(err);
    const failed = events.find((e) => e.name === 'runtime.lifecycle.transition' && e.data.to === 'Failed');
    expect(failed?.level).toBe('error');
    expect(failed?.data).toMatchObject({
      from: 'Running',
      to: 'Failed',
      cause: 'guest-trap',
      error: { code: 'TRAP_UNREACHABLE' },
    });
  });

  it('terminate while a host call is pending cancels it on the bus and releases the guest', async () => {
    const { runtime, bus } = setup();
    bus.hang.add('kv.get');
    const inst = runtime.instantiate(loadedBuf({ code: WAIT_KV, capabilities: [cap('kv')] }));
    await inst.start();
    for (let i = 0; i < 50 && bus.pendingCount(inst.id) === 0; i++) await sleep(2);
    expect(bus.pendingCount(inst.id)).toBe(1);
    inst.terminate();
    const info = await inst.done;
    expect(info.state).toBe('Terminated');
    await sleep(1);
    expect(bus.closed).toContain(inst.id);
    expect(bus.pendingCount(inst.id)).toBe(0);
    expect(bus.opened.has(inst.id)).toBe(false);
  });

  it('a required capability the host does not grant fails start with CAPABILITY_REQUIRED_MISSING', async () => {
    const { runtime } = setup();
    const inst = runtime.instantiate(loadedBuf({ code: LOOP, capabilities: [cap('net.http')] }));
    expect(inst.grants.missingRequired).toEqual(['net.http']);
    const err = await expectFaygerError(inst.start(), 'CAPABILITY_REQUIRED_MISSING');
    expect(err.details.missing).toEqual(['net.http']);
    expect(inst.state).toBe('Failed');
  });

  it('a missing entry export fails with RUNTIME_ENTRY_NOT_FOUND; malformed code with the implementation code', async () => {
    const { runtime } = setup();
    await expectFaygerError(
      runtime.instantiate(loadedBuf({ code: LOOP, entry: 'main' })).start(),
      'RUNTIME_ENTRY_NOT_FOUND',
    );
    await expectFaygerError(
      runtime.instantiate(loadedBuf({ code: new Uint8Array([0, 97, 115, 109, 9]) })).start(),
      'WASM_MALFORMED',
    );
  });

  it('onTransition listeners see every transition; exitCode comes from the entry result', async () => {
    const { runtime } = setup();
    const inst = runtime.instantiate(
      loadedBuf({ code: wat('(module (func (export "_start") (result i32) (i32.const 7)))') }),
    );
    const seen: string[] = [];
    inst.onTransition((t) => seen.push(`${t.from}>${t.to}`));
    const info = await inst.run();
    expect(info.exitCode).toBe(7);
    expect(inst.exitCode).toBe(7);
    expect(seen).toEqual(['Loaded>Initialized', 'Initialized>Running', 'Running>Terminated']);
  });
});

describe('lifecycle edge cases', () => {
  it('an entry code section that is not selected fails with RUNTIME_CODE_SECTION_MISSING', async () => {
    const { runtime } = setup();
    const buf = { ...loadedBuf({ code: LOOP }), has: () => false };
    await expectFaygerError(runtime.instantiate(buf).start(), 'RUNTIME_CODE_SECTION_MISSING');
  });

  it('a malformed grant report is refused at instantiate with RUNTIME_OPTIONS_INVALID', () => {
    const { runtime } = setup();
    try {
      runtime.instantiate(loadedBuf({ code: LOOP }), { grants: { granted: 'all' } as never });
      throw new Error('expected a throw');
    } catch (e) {
      expect(FaygerError.is(e, 'RUNTIME_OPTIONS_INVALID')).toBe(true);
    }
  });

  it('a throwing event sink does not break the instance', async () => {
    const { runtime } = setup({
      events: {
        emit: () => {
          throw new Error('sink down');
        },
      },
    });
    const info = await runtime
      .instantiate(loadedBuf({ code: wat('(module (func (export "_start")))') }))
      .runToCompletion();
    expect(info).toMatchObject({ state: 'Terminated', exitCode: 0 });
  });

  it('terminate from Suspended and from Loaded; runtime.shutdown ends every live instance', async () => {
    const { runtime, bus } = setup();
    const a = runtime.instantiate(loadedBuf({ code: LOOP }));
    const b = runtime.instantiate(loadedBuf({ code: LOOP }));
    const c = runtime.instantiate(loadedBuf({ code: LOOP }));
    await a.start();
    await b.start();
    a.suspend();
    a.terminate();
    expect(a.state).toBe('Terminated');
    c.terminate(); // never started
    expect(c.state).toBe('Terminated');
    expect(runtime.instances()).toEqual([b]);
    await runtime.shutdown();
    expect(b.state).toBe('Terminated');
    await sleep(1);
    expect(bus.closed.sort()).toEqual([a.id, b.id].sort()); // c never opened on the bus
  });

  it('_initialize runs before the entry (WASI reactor convention)', async () => {
    const { runtime } = setup();
    const code = wat(`(module (global $g (mut i32) (i32.const 1))
      (func (export "_initialize") (global.set $g (i32.const 40)))
      (func (export "_start") (result i32) (i32.add (global.get $g) (i32.const 2))))`);
    expect((await runtime.instantiate(loadedBuf({ code })).runToCompletion()).exitCode).toBe(42);
  });
});

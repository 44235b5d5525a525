import { createInstructionBus, createMemoryAdapter } from '@fayger/adapter-core';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { describe, expect, it } from 'vitest';
import { createRuntime, FAYGER_STATUS, WASI_ERRNO } from '../src/index.js';
import { cap, faygerGuest, loadedBuf, wasiGuest } from './support/harness.js';

function withRealBus(policyAllow: 'available' | { name: string; scope?: { roots: string[] } }[] = 'available') {
  const adapter = createMemoryAdapter({
    files: { '/data/in.txt': 'from the adapter', '/etc/passwd': 'nope' },
    writableRoots: ['/data'],
  });
  const bus = createInstructionBus({ adapter, policy: { allow: policyAllow as never } });
  const runtime = createRuntime({ implementations: [createInterpreterImplementation()], bus });
  return { adapter, bus, runtime };
}

describe('with the adapter-core bus and memory adapter', () => {
  it('negotiates grants, logs and reads the clock through the real bus', async () => {
    const { adapter, runtime } = withRealBus();
    const code = faygerGuest(
      `(if (f64.lt (call $clock_now (i32.const 0)) (f64.const 1)) (then (return (i32.const 9))))
       (call $log (i32.const 2) {hello})`,
      { hello: 'hello, adapter-core' },
    );
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('log'), cap('clock')] }));
    expect(inst.grants.granted.map((g) => g.name).sort()).toEqual(['clock', 'log']);
    expect((await inst.runToCompletion()).exitCode).toBe(FAYGER_STATUS.OK);
    expect(adapter.logs.map((l) => l.message)).toEqual(['hello, adapter-core']);
  });

  it('host policy denial reaches the guest as FAYGER_EDENIED (optional capability reported absent)', async () => {
    const { runtime } = withRealBus([{ name: 'log' }]);
    const code = faygerGuest(
      `(i32.add (i32.mul (call $has {clock}) (i32.const 10)) (call $random_fill (i32.const 4096) (i32.const 4)))`,
      { clock: 'clock' },
    );
    const inst = runtime.instantiate(
      loadedBuf({
        code,
        capabilities: [cap('log'), cap('clock', { required: false }), cap('random', { required: false })],
      }),
    );
    expect(inst.grants.absentOptional.sort()).toEqual(['clock', 'random']);
    expect((await inst.runToCompletion()).exitCode).toBe(FAYGER_STATUS.EDENIED);
  });

  it('WASI reads a file under the granted root; the adapter refuses what the runtime lets through only inside roots', async () => {
    const { runtime } = withRealBus();
    const code = wasiGuest(
      `(local $e i32)
       (local.set $e (call $path_open (i32.const 3) (i32.const 0) {name} (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 160)))
       (if (local.get $e) (then (return (i32.add (i32.const 1000) (local.get $e)))))
       (i32.store (i32.const 16) (i32.const 4096)) (i32.store (i32.const 20) (i32.const 64))
       (if (call $fd_read (i32.load (i32.const 160)) (i32.const 16) (i32.const 1) (i32.const 24)) (then (return (i32.const 2000))))
       (i32.add (i32.mul (i32.load (i32.const 24)) (i32.const 100))
         (call $path_open (i32.const 3) (i32.const 0) {outside} (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 160)))`,
      { name: 'in.txt', outside: '../etc/passwd' },
      ['path_open', 'fd_read'],
    );
    const inst = runtime.instantiate(
      loadedBuf({ code, capabilities: [cap('fs.read', { scope: { roots: ['/data'] } })] }),
    );
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe('from the adapter'.length * 100 + WASI_ERRNO.ENOTCAPABLE);
  });
});

import { describe, expect, it } from 'vitest';
import { cap, loadedBuf, setup, str, TEST_IMPLEMENTATION_ID, wat } from './support/harness.js';

const HELLO = wat(`(module
  (import "fayger" "log" (func $log (param i32 i32 i32) (result i32)))
  (import "fayger" "clock_now" (func $now (param i32) (result f64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "${str('hello from the guest')}")
  (global $t (mut f64) (f64.const 0))
  (func (export "_start") (result i32)
    (global.set $t (call $now (i32.const 0)))
    (if (f64.lt (global.get $t) (f64.const 1600000000000)) (then (return (i32.const 9))))
    (drop (call $log (i32.const 2) (i32.const 16) (i32.const 20)))
    (i32.const 0)))`);

describe('hello guest (log + clock)', () => {
  it('runs to completion, logging through the bus and reading the clock', async () => {
    const { runtime, bus, events } = setup();
    const inst = runtime.instantiate(loadedBuf({ code: HELLO, capabilities: [cap('log'), cap('clock')] }));
    expect(inst.state).toBe('Loaded');
    const info = await inst.runToCompletion();
    expect(info.state).toBe('Terminated');
    expect(info.exitCode).toBe(0);
    expect(bus.logs).toEqual([{ instanceId: inst.id, level: 'info', message: 'hello from the guest' }]);
    expect(bus.dispatched.map((i) => i.op)).toEqual(['clock.now', 'log.write']);
    const transitions = events.flatMap((e) =>
      e.name === 'runtime.lifecycle.transition' ? [`${e.data.to}:${e.data.cause}`] : [],
    );
    expect(transitions).toEqual(['Initialized:start', 'Running:start', 'Terminated:entry-returned']);
    const selected = events.find((e) => e.name === 'runtime.implementation.selected');
    expect(selected?.data).toEqual({
      implementation: TEST_IMPLEMENTATION_ID,
      reason: 'first registered implementation that fits',
    });
    expect(selected?.layer).toBe('runtime');
    expect(info.usage.hostCalls).toBe(2);
    expect(info.usage.fuelUsed).toBeGreaterThan(0);
    expect(bus.closed).toContain(inst.id);
  });
});

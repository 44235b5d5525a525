import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { cap, faygerGuest, loadedBuf, setup, sleep, wat } from './support/harness.js';

const LOOP = wat(
  `(module (func (export "_start") (local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))))`,
);
const BOMB = wat(`(module (memory (export "memory") 1)
  (func (export "_start") (result i32)
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (memory.size)))`);
const TRAP = wat(`(module (func (export "_start") (drop (i32.div_s (i32.const 1) (i32.const 0)))))`);
const WORK = wat(`(module (memory (export "memory") 1)
  (func (export "_start") (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20000))))
    (i32.store (i32.const 0) (local.get $acc))
    (i32.and (i32.load (i32.const 0)) (i32.const 127))))`);

function expectedWork(): number {
  let acc = 0;
  for (let i = 0; i < 20000; i++) acc = (acc + Math.imul(i, i)) | 0;
  return acc & 127;
}

describe('scheduler: many instances, cooperatively, isolated', () => {
  it('a looping instance, a memory bomb and a trapping instance do not stop or corrupt a well-behaved one', async () => {
    const { runtime } = setup({ limits: { sliceFuel: 5000 } });
    const loop = runtime.instantiate(loadedBuf({ code: LOOP }));
    const bomb = runtime.instantiate(loadedBuf({ code: BOMB, quotas: { memoryPages: 32 } }));
    const trap = runtime.instantiate(loadedBuf({ code: TRAP }));
    const good = runtime.instantiate(loadedBuf({ code: WORK }));
    await Promise.all([loop.start(), bomb.start(), trap.start(), good.start()]);

    const goodInfo = await good.done;
    expect(goodInfo.state).toBe('Terminated');
    expect(goodInfo.exitCode).toBe(expectedWork());

    const bombInfo = await bomb.done;
    expect(bombInfo.state).toBe('Failed');
    expect(bombInfo.error?.code).toBe('QUOTA_MEMORY_EXCEEDED');
    expect(bombInfo.usage.peakMemoryPages).toBe(33); // stopped one page past the quota, not at 65536

    const trapInfo = await trap.done;
    expect(trapInfo.error?.code).toBe('TRAP_INTEGER_DIVIDE_BY_ZERO');

    expect(loop.state).toBe('Running'); // still looping, yet everyone else finished
    expect(loop.usage().fuelUsed).toBeGreaterThan(0);
    loop.terminate();
    expect(runtime.instances()).toEqual([]);
  });

  it('shares fuel fairly between two busy instances (within 10 %)', { timeout: 120_000 }, async () => {
    const { runtime } = setup({ limits: { sliceFuel: 2000 } });
    const a = runtime.instantiate(loadedBuf({ code: LOOP }));
    const b = runtime.instantiate(loadedBuf({ code: LOOP }));
    await Promise.all([a.start(), b.start()]);
    // Bounded by work done, not by time: a loaded machine only takes longer to get there.
    while (a.usage().fuelUsed + b.usage().fuelUsed < 100_000) await sleep(5);
    a.suspend();
    b.suspend();
    const fa = a.usage().fuelUsed;
    const fb = b.usage().fuelUsed;
    expect(fa).toBeGreaterThan(10_000);
    expect(Math.abs(fa - fb) / Math.max(fa, fb)).toBeLessThan(0.1);
    await runtime.shutdown();
  });

  it('a memory quota with action throttle caps growth: memory.grow returns -1 and the guest goes on', async () => {
    const { runtime } = setup({ limits: { actions: { memoryPages: 'throttle' } } });
    const info = await runtime.instantiate(loadedBuf({ code: BOMB, quotas: { memoryPages: 8 } })).runToCompletion();
    expect(info.exitCode).toBe(8);
  });

  it('a fuel quota fails the instance with QUOTA_FUEL_EXCEEDED (action fail)', async () => {
    const { runtime, events } = setup({ limits: { sliceFuel: 1000 } });
    const inst = runtime.instantiate(loadedBuf({ code: LOOP, quotas: { fuel: 50_000 } }));
    const err = await inst.runToCompletion().catch((e: unknown) => e);
    expect(FaygerError.is(err, 'QUOTA_FUEL_EXCEEDED')).toBe(true);
    expect(inst.usage().fuelUsed).toBeLessThanOrEqual(50_000);
    expect(inst.usage().fuelUsed).toBeGreaterThan(49_000);
    const kinds = events.filter((e) => e.instanceId === inst.id).map((e) => e.name);
    expect(kinds).toContain('runtime.quota.warning');
    expect(kinds).toContain('runtime.quota.breach');
    const warning = events.find((e) => e.name === 'runtime.quota.warning')!.data as {
      resource: string;
      used: number;
      limit: number;
    };
    expect(events.find((e) => e.name === 'runtime.quota.breach')?.data).toMatchObject({
      resource: 'fuel',
      limit: 50_000,
      action: 'fail',
    });
    expect(events.find((e) => e.name === 'runtime.lifecycle.transition' && e.data.to === 'Failed')?.data).toMatchObject(
      { cause: 'quota:fuel' },
    );
    expect(warning.resource).toBe('fuel');
    expect(warning.used).toBeGreaterThanOrEqual(40_000);
  });

  it('a fuel quota with action suspend parks the instance; raising the limit and resuming finishes it', async () => {
    const { runtime } = setup({ limits: { sliceFuel: 1000, actions: { fuel: 'suspend' } } });
    const inst = runtime.instantiate(loadedBuf({ code: WORK, quotas: { fuel: 20_000 } }));
    const causes: (string | undefined)[] = [];
    inst.onTransition((t) => t.to === 'Suspended' && causes.push(t.cause?.code));
    await inst.start();
    for (let i = 0; i < 100 && inst.state !== 'Suspended'; i++) await sleep(2);
    expect(inst.state).toBe('Suspended');
    expect(causes).toEqual(['QUOTA_FUEL_EXCEEDED']);
    expect(inst.usage().fuelUsed).toBeLessThanOrEqual(20_000);
    inst.setLimits({ fuel: 10_000_000 });
    inst.resume();
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(expectedWork());
  });

  it('a hard wall-time quota fails a looping instance, and a waiting one', async () => {
    const { runtime } = setup();
    const loop = runtime.instantiate(loadedBuf({ code: LOOP, quotas: { wallTimeMs: 40 } }));
    const err = await loop.runToCompletion().catch((e: unknown) => e);
    expect(FaygerError.is(err, 'QUOTA_WALL_TIME_EXCEEDED')).toBe(true);
    expect(loop.usage().wallTimeMs).toBeGreaterThanOrEqual(40);

    const sleeper = faygerGuest(`(drop (call $sleep_ms (f64.const 5000))) (i32.const 0)`);
    const waiting = runtime.instantiate(
      loadedBuf({ code: sleeper, capabilities: [cap('timer')], quotas: { wallTimeMs: 40 } }),
    );
    const t0 = performance.now();
    const err2 = await waiting.runToCompletion().catch((e: unknown) => e);
    expect(FaygerError.is(err2, 'QUOTA_WALL_TIME_EXCEEDED')).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('an endless start function (no fuel quota) is sliced: wall time fails it, terminate() stops it, others keep running', async () => {
    const START_LOOP = wat(`(module (func $s (loop $l (br $l))) (start $s) (func (export "_start")))`);
    const { runtime } = setup({ limits: { sliceFuel: 5000 } });
    const timed = runtime.instantiate(loadedBuf({ code: START_LOOP, quotas: { wallTimeMs: 40 } }));
    const stopped = runtime.instantiate(loadedBuf({ code: START_LOOP }));
    const good = runtime.instantiate(loadedBuf({ code: WORK }));
    const err = timed.runToCompletion().catch((e: unknown) => e);
    const stoppedDone = stopped.start().then(() => stopped.done);
    // The good instance completes although two start functions never return: they yield between slices.
    expect((await good.runToCompletion()).exitCode).toBe(expectedWork());
    expect(FaygerError.is(await err, 'QUOTA_WALL_TIME_EXCEEDED')).toBe(true);
    expect(timed.usage().wallTimeMs).toBeGreaterThanOrEqual(40);
    stopped.terminate();
    expect((await stoppedDone).state).toBe('Terminated');
    expect(runtime.instances()).toEqual([]);
  }, 120_000);

  it('a call-depth quota turns runaway recursion into QUOTA_CALL_DEPTH_EXCEEDED', async () => {
    const { runtime } = setup();
    const code = wat(`(module (func $f (param i32) (result i32) (call $f (i32.add (local.get 0) (i32.const 1))))
      (func (export "_start") (drop (call $f (i32.const 0)))))`);
    const inst = runtime.instantiate(loadedBuf({ code, quotas: { callDepth: 200 } }));
    const err = (await inst.runToCompletion().catch((e: unknown) => e)) as FaygerError;
    expect(err.code).toBe('QUOTA_CALL_DEPTH_EXCEEDED');
    expect((err.cause as FaygerError).code).toBe('TRAP_CALL_STACK_EXHAUSTED');
  });

  it('host policy caps the manifest quota (min of both)', async () => {
    const { runtime } = setup({ hostPolicy: { resources: { fuel: 30_000 } }, limits: { sliceFuel: 1000 } });
    const inst = runtime.instantiate(loadedBuf({ code: LOOP, quotas: { fuel: 1_000_000 } }));
    await inst.runToCompletion().catch(() => undefined);
    expect(inst.usage().fuelLimit).toBe(30_000);
    expect(inst.usage().fuelUsed).toBeLessThanOrEqual(30_000);
    expect(inst.usage().fuelUsed).toBeGreaterThan(29_000);
  });

  it('fuelPerSecond throttles a busy instance by holding back its slices', { timeout: 120_000 }, async () => {
    const { runtime } = setup({ hostPolicy: { resources: { fuelPerSecond: 50_000 } }, limits: { sliceFuel: 1000 } });
    const free = setup({ limits: { sliceFuel: 1000 } }).runtime;
    const slow = runtime.instantiate(loadedBuf({ code: LOOP }));
    const fast = free.instantiate(loadedBuf({ code: LOOP }));
    const started = performance.now();
    await Promise.all([slow.start(), fast.start()]);
    // Until the unthrottled one has done a fixed amount of work (a slow machine only takes longer).
    while (fast.usage().fuelUsed < 150_000) await sleep(5);
    const s = slow.usage();
    const elapsedS = (performance.now() - started) / 1000;
    await runtime.shutdown();
    await free.shutdown();
    // The rate is an upper bound whatever the machine's speed: 50k per elapsed second, plus a 5k burst and one
    // slice of slack; and the throttle did hold slices back.
    expect(s.fuelUsed).toBeLessThanOrEqual(50_000 * elapsedS + 5_000 + 1_000);
    expect(s.throttledMs).toBeGreaterThan(0);
  });
});

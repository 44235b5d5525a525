import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { FAYGER_STATUS } from '../src/index.js';
import { cap, faygerGuest, loadedBuf, setup, wat } from './support/harness.js';

/** Logs `n` times (n = 40), returns the number of FAYGER_EQUOTA results * 1000 + the number of OKs. */
const LOGGER = faygerGuest(
  `(local $i i32) (local $ok i32) (local $quota i32) (local $s i32)
   (loop $l
     (local.set $s (call $log (i32.const 2) {msg}))
     (if (i32.eqz (local.get $s)) (then (local.set $ok (i32.add (local.get $ok) (i32.const 1)))))
     (if (i32.eq (local.get $s) (i32.const ${FAYGER_STATUS.EQUOTA})) (then (local.set $quota (i32.add (local.get $quota) (i32.const 1)))))
     (local.set $i (i32.add (local.get $i) (i32.const 1)))
     (br_if $l (i32.lt_u (local.get $i) (i32.const 40))))
   (i32.add (i32.mul (local.get $quota) (i32.const 1000)) (local.get $ok))`,
  { msg: 'tick' },
);
const WORK = wat(`(module (func (export "_start") (result i32) (local $i i32)
  (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 30000))))
  (i32.const 42)))`);

describe('per-capability quotas', () => {
  it('a calls quota (action deny) returns FAYGER_EQUOTA to the guest once used up; the call never reaches the bus', async () => {
    const { runtime, bus, events } = setup();
    const inst = runtime.instantiate(loadedBuf({ code: LOGGER, capabilities: [cap('log', { quota: { calls: 25 } })] }));
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(15 * 1000 + 25);
    expect(bus.logs.length).toBe(25);
    expect(info.usage.capabilities.log).toEqual({ calls: 25, bytes: 0, denied: 15 });
    // A denied call is not an instance-level breach: each refusal is an instruction.denied event.
    expect(events.some((e) => e.name === 'runtime.quota.breach')).toBe(false);
    const denials = events.flatMap((e) => (e.name === 'instruction.denied' ? [e.data] : []));
    expect(denials.length).toBe(15);
    expect(denials[0]).toMatchObject({ op: 'log.write', capability: 'log', code: 'CAPABILITY_QUOTA_EXCEEDED' });
    const warn = events.find((e) => e.name === 'runtime.quota.warning');
    expect(warn!.data).toEqual({ resource: 'calls', capability: 'log', used: 20, limit: 25, ratio: 0.8 });
  });

  it('host policy caps a capability quota granted by the manifest (min of both)', async () => {
    const { runtime, bus } = setup({
      hostPolicy: { capabilities: { allow: [{ name: 'log', quota: { calls: 10 } }] } },
    });
    const inst = runtime.instantiate(loadedBuf({ code: LOGGER, capabilities: [cap('log', { quota: { calls: 25 } })] }));
    expect((await inst.runToCompletion()).exitCode).toBe(30 * 1000 + 10);
    expect(bus.logs.length).toBe(10);
  });

  it('action fail ends the offending instance with CAPABILITY_QUOTA_EXCEEDED while a second instance keeps running', async () => {
    const { runtime } = setup({ limits: { sliceFuel: 500, actions: { 'capability.calls': 'fail' } } });
    const noisy = runtime.instantiate(loadedBuf({ code: LOGGER, capabilities: [cap('log', { quota: { calls: 5 } })] }));
    const other = runtime.instantiate(loadedBuf({ code: WORK }));
    const [n, o] = await Promise.all([noisy.runToCompletion().catch((e: unknown) => e), other.runToCompletion()]);
    expect(FaygerError.is(n, 'CAPABILITY_QUOTA_EXCEEDED')).toBe(true);
    expect(noisy.state).toBe('Failed');
    expect(o.exitCode).toBe(42);
  });

  it('action suspend parks the instance at the quota while another keeps running; resuming with a raised quota completes the call', async () => {
    const { runtime, bus } = setup({ limits: { actions: { 'capability.calls': 'suspend' } } });
    const inst = runtime.instantiate(loadedBuf({ code: LOGGER, capabilities: [cap('log', { quota: { calls: 10 } })] }));
    const other = runtime.instantiate(loadedBuf({ code: WORK }));
    const suspended = new Promise<string | undefined>((r) =>
      inst.onTransition((t) => t.to === 'Suspended' && r(t.cause?.code)),
    );
    await inst.start();
    expect(await suspended).toBe('CAPABILITY_QUOTA_EXCEEDED');
    expect((await other.runToCompletion()).exitCode).toBe(42);
    expect(inst.state).toBe('Suspended');
    expect(bus.logs.length).toBe(10);
    inst.setLimits({}, { log: { calls: 100 } });
    inst.resume();
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(40);
    expect(bus.logs.length).toBe(40);
  });

  it('a rate quota (action throttle) delays calls instead of failing them', async () => {
    const { runtime } = setup();
    const inst = runtime.instantiate(
      loadedBuf({ code: LOGGER, capabilities: [cap('log', { quota: { ratePerSecond: 200 } })] }),
    );
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(40); // a burst of 200 covers all 40 calls
    expect(info.usage.throttledMs).toBe(0);
    const tight = runtime.instantiate(
      loadedBuf({ code: LOGGER, capabilities: [cap('log', { quota: { ratePerSecond: 30 } })] }),
    );
    const t1 = performance.now();
    const r = await tight.runToCompletion();
    expect(r.exitCode).toBe(40); // every call succeeded, later ones after waiting
    expect(performance.now() - t1).toBeGreaterThanOrEqual(250); // burst of 30, then 10 more at 30/s ≈ 333 ms
    expect(r.usage.throttledMs).toBeGreaterThan(0);
    await runtime.shutdown();
  });

  it('hostCallsPerSecond with action deny returns FAYGER_EQUOTA past the rate', async () => {
    const { runtime } = setup({ limits: { actions: { hostCallsPerSecond: 'deny' } } });
    const inst = runtime.instantiate(
      loadedBuf({ code: LOGGER, capabilities: [cap('log')], quotas: { hostCallsPerSecond: 10 } }),
    );
    const info = await inst.runToCompletion();
    expect(Math.floor(info.exitCode! / 1000)).toBeGreaterThanOrEqual(25);
    expect(info.exitCode! % 1000).toBeGreaterThanOrEqual(10);
  });
});

describe('soft limits', () => {
  it('soft action suspend parks the instance once at the soft limit; resume goes on to completion', async () => {
    const { runtime, events } = setup({
      limits: { softLimitRatio: 0.5, softActions: { 'capability.calls': 'suspend' } },
    });
    const inst = runtime.instantiate(loadedBuf({ code: LOGGER, capabilities: [cap('log', { quota: { calls: 40 } })] }));
    const causes: (string | undefined)[] = [];
    const suspended = new Promise<void>((r) =>
      inst.onTransition((t) => t.to === 'Suspended' && (causes.push(t.cause?.code), r())),
    );
    await inst.start();
    await suspended;
    expect(causes).toEqual(['QUOTA_SOFT_LIMIT_REACHED']);
    expect(inst.usage().capabilities.log!.calls).toBe(19);
    inst.resume();
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(40); // all 40 calls succeeded; suspended only once
    expect(events.find((e) => e.name === 'runtime.quota.warning')!.data).toMatchObject({
      resource: 'calls',
      capability: 'log',
      ratio: 0.5,
    });
    const reasons = events.flatMap((e) =>
      e.name === 'runtime.lifecycle.transition' && e.data.to === 'Suspended' ? [e.data.cause] : [],
    );
    expect(reasons).toEqual(['quota-soft:capability.calls']);
  });

  it('a fuel soft limit with action suspend parks a busy guest before its hard limit', async () => {
    const { runtime } = setup({ limits: { sliceFuel: 1000, softLimitRatio: 0.25, softActions: { fuel: 'suspend' } } });
    const inst = runtime.instantiate(loadedBuf({ code: WORK, quotas: { fuel: 600_000 } })); // needs ≈ 330k
    const suspended = new Promise<string | undefined>((r) =>
      inst.onTransition((t) => t.to === 'Suspended' && r(t.cause?.code)),
    );
    await inst.start();
    expect(await suspended).toBe('QUOTA_SOFT_LIMIT_REACHED');
    const used = inst.usage().fuelUsed;
    expect(used).toBeGreaterThanOrEqual(150_000);
    expect(used).toBeLessThan(152_000);
    inst.resume();
    expect((await inst.runToCompletion()).exitCode).toBe(42);
  });
});

import { FaygerError, type PlatformAdapter, type UniversalInstruction, type UniversalResult } from '@fayger/contracts';
import { describe, expect, it, vi } from 'vitest';
import {
  createInstructionBus,
  createMemoryAdapter,
  defineAdapter,
  createOpRouter,
  type BusDiagnostic,
} from '../../src/index.js';

const ins = (op: string, args: unknown, extra: Partial<UniversalInstruction> = {}) =>
  ({ v: 1, id: `i-${op}-${Math.random()}`, op, args, instanceId: 'a', ...extra }) as UniversalInstruction;
const isPromise = (x: unknown): x is Promise<UniversalResult> => x instanceof Promise;

function setup(
  adapter: PlatformAdapter = createMemoryAdapter(),
  grants = ['log', 'clock', 'random', 'timer', 'app', 'kv'].map((name) => ({ name }) as never),
  extra = {},
) {
  const diagnostics: BusDiagnostic[] = [];
  const bus = createInstructionBus({
    adapter,
    policy: { allow: 'available' },
    onDiagnostic: (d) => diagnostics.push(d),
    ...extra,
  });
  bus.open({ instanceId: 'a', grants });
  return { bus, diagnostics };
}

describe('instruction bus', () => {
  it('answers synchronously when the adapter does, asynchronously otherwise, echoing the correlation id', async () => {
    const { bus } = setup();
    const s = bus.dispatch(ins('clock.now', { clock: 'realtime' }, { id: 'corr-1' }));
    expect(isPromise(s)).toBe(false);
    expect(s).toMatchObject({ v: 1, id: 'corr-1', ok: true });
    const a = bus.dispatch(ins('kv.get', { key: 'k' }, { id: 'corr-2' }));
    expect(isPromise(a)).toBe(true);
    expect(await a).toEqual({ v: 1, id: 'corr-2', ok: true, value: { value: null } });
  });

  it('fills instanceId from the second argument and refuses mismatches and unknown instances', () => {
    const { bus } = setup();
    const raw = { v: 1, id: 'x', op: 'clock.now', args: { clock: 'realtime' } } as UniversalInstruction;
    expect((bus.dispatch(raw, 'a') as UniversalResult).ok).toBe(true);
    const mism = bus.dispatch({ ...raw, instanceId: 'b' }, 'a') as UniversalResult;
    expect(!mism.ok && mism.error.code).toBe('INSTRUCTION_INVALID');
    const unk = bus.dispatch({ ...raw, instanceId: 'zzz' }) as UniversalResult;
    expect(!unk.ok && unk.error.code).toBe('ADAPTER_INSTANCE_UNKNOWN');
    expect(() => bus.open({ instanceId: 'a', grants: [] })).toThrow(
      expect.objectContaining({ code: 'ADAPTER_INSTANCE_EXISTS' }),
    );
  });

  it('never throws on garbage input: the result names the problem', () => {
    const { bus } = setup();
    for (const g of [null, 42, 'x', { v: 2 }, { v: 1, id: 'q', op: 'log.write' }]) {
      const r = bus.dispatch(g as never) as UniversalResult;
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['INSTRUCTION_INVALID', 'INSTRUCTION_UNKNOWN_OP']).toContain(r.error.code);
    }
  });

  it('a duplicate correlation id of a pending call is refused', async () => {
    const { bus } = setup();
    const p = bus.dispatch(ins('timer.sleep', { ms: 30 }, { id: 'same' }));
    const d = bus.dispatch(ins('timer.sleep', { ms: 1 }, { id: 'same' })) as UniversalResult;
    expect(!d.ok && d.error.details.field).toBe('/id');
    expect((await p).ok).toBe(true);
  });

  it('per-call timeouts end in ADAPTER_TIMEOUT and abort the adapter signal', async () => {
    let seen: AbortSignal | undefined;
    const adapter = defineAdapter({
      id: 'slow',
      hostKind: 'server',
      available: () => [{ name: 'kv' }],
      detect: () => false,
      handle: createOpRouter({
        'kv.get': (_a, ctx) => {
          seen = ctx.signal;
          return new Promise(() => {});
        },
      }),
      dispose: () => {},
    });
    const { bus } = setup(adapter, [{ name: 'kv' }] as never);
    const r = await bus.dispatch(ins('kv.get', { key: 'k' }, { timeoutMs: 20 }));
    expect(!r.ok && r.error.code).toBe('ADAPTER_TIMEOUT');
    expect(seen?.aborted).toBe(true);
    expect(bus.pendingCount()).toBe(0);
    // The bus default applies when the call carries none.
    const { bus: b2 } = setup(adapter, [{ name: 'kv' }] as never, { defaultTimeoutMs: 15 });
    const r2 = await b2.dispatch(ins('kv.get', { key: 'k' }));
    expect(!r2.ok && r2.error.code).toBe('ADAPTER_TIMEOUT');
  });

  it('output ops waiting on backpressure are not cut by the default timeout (a slow reader is not a failure)', async () => {
    let drain!: () => void;
    const adapter = defineAdapter({
      id: 'slow-reader',
      hostKind: 'server',
      available: () => [{ name: 'stdio' }, { name: 'log' }],
      detect: () => false,
      handle: createOpRouter({
        // Both wait until the (test's) reader drains: well past the bus default of 15 ms below.
        'stdio.write': (a) => new Promise((r) => (drain = () => r({ bytesWritten: a.data.length }))),
        'log.write': () => new Promise((r) => setTimeout(() => r({}), 100)),
      }),
      dispose: () => {},
    });
    const { bus } = setup(adapter, [{ name: 'stdio' }, { name: 'log' }] as never, { defaultTimeoutMs: 15 });
    const p = bus.dispatch(ins('stdio.write', { stream: 'stdout', data: new Uint8Array(3) }));
    await new Promise((r) => setTimeout(r, 100));
    drain();
    const r = await p;
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const l = await bus.dispatch(ins('log.write', { level: 'info', message: 'm' }));
    expect(l.ok, JSON.stringify(l)).toBe(true);
    // An explicit per-call timeout still applies.
    const t = await bus.dispatch(ins('stdio.write', { stream: 'stdout', data: new Uint8Array(1) }, { timeoutMs: 15 }));
    expect(!t.ok && t.error.code).toBe('ADAPTER_TIMEOUT');
  });

  it('results that break the op schema become RESULT_INVALID; foreign throws become ADAPTER_IO_FAILED', async () => {
    const adapter = defineAdapter({
      id: 'liar',
      hostKind: 'server',
      available: () => [{ name: 'clock' }, { name: 'random' }],
      detect: () => false,
      handle: createOpRouter({
        'clock.now': () => ({ timeMs: 'soon' }) as never,
        'random.bytes': () => {
          throw new RangeError('entropy ran out');
        },
      }),
      dispose: () => {},
    });
    const { bus } = setup(adapter, [{ name: 'clock' }, { name: 'random' }] as never);
    const r = bus.dispatch(ins('clock.now', { clock: 'realtime' })) as UniversalResult;
    expect(!r.ok && r.error.code).toBe('RESULT_INVALID');
    const t = bus.dispatch(ins('random.bytes', { length: 1 })) as UniversalResult;
    expect(!t.ok && t.error.code).toBe('ADAPTER_IO_FAILED');
    expect(!t.ok && t.error.message).toContain('entropy ran out');
  });

  it('an op the adapter lacks is ADAPTER_UNSUPPORTED_OP, never a silent success', () => {
    const { bus } = setup(createMemoryAdapter(), [{ name: 'ui' }] as never);
    const r = bus.dispatch(ins('ui.clear', {})) as UniversalResult;
    expect(!r.ok && r.error.code).toBe('ADAPTER_UNSUPPORTED_OP');
  });

  it('byte quotas count argument and result bytes; rate quotas use a token bucket', () => {
    let now = 0;
    const { bus } = setup(
      createMemoryAdapter(),
      [
        { name: 'random', quota: { bytes: 100 } },
        { name: 'clock', quota: { ratePerSecond: 2 } },
      ] as never,
      { now: () => now },
    );
    expect(bus.call('a', 'random.bytes', { length: 60 })).toBeTruthy();
    // The next answer would carry 60 more bytes: refused, and the data withheld.
    expect(() => bus.call('a', 'random.bytes', { length: 60 })).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_QUOTA_EXCEEDED' }),
    );
    bus.call('a', 'clock.now', { clock: 'monotonic' });
    bus.call('a', 'clock.now', { clock: 'monotonic' });
    expect(() => bus.call('a', 'clock.now', { clock: 'monotonic' })).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_QUOTA_EXCEEDED' }),
    );
    now += 500;
    expect(() => bus.call('a', 'clock.now', { clock: 'monotonic' })).not.toThrow();
  });

  it('app.info, app.poll (queued and waiting) and app.exit are served by the bus', async () => {
    const onExit = vi.fn();
    const adapter = createMemoryAdapter();
    const bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
    bus.open({
      instanceId: 'a',
      grants: [{ name: 'timer' }, { name: 'app' }],
      app: { id: 'com.example', version: '1.2.3' },
      onExit,
    });
    expect(bus.call('a', 'app.info', {})).toEqual({
      id: 'com.example',
      version: '1.2.3',
      host: 'server',
      capabilities: ['timer', 'app'],
    });
    expect(bus.call('a', 'app.poll', { timeoutMs: 0 })).toEqual({ event: null });
    bus.call('a', 'timer.set', { timerId: 'x', ms: 5 });
    const waited = (await bus.call('a', 'app.poll', { timeoutMs: 2000 })) as { event: { type: string; data: unknown } };
    expect(waited.event).toMatchObject({ type: 'timer.fired', data: { timerId: 'x' }, instanceId: 'a' });
    bus.call('a', 'timer.set', { timerId: 'y', ms: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(bus.call('a', 'app.poll', {})).toMatchObject({ event: { data: { timerId: 'y' } } });
    expect(await bus.call('a', 'app.poll', { timeoutMs: 10 })).toEqual({ event: null });
    bus.call('a', 'app.exit', { code: 3 });
    await Promise.resolve();
    expect(onExit).toHaveBeenCalledWith(3);
    expect(bus.available().map((o) => o.name)).toContain('app');
  });

  it('works on engines without performance and queueMicrotask (Hermes 0.12): Date.now quotas, app.exit after a microtask', async () => {
    const g = globalThis as { performance?: unknown; queueMicrotask?: unknown };
    const saved = { performance: g.performance, queueMicrotask: g.queueMicrotask };
    delete g.performance;
    delete g.queueMicrotask;
    try {
      const onExit = vi.fn();
      const bus = createInstructionBus({ adapter: createMemoryAdapter(), policy: { allow: 'available' } });
      bus.open({
        instanceId: 'a',
        grants: [{ name: 'clock', quota: { ratePerSecond: 1 } }, { name: 'app' }] as never,
        onExit,
      });
      bus.call('a', 'clock.now', { clock: 'realtime' });
      expect(() => bus.call('a', 'clock.now', { clock: 'realtime' })).toThrow(
        expect.objectContaining({ code: 'CAPABILITY_QUOTA_EXCEEDED' }),
      );
      bus.call('a', 'app.exit', { code: 7 });
      expect(onExit).not.toHaveBeenCalled();
      await Promise.resolve();
      expect(onExit).toHaveBeenCalledWith(7);
    } finally {
      Object.assign(g, saved);
    }
  });

  it('invalid events from an adapter are dropped with a diagnostic, not delivered', async () => {
    const adapter = defineAdapter({
      id: 'noisy',
      hostKind: 'server',
      available: () => [{ name: 'log' }],
      detect: () => false,
      handle: (_i, ctx) => {
        ctx.emit({ type: 'timer.fired', data: { timerId: '' } });
        ctx.emit({ type: 'timer.fired', data: { timerId: 'ok' } });
        return {};
      },
      dispose: () => {},
    });
    const { bus, diagnostics } = setup(adapter, [{ name: 'log' }] as never);
    const got: unknown[] = [];
    bus.subscribe('a', (e) => got.push(e.data));
    bus.call('a', 'log.write', { level: 'info' as never, message: 'x' });
    expect(got).toEqual([{ timerId: 'ok' }]);
    expect(diagnostics.map((d) => d.kind)).toEqual(['event-invalid']);
  });

  it('close cancels pending calls, disposes once, and later calls fail ADAPTER_INSTANCE_UNKNOWN', async () => {
    const adapter = createMemoryAdapter();
    const dispose = vi.spyOn(adapter, 'dispose');
    const { bus } = setup(adapter);
    const p = bus.dispatch(ins('timer.sleep', { ms: 60_000 }));
    bus.call('a', 'timer.set', { timerId: 'x', ms: 60_000 });
    expect(adapter.timerCount('a')).toBe(1);
    expect(bus.pendingCount('a')).toBe(1);
    await bus.close('a', 'terminated by test');
    const r = await p;
    expect(!r.ok && r.error.code).toBe('ADAPTER_CANCELLED');
    expect(!r.ok && r.error.message).toContain('terminated by test');
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(adapter.timerCount('a')).toBe(0);
    await bus.close('a');
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(() => bus.call('a', 'log.write', { level: 'info' as never, message: 'x' })).toThrow(
      expect.objectContaining({ code: 'ADAPTER_INSTANCE_UNKNOWN' }),
    );
  });

  it('instances are isolated: grants, timers and events do not cross', async () => {
    const adapter = createMemoryAdapter();
    const bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
    bus.open({ instanceId: 'a', grants: [{ name: 'timer' }] });
    bus.open({ instanceId: 'b', grants: [{ name: 'log' }] });
    const evA: unknown[] = [];
    const evB: unknown[] = [];
    bus.subscribe('a', (e) => evA.push(e));
    bus.subscribe('b', (e) => evB.push(e));
    bus.call('a', 'timer.set', { timerId: 't', ms: 1 });
    expect(() => bus.call('b', 'timer.set', { timerId: 't', ms: 1 })).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_DENIED' }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(evA.length).toBe(1);
    expect(evB.length).toBe(0);
    await bus.shutdown();
    expect(bus.instances()).toEqual([]);
  });

  it('env.get of an ungranted variable is null without asking the adapter; env.list is filtered', () => {
    const adapter = createMemoryAdapter({ env: { A: '1', B: '2' } });
    const handle = vi.spyOn(adapter, 'handle');
    const { bus } = setup(adapter, [{ name: 'env', scope: { variables: ['A'] } }] as never);
    expect(bus.call('a', 'env.get', { name: 'B' })).toEqual({ value: null });
    expect(handle).not.toHaveBeenCalled();
    expect(bus.call('a', 'env.list', {})).toEqual({ variables: { A: '1' } });
  });

  it('unwraps errors as FaygerErrors recognisable by code', () => {
    const { bus } = setup();
    try {
      bus.call('a', 'fs.read' as never, { path: '/x' } as never);
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'CAPABILITY_DENIED')).toBe(true);
      expect((e as FaygerError).details).toMatchObject({ op: 'fs.read', capability: 'fs.read', instanceId: 'a' });
    }
  });
});

import { chooseAdapter, chooseAdapterAsync, createInstructionBus, createMemoryAdapter } from '@fayger/adapter-core';
import { FaygerError, type AnyFaygerEvent, type PlatformAdapter } from '@fayger/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { inAppAdapterCandidate, createInAppAdapter, type InAppAdapter } from '../../src/index.js';
import { shellOnWindow, shellOverPort } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const page = (): PlatformAdapter => ({ ...createMemoryAdapter({ id: 'page', hostKind: 'browser' }), detect: () => 1 });

/** The FaygerError a call rejects or throws with (anything else fails the test). */
const rejection = (p: Promise<unknown> | (() => unknown)): Promise<FaygerError> =>
  Promise.resolve()
    .then(() => (typeof p === 'function' ? p() : p))
    .then(
      () => expect.unreachable('expected a rejection'),
      (e: unknown) => (FaygerError.is(e) ? e : expect.unreachable(`not a FaygerError: ${String(e)}`)),
    );

describe('inAppAdapterCandidate (lazy, asynchronous)', () => {
  it('detects its own bridge globals and runs the handshake only when chosen', async () => {
    for (const kind of ['webkit', 'android', 'react-native'] as const) {
      const { shell, win } = shellOnWindow(kind, { capabilities: [{ name: 'kv' }], local: ['clock'] });
      const candidate = inAppAdapterCandidate({ global: win, ui: false });
      expect(shell.received).toHaveLength(0);
      const sel = await chooseAdapterAsync([page(), candidate], { probe: { global: win } });
      const a = sel.adapter as InAppAdapter;
      cleanups.push(() => a.close?.());
      expect(a.id).toBe('in-app');
      expect(a.transportKind).toBe(kind);
      expect(sel.reason).toContain('score 3');
      expect(shell.received[0]).toMatchObject({ kind: 'hello' });
      expect(a.available().map((o) => o.name)).toEqual(['kv', 'clock']);
    }
    // A plain page has no bridge: the candidate does not fit and nothing is sent anywhere.
    const lazy = inAppAdapterCandidate({ global: {} });
    expect(
      (await chooseAdapterAsync([page(), lazy], { probe: { global: { window: {}, document: {} } } })).adapter.id,
    ).toBe('page');
    // Custom handler names are looked for, not the defaults.
    const { win } = shellOnWindow('android');
    expect(inAppAdapterCandidate({ androidName: 'Other' }).detect({ global: win })).toBe(false);
  });

  it('an explicit port is the embedder saying the host is in-app', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'kv' }] });
    cleanups.push(s.close);
    const candidate = inAppAdapterCandidate({ port: s.port, ui: false, id: 'shell' });
    expect(candidate.detect({ global: {} })).toBe(3);
    const a = (await chooseAdapterAsync([page(), candidate], { probe: { global: {} } })).adapter;
    cleanups.push(() => a.close?.());
    expect(a.id).toBe('shell');
  });

  it('a native side that never answers hello fails the selection with ADAPTER_CREATE_FAILED, cause BRIDGE_TIMEOUT', async () => {
    const { shell, win } = shellOnWindow('webkit', { misbehave: { drop: ['hello'] } });
    const candidate = inAppAdapterCandidate({ global: win, handshakeTimeoutMs: 30 });
    const e = await rejection(chooseAdapterAsync([candidate, page()], { probe: { global: win } }));
    expect(e.code).toBe('ADAPTER_CREATE_FAILED');
    expect(e.phase).toBe('detect');
    expect(e.details).toMatchObject({ adapter: 'in-app', causeCode: 'BRIDGE_TIMEOUT' });
    expect(e.message).toContain('BRIDGE_TIMEOUT');
    expect(e.message).toMatch(/force .*registered: page/);
    await new Promise((r) => setTimeout(r, 20));
    expect(shell.webviewCloses).toBe(1);
    // Synchronous selection cannot wait for a handshake and says what to use instead.
    const { win: w2 } = shellOnWindow('webkit');
    expect(() => chooseAdapter([inAppAdapterCandidate({ global: w2 })], { probe: { global: w2 } })).toThrow(
      /createFaygerAsync/,
    );
  });
});

describe('diagnostics', () => {
  it('failed host calls are reported on the diagnostics channel as adapter.host.error, and still reach the caller', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'kv' }], misbehave: { nativeError: ['kv.set'] } });
    const events: AnyFaygerEvent[] = [];
    const a = await createInAppAdapter({ port: s.port, ui: false, diagnostics: { emit: (e) => void events.push(e) } });
    cleanups.push(async () => {
      await a.close?.();
      s.close();
    });
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    cleanups.push(() => bus.shutdown());
    bus.open({ instanceId: 'i1', grants: bus.negotiate([{ name: 'kv', required: true }]) });
    const failed = await rejection(async () => bus.call('i1', 'kv.set', { key: 'k', value: new Uint8Array(1) }));
    expect(failed.code).toBe('BRIDGE_NATIVE_ERROR');
    // An op the native side does not offer fails synchronously in the adapter: reported too.
    await rejection(() =>
      a.handle({ v: 1, id: 'x', op: 'clock.now', args: { clock: 'realtime' }, instanceId: 'i1' }, {
        instanceId: 'i1',
        scope: {},
        emit: () => {},
      } as never),
    );
    const reported = events.filter((e) => e.name === 'adapter.host.error').map((e) => e.data);
    expect(reported).toEqual([
      expect.objectContaining({
        adapter: 'in-app',
        operation: 'kv.set',
        error: expect.objectContaining({ code: 'BRIDGE_NATIVE_ERROR' }),
      }),
      expect.objectContaining({
        adapter: 'in-app',
        operation: 'clock.now',
        error: expect.objectContaining({ code: 'ADAPTER_UNSUPPORTED_OP' }),
      }),
    ]);
  });
});

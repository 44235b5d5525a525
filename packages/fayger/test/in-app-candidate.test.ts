import { inAppAdapterCandidate } from '@fayger/adapter-in-app';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { FaygerError, type PlatformAdapter } from '@fayger/contracts';
import { MemoryRecorder } from '@fayger/observability';
import { describe, expect, it } from 'vitest';
import { createFayger, createFaygerAsync } from '../src/index.js';
import { quick, testKey } from './support/guests.js';

/**
 * A minimal native shell on the other end of a MessageChannel: answers hello (the WebView runs timers itself)
 * and dispose; `silent` never answers anything.
 */
function nativeSide(silent = false) {
  const ch = new MessageChannel();
  const seen: string[] = [];
  ch.port2.onmessage = (e: MessageEvent) => {
    const m = e.data as { kind: string; id?: string };
    seen.push(m.kind);
    if (silent || m.id === undefined) return;
    const value =
      m.kind === 'hello' ? { protocol: 1, platform: { os: 'test-shell' }, capabilities: [], local: ['timer'] } : {};
    ch.port2.postMessage({ fayger: 1, kind: 'reply', id: m.id, ok: true, value });
  };
  return { port: ch.port1, seen, close: () => (ch.port1.close(), ch.port2.close()) };
}

// A bridge global marks an in-app host; a plain page fits the browser-kind memory adapter.
const inAppHost = { global: { window: {}, document: {}, ReactNativeWebView: { postMessage() {} } } };
const page = (): PlatformAdapter => ({ ...createMemoryAdapter({ id: 'page', hostKind: 'browser' }), detect: () => 1 });

describe('createFaygerAsync with the lazy in-app candidate', () => {
  it('an in-app host picks the in-app adapter lazily; a guest runs over the bridge handshake it made', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.quick', quick(), [
      { name: 'timer', required: true },
      { name: 'app', required: true },
    ]);
    const native = nativeSide();
    const candidate = inAppAdapterCandidate({ port: native.port, ui: false });
    const rec = new MemoryRecorder();
    const fayger = await createFaygerAsync({
      adapter: { candidates: [page(), candidate], probe: inAppHost },
      trust: { roots: key.roots },
      events: rec,
    });
    expect(fayger.adapter.id).toBe('in-app');
    expect(rec.last('adapter.host.detected')?.data).toMatchObject({ host: 'in-app', adapter: 'in-app', forced: false });
    const r = await fayger.run(buf);
    expect(r).toMatchObject({ state: 'Terminated', exitCode: 0, adapter: { id: 'in-app', hostKind: 'in-app' } });
    await fayger.close();
    // Closing the Fayger closed the adapter it made: the native side is told (messages arrive a task later).
    await new Promise((r) => setTimeout(r, 20));
    expect(native.seen[0]).toBe('hello');
    expect(native.seen).toContain('close');
    native.close();
  });

  it('on a plain page the in-app candidate is never created; sync createFayger refuses the async candidate', async () => {
    const native = nativeSide();
    const candidate = inAppAdapterCandidate({ global: {}, webkitName: 'none' });
    const fayger = await createFaygerAsync({
      adapter: { candidates: [page(), candidate], probe: { global: { window: {}, document: {} } } },
      trust: { allowUnsigned: true },
    });
    expect(fayger.adapter.id).toBe('page');
    await fayger.close();
    let e: unknown;
    try {
      createFayger({
        adapter: { candidates: [page(), inAppAdapterCandidate({ port: native.port })], probe: inAppHost },
        trust: { allowUnsigned: true },
      });
    } catch (err) {
      e = err;
    }
    expect(FaygerError.is(e, 'ADAPTER_INVALID')).toBe(true);
    expect((e as FaygerError).message).toContain('createFaygerAsync');
    native.close();
  });

  it('no handshake: ADAPTER_CREATE_FAILED in phase detect, naming the cause and the way out', async () => {
    const native = nativeSide(true);
    const candidate = inAppAdapterCandidate({ port: native.port, handshakeTimeoutMs: 30 });
    let e: unknown;
    try {
      await createFaygerAsync({
        adapter: { candidates: [page(), candidate], probe: inAppHost },
        trust: { allowUnsigned: true },
      });
    } catch (err) {
      e = err;
    }
    expect(FaygerError.is(e, 'ADAPTER_CREATE_FAILED')).toBe(true);
    const err = e as FaygerError;
    expect(err.phase).toBe('detect');
    expect(err.details).toMatchObject({ adapter: 'in-app', causeCode: 'BRIDGE_TIMEOUT' });
    expect(err.message).toMatch(/force .*registered: page/);
    native.close();
  });
});

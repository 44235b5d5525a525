import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import {
  MessageBridge,
  androidTransport,
  detectTransport,
  messagePortTransport,
  reactNativeTransport,
  webkitTransport,
  type PortLike,
} from '../../src/index.js';
import { fakeStringTransport, lastSent } from './fake-transport.js';

async function rejection(p: Promise<unknown>): Promise<FaygerError> {
  try {
    await p;
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw new Error(`not a FaygerError: ${String(e)}`);
  }
  throw new Error('expected a rejection');
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('MessageBridge over a string transport', () => {
  it('correlates replies by id, in any order, and decodes bytes', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t });
    const p1 = b.request('call', { op: 'kv.get', args: { key: 'a' }, instanceId: 'i' });
    const p2 = b.request('call', { op: 'kv.get', args: { key: 'b' }, instanceId: 'i' });
    const [m1, m2] = t.sent.map((s) => JSON.parse(s as string));
    expect(m1).toMatchObject({ fayger: 1, kind: 'call', op: 'kv.get', args: { key: 'a' }, instanceId: 'i' });
    expect(m1.id).not.toBe(m2.id);
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: m2.id, ok: true, value: { value: { $b64: 'Ag==' } } }));
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: m1.id, ok: true, value: { value: null } }));
    expect(await p1).toEqual({ value: null });
    expect(await p2).toEqual({ value: new Uint8Array([2]) });
    expect(b.pendingCount).toBe(0);
  });

  it('encodes outgoing bytes as base64 text', () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t });
    void b
      .request('call', { op: 'kv.set', args: { key: 'k', value: new Uint8Array([0, 255]) }, instanceId: 'i' })
      .catch(() => {});
    expect(typeof t.sent[0]).toBe('string');
    expect(lastSent(t).args).toEqual({ key: 'k', value: { $b64: 'AP8=' } });
    b.close();
  });

  it('a request with no reply fails BRIDGE_TIMEOUT and the native side is told to cancel it', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t, timeoutMs: 20 });
    const e = await rejection(b.request('call', { op: 'kv.get', args: {}, instanceId: 'i' }, { phase: 'kv.get' }));
    expect(e.code).toBe('BRIDGE_TIMEOUT');
    expect(e.phase).toBe('kv.get');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('within 20 ms');
    expect(lastSent(t)).toMatchObject({ kind: 'cancel' });
    // A late reply is reported, not delivered.
    const problems: FaygerError[] = [];
    const b2 = new MessageBridge({ transport: t, timeoutMs: 10, onProblem: (p) => problems.push(p) });
    const lost = b2.request('hello', { protocols: [1], client: { name: 'x', version: '1' } });
    const id = lastSent(t).id;
    await rejection(lost);
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id, ok: true, value: {} }));
    expect(problems.map((p) => p.code)).toEqual(['BRIDGE_MALFORMED_MESSAGE']);
    expect(problems[0]!.message).toContain('already answered, timed out');
  });

  it('a malformed JSON reply that names a pending id fails that call at once', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t, timeoutMs: 60_000 });
    const p = b.request('call', { op: 'clock.now', args: {}, instanceId: 'i' }, { phase: 'clock.now' });
    const id = lastSent(t).id as string;
    t.inject(`{"fayger":1,"kind":"reply","id":"${id}","ok":tru`);
    const e = await rejection(p);
    expect(e.code).toBe('BRIDGE_MALFORMED_MESSAGE');
    expect(e.phase).toBe('clock.now');
    expect(e.message).toMatch(/not JSON/);
  });

  it('a well-formed JSON reply with a bad envelope fails its call naming the field', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t });
    const p = b.request('call', { op: 'clock.now', args: {}, instanceId: 'i' });
    const id = lastSent(t).id as string;
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id, ok: 'yes' }));
    const e = await rejection(p);
    expect(e.code).toBe('BRIDGE_MALFORMED_MESSAGE');
    expect(e.details.field).toBe('/ok');
    const p2 = b.request('call', { op: 'clock.now', args: {}, instanceId: 'i' });
    const id2 = lastSent(t).id as string;
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: id2, ok: true, value: { x: { $b64: '*' } } }));
    expect((await rejection(p2)).code).toBe('BRIDGE_MALFORMED_MESSAGE');
    b.close();
  });

  it('garbage that names no request is reported to onProblem and nothing else fails', async () => {
    const t = fakeStringTransport();
    const problems: FaygerError[] = [];
    const b = new MessageBridge({ transport: t, onProblem: (e) => problems.push(e) });
    const p = b.request('call', { op: 'clock.now', args: {}, instanceId: 'i' });
    for (const junk of ['nope', '42', '{"fayger":2}', '{"fayger":1,"kind":"shout"}', '[]', 'null']) t.inject(junk);
    t.inject({ not: 'a string' });
    expect(problems.length).toBe(7);
    expect(problems.every((e) => e.code === 'BRIDGE_MALFORMED_MESSAGE')).toBe(true);
    expect(problems[2]!.details.field).toBe('/fayger');
    expect(problems[3]!.details.field).toBe('/kind');
    const id = lastSent(t).id as string;
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id, ok: true, value: { timeMs: 1 } }));
    expect(await p).toEqual({ timeMs: 1 });
  });

  it('native errors: a catalogue code passes through, anything else is BRIDGE_NATIVE_ERROR', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t });
    const p1 = b.request('call', { op: 'kv.get', args: {}, instanceId: 'i' }, { phase: 'kv.get' });
    const id1 = lastSent(t).id as string;
    const denied = new FaygerError({
      code: 'INAPP_PERMISSION_DENIED',
      phase: 'kv.get',
      message: 'no',
      details: { capability: 'kv' },
    });
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: id1, ok: false, error: denied.toJSON() }));
    const e1 = await rejection(p1);
    expect(e1.code).toBe('INAPP_PERMISSION_DENIED');
    expect(e1.details).toEqual({ capability: 'kv' });
    const p2 = b.request('call', { op: 'kv.get', args: {}, instanceId: 'i' }, { phase: 'kv.get' });
    const id2 = lastSent(t).id as string;
    t.inject(
      JSON.stringify({ fayger: 1, kind: 'reply', id: id2, ok: false, error: { message: 'SQLITE_BUSY', code: 'E_DB' } }),
    );
    const e2 = await rejection(p2);
    expect(e2.code).toBe('BRIDGE_NATIVE_ERROR');
    expect(e2.message).toContain('SQLITE_BUSY');
    expect(e2.details).toMatchObject({ nativeCode: 'E_DB' });
    b.close();
  });

  it('closed by the native side: pending and later calls fail BRIDGE_CLOSED', async () => {
    const t = fakeStringTransport();
    let closedWith: FaygerError | undefined;
    const b = new MessageBridge({ transport: t, onClose: (e) => (closedWith = e) });
    const p = b.request('call', { op: 'kv.get', args: {}, instanceId: 'i' }, { phase: 'kv.get' });
    t.inject(JSON.stringify({ fayger: 1, kind: 'close', reason: 'app backgrounded for good' }));
    const e = await rejection(p);
    expect(e.code).toBe('BRIDGE_CLOSED');
    expect(e.message).toContain('app backgrounded for good');
    expect(b.closed).toBe(true);
    expect(closedWith?.code).toBe('BRIDGE_CLOSED');
    expect((await rejection(b.request('call', { op: 'x', args: {}, instanceId: 'i' }))).code).toBe('BRIDGE_CLOSED');
  });

  it('closing from the WebView tells the native side', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t });
    const p = b.request('call', { op: 'kv.get', args: {}, instanceId: 'i' });
    b.close('bye');
    expect(lastSent(t)).toEqual({ fayger: 1, kind: 'close', reason: 'bye' });
    expect((await rejection(p)).code).toBe('BRIDGE_CLOSED');
  });

  it('abort cancels: ADAPTER_CANCELLED and a cancel message', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t });
    const ac = new AbortController();
    const p = b.request('call', { op: 'timer.sleep', args: { ms: 1e6 }, instanceId: 'i' }, { signal: ac.signal });
    const id = lastSent(t).id;
    ac.abort();
    expect((await rejection(p)).code).toBe('ADAPTER_CANCELLED');
    expect(lastSent(t)).toEqual({ fayger: 1, kind: 'cancel', id });
    b.close();
  });

  it('a transport that throws, or data that is not bridge data, fails BRIDGE_SEND_FAILED', async () => {
    const t = fakeStringTransport();
    const b = new MessageBridge({ transport: t });
    t.failSend = new Error('message too large');
    const e = await rejection(b.request('call', { op: 'kv.get', args: {}, instanceId: 'i' }));
    expect(e.code).toBe('BRIDGE_SEND_FAILED');
    expect(e.message).toContain('message too large');
    t.failSend = undefined;
    const e2 = await rejection(b.request('call', { op: 'kv.get', args: { when: new Date() }, instanceId: 'i' }));
    expect(e2.code).toBe('BRIDGE_SEND_FAILED');
    expect(e2.message).toContain('/args/when');
    expect(b.pendingCount).toBe(0);
    b.close();
  });

  it('host events pushed by the native side reach onEvent', () => {
    const t = fakeStringTransport();
    const events: unknown[] = [];
    const b = new MessageBridge({ transport: t, onEvent: (m) => events.push(m) });
    t.inject(
      JSON.stringify({
        fayger: 1,
        kind: 'event',
        instanceId: 'i',
        event: { type: 'app.lifecycle', data: { state: 'background' } },
      }),
    );
    expect(events).toEqual([
      { fayger: 1, kind: 'event', instanceId: 'i', event: { type: 'app.lifecycle', data: { state: 'background' } } },
    ]);
    b.close();
  });
});

describe('MessageBridge over a MessagePort', () => {
  it('sends objects with bytes as Uint8Array (structured clone) and reads replies the same way', async () => {
    const ch = new MessageChannel();
    const seen: unknown[] = [];
    ch.port2.onmessage = (e) => {
      seen.push(e.data);
      const m = e.data as { id: string; args: { value: Uint8Array } };
      ch.port2.postMessage({ fayger: 1, kind: 'reply', id: m.id, ok: true, value: { echoed: m.args.value } });
    };
    const b = new MessageBridge({ transport: messagePortTransport(ch.port1 as unknown as PortLike) });
    const v = await b.request('call', { op: 'kv.set', args: { value: new Uint8Array([9, 8]) }, instanceId: 'i' });
    expect((seen[0] as { args: { value: unknown } }).args.value).toBeInstanceOf(Uint8Array);
    expect(v).toEqual({ echoed: new Uint8Array([9, 8]) });
    b.close();
    ch.port1.close();
    ch.port2.close();
  });

  it('a malformed structured reply fails its call', async () => {
    const ch = new MessageChannel();
    ch.port2.onmessage = (e) =>
      ch.port2.postMessage({ fayger: 1, kind: 'reply', id: (e.data as { id: string }).id, ok: 'maybe' });
    const b = new MessageBridge({ transport: messagePortTransport(ch.port1 as unknown as PortLike) });
    const e = await rejection(b.request('call', { op: 'kv.get', args: {}, instanceId: 'i' }));
    expect(e.code).toBe('BRIDGE_MALFORMED_MESSAGE');
    b.close();
    ch.port1.close();
    ch.port2.close();
  });
});

describe('global transports', () => {
  it('webkit, android and react-native post strings to their native objects; replies arrive through __faygerBridge.receive', async () => {
    const posted: Record<string, unknown[]> = { webkit: [], android: [], rn: [] };
    const win: Record<string, unknown> = {
      webkit: { messageHandlers: { fayger: { postMessage: (m: unknown) => posted.webkit!.push(m) } } },
      FaygerAndroid: { postMessage: (m: unknown) => posted.android!.push(m) },
      ReactNativeWebView: { postMessage: (m: unknown) => posted.rn!.push(m) },
    };
    for (const [t, key] of [
      [webkitTransport({ global: win }), 'webkit'],
      [androidTransport({ global: win }), 'android'],
      [reactNativeTransport({ global: win }), 'rn'],
    ] as const) {
      const b = new MessageBridge({ transport: t });
      const p = b.request('hello', { protocols: [1], client: { name: 'x', version: '1' } });
      const sent = posted[key]!.at(-1) as string;
      expect(typeof sent).toBe('string');
      const id = JSON.parse(sent).id as string;
      (win.__faygerBridge as { receive(m: string): void }).receive(
        JSON.stringify({ fayger: 1, kind: 'reply', id, ok: true, value: key }),
      );
      expect(await p).toBe(key);
      b.close();
    }
  });

  it('react-native replies as window message events; foreign messages are ignored', async () => {
    const target = new EventTarget() as EventTarget & Record<string, unknown>;
    const posted: string[] = [];
    target.ReactNativeWebView = { postMessage: (m: string) => posted.push(m) };
    const problems: unknown[] = [];
    const b = new MessageBridge({
      transport: reactNativeTransport({ global: target }),
      onProblem: (e) => problems.push(e),
    });
    const p = b.request('hello', { protocols: [1], client: { name: 'x', version: '1' } });
    const id = JSON.parse(posted[0]!).id as string;
    target.dispatchEvent(new MessageEvent('message', { data: 'some other library' }));
    target.dispatchEvent(new MessageEvent('message', { data: { type: 'redux-devtools' } }));
    await tick();
    target.dispatchEvent(
      new MessageEvent('message', { data: JSON.stringify({ fayger: 1, kind: 'reply', id, ok: true, value: 'rn' }) }),
    );
    expect(await p).toBe('rn');
    expect(problems).toEqual([]);
    b.close();
  });

  it('a missing bridge is BRIDGE_TRANSPORT_MISSING naming what was looked for', () => {
    for (const make of [
      () => webkitTransport({ global: {} }),
      () => androidTransport({ global: { FaygerAndroid: {} } }),
      () => reactNativeTransport({ global: {} }),
      () => detectTransport({ global: {} }),
      () => messagePortTransport(null as unknown as PortLike),
    ]) {
      let err: unknown;
      try {
        make();
      } catch (e) {
        err = e;
      }
      expect(FaygerError.is(err, 'BRIDGE_TRANSPORT_MISSING')).toBe(true);
    }
    try {
      webkitTransport({ global: {}, name: 'shell' });
    } catch (e) {
      expect((e as Error).message).toContain('window.webkit.messageHandlers.shell.postMessage');
    }
  });

  it('detectTransport picks the bridge the window offers', () => {
    expect(detectTransport({ global: { ReactNativeWebView: { postMessage() {} } } }).kind).toBe('react-native');
    expect(detectTransport({ global: { FaygerAndroid: { postMessage() {} } } }).kind).toBe('android');
    expect(detectTransport({ global: { webkit: { messageHandlers: { fayger: { postMessage() {} } } } } }).kind).toBe(
      'webkit',
    );
    expect(detectTransport({ global: { __faygerBridge: { postMessage() {} } } }).kind).toBe('fayger');
  });
});

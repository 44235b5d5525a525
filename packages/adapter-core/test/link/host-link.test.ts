import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { HostLink, checkIncoming, messagePortTransport, type LinkTransport, type PortLike } from '../../src/index.js';

/** A string transport whose other side is the test: it sees the sent text and injects messages. */
function fakeTransport() {
  let receive: ((m: unknown) => void) | undefined;
  const t = {
    kind: 'fake',
    structured: false,
    sent: [] as string[],
    fail: undefined as Error | undefined,
    send(m: unknown) {
      if (t.fail) throw t.fail;
      t.sent.push(m as string);
    },
    listen(r: (m: unknown) => void) {
      receive = r;
      return () => (receive = undefined);
    },
    inject: (m: unknown) => receive?.(m),
    last: () => JSON.parse(t.sent.at(-1)!) as Record<string, unknown>,
  };
  return t satisfies LinkTransport;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => {
      if (!FaygerError.is(e)) throw e;
      return e;
    },
  );

describe('HostLink', () => {
  it('correlates replies by id in any order, carries bytes as base64 on string transports', async () => {
    const t = fakeTransport();
    const link = new HostLink({ transport: t });
    const p1 = link.request('call', { op: 'kv.get', args: { key: new Uint8Array([1]) } });
    const p2 = link.request('call', { op: 'kv.get', args: {} });
    const [m1, m2] = t.sent.map((s) => JSON.parse(s) as { id: string; args: unknown });
    expect(m1).toMatchObject({ fayger: 1, kind: 'call', args: { key: { $b64: 'AQ==' } } });
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: m2!.id, ok: true, value: { $b64: 'Ag==' } }));
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: m1!.id, ok: true, value: 'one' }));
    expect([await p1, await p2]).toEqual(['one', new Uint8Array([2])]);
    expect(link.pendingCount).toBe(0);
  });

  it('fails with adapter-core codes by default: deadline, malformed reply, remote error, send, close', async () => {
    const t = fakeTransport();
    const problems: FaygerError[] = [];
    const link = new HostLink({ transport: t, timeoutMs: 20, onProblem: (e) => problems.push(e) });
    const slow = await failure(link.request('call', {}, { phase: 'kv.get' }));
    expect([slow.code, slow.phase, slow.retryable]).toEqual(['ADAPTER_TIMEOUT', 'kv.get', true]);
    expect(slow.message).toContain('host reply to kv.get');
    expect(t.last()).toMatchObject({ kind: 'cancel', id: slow.details.requestId });
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: slow.details.requestId, ok: true, value: 1 }));
    expect(problems.map((p) => p.code)).toEqual(['ADAPTER_LINK_MALFORMED']);

    const bad = link.request('call', {}, { timeoutMs: 0 });
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: t.last().id, ok: 'yes' }));
    expect((await failure(bad)).details.field).toBe('/ok');

    const remote = link.request('call', {}, { timeoutMs: 0 });
    t.inject(
      JSON.stringify({ fayger: 1, kind: 'reply', id: t.last().id, ok: false, error: { message: 'EBUSY', code: 'X' } }),
    );
    expect(await failure(remote)).toMatchObject({ code: 'ADAPTER_LINK_REMOTE_ERROR', details: { hostCode: 'X' } });

    const passed = link.request('call', {}, { timeoutMs: 0 });
    const denied = new FaygerError({ code: 'CAPABILITY_DENIED', phase: 'kv.get', what: 'kv on the host' });
    t.inject(JSON.stringify({ fayger: 1, kind: 'reply', id: t.last().id, ok: false, error: denied.toJSON() }));
    expect((await failure(passed)).code).toBe('CAPABILITY_DENIED');

    expect((await failure(link.request('call', { at: new Date() }))).message).toContain('/at');
    t.fail = new Error('too large');
    expect(await failure(link.request('call', {}))).toMatchObject({
      code: 'ADAPTER_LINK_SEND_FAILED',
      retryable: true,
    });
    t.fail = undefined;

    const open = link.request('call', {}, { timeoutMs: 0 });
    t.inject(JSON.stringify({ fayger: 1, kind: 'close', reason: 'host quit' }));
    expect(await failure(open)).toMatchObject({ code: 'ADAPTER_LINK_CLOSED' });
    expect((await failure(link.request('call', {}))).message).toContain('host quit');
    expect(link.closed).toBe(true);
  });

  it('abort sends cancel; close tells the other side; events reach onEvent; codes and names are the adapter’s', async () => {
    const t = fakeTransport();
    const events: unknown[] = [];
    const link = new HostLink({
      transport: t,
      onEvent: (m) => events.push(m.event),
      codes: { closed: 'ADAPTER_STREAM_CLOSED' },
      names: { peer: 'worker', self: 'the page' },
    });
    const ac = new AbortController();
    const p = link.request('call', {}, { signal: ac.signal });
    const id = t.last().id;
    ac.abort();
    expect((await failure(p)).code).toBe('ADAPTER_CANCELLED');
    expect(t.last()).toEqual({ fayger: 1, kind: 'cancel', id });
    t.inject(
      JSON.stringify({ fayger: 1, kind: 'event', event: { type: 'app.lifecycle', data: { state: 'background' } } }),
    );
    expect(events).toEqual([{ type: 'app.lifecycle', data: { state: 'background' } }]);
    const pending = link.request('call', {});
    link.close();
    expect(t.last()).toEqual({ fayger: 1, kind: 'close', reason: 'closed by the page' });
    expect(await failure(pending)).toMatchObject({ code: 'ADAPTER_STREAM_CLOSED', details: { by: 'the page' } });
  });

  it('runs over a MessagePort with structured clone (bytes stay Uint8Array)', async () => {
    const ch = new MessageChannel();
    ch.port2.onmessage = (e) => {
      const m = e.data as { id: string; bytes: Uint8Array };
      ch.port2.postMessage({ fayger: 1, kind: 'reply', id: m.id, ok: true, value: m.bytes instanceof Uint8Array });
    };
    const link = new HostLink({ transport: messagePortTransport(ch.port1 as unknown as PortLike) });
    expect(await link.request('echo', { bytes: new Uint8Array([9]) })).toBe(true);
    link.close();
    ch.port1.close();
    expect(() => messagePortTransport({} as PortLike)).toThrow(/MessagePort/);
  });

  it('checkIncoming names the field at fault', () => {
    expect(checkIncoming(null)).toMatchObject({ field: '/' });
    expect(checkIncoming({ fayger: 2 })).toMatchObject({ field: '/fayger' });
    expect(checkIncoming({ fayger: 1, kind: 'shout' })).toMatchObject({ field: '/kind' });
    expect(checkIncoming({ fayger: 1, kind: 'reply', id: '' })).toMatchObject({ field: '/id' });
    expect(checkIncoming({ fayger: 1, kind: 'reply', id: 'a', ok: false, error: 'x' })).toMatchObject({
      field: '/error',
    });
    expect(checkIncoming({ fayger: 1, kind: 'event', instanceId: 3 })).toMatchObject({ field: '/instanceId' });
    expect(checkIncoming({ fayger: 1, kind: 'event', event: {} })).toMatchObject({ field: '/event' });
    expect(checkIncoming({ fayger: 1, kind: 'close' })).toEqual({ fayger: 1, kind: 'close' });
  });
});

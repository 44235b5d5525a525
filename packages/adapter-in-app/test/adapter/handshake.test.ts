import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { createInAppAdapter, type PortLike } from '../../src/index.js';

/** A native side over a MessageChannel that answers hello and permission requests with the given values. */
function nativeAnswering(hello: unknown, permission?: unknown) {
  const ch = new MessageChannel();
  ch.port2.onmessage = (e: MessageEvent) => {
    const m = e.data as { kind: string; id?: string };
    if (m.id === undefined) return;
    const value = m.kind === 'hello' ? hello : m.kind === 'permission' ? permission : {};
    ch.port2.postMessage({ fayger: 1, kind: 'reply', id: m.id, ok: true, value });
  };
  return { port: ch.port1 as unknown as PortLike, close: () => (ch.port1.close(), ch.port2.close()) };
}

async function handshake(hello: unknown): Promise<FaygerError | undefined> {
  const n = nativeAnswering(hello);
  try {
    const a = await createInAppAdapter({ port: n.port, ui: false });
    await a.close?.();
    return undefined;
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  } finally {
    n.close();
  }
}

const good = { protocol: 1, platform: { os: 'ios' }, capabilities: [{ name: 'kv' }] };

describe('hello and permission replies are checked field by field', () => {
  it('a malformed hello fails BRIDGE_MALFORMED_MESSAGE naming the field, what was expected and what came', async () => {
    const cases: Array<[unknown, string]> = [
      ['hello', '/value'],
      [{ ...good, protocol: '1' }, '/value/protocol'],
      [{ ...good, platform: { name: 'ios' } }, '/value/platform/os'],
      [{ ...good, capabilities: {} }, '/value/capabilities'],
      [{ ...good, capabilities: [{ name: 'kv', permission: 'maybe' }] }, '/value/capabilities/0/permission'],
      [{ ...good, capabilities: [{ name: 'kv', scope: [] }] }, '/value/capabilities/0/scope'],
      [{ ...good, local: ['log', 'fs.read'] }, '/value/local/1'],
    ];
    for (const [hello, field] of cases) {
      const e = await handshake(hello);
      expect(e?.code, field).toBe('BRIDGE_MALFORMED_MESSAGE');
      expect(e?.phase).toBe('hello');
      expect(e?.details.field, JSON.stringify(hello)).toBe(field);
      expect(e?.message).toContain(`field ${field}:`);
    }
    const maybe = await handshake({ ...good, capabilities: [{ name: 'kv', permission: 'maybe' }] });
    expect(maybe?.message).toContain('"maybe"');
  });

  it('another protocol version is a mismatch, not a malformed field; unknown and duplicate names are dropped', async () => {
    expect((await handshake({ protocol: 2, something: 'else' }))?.code).toBe('BRIDGE_PROTOCOL_MISMATCH');
    const n = nativeAnswering({
      ...good,
      capabilities: [{ name: 'kv' }, { name: 'kv' }, { name: 'teleport' }, { name: 'app' }],
      local: ['clock'],
    });
    const a = await createInAppAdapter({ port: n.port, ui: false });
    expect(a.ignoredCapabilities).toEqual(['kv', 'teleport', 'app']);
    expect(a.available().map((o) => o.name)).toEqual(['kv', 'clock']);
    await a.close?.();
    n.close();
  });

  it('a permission reply without an answer for an asked capability fails the request, typed', async () => {
    const hello = { ...good, capabilities: [{ name: 'kv', permission: 'prompt' }] };
    for (const [reply, field] of [
      [{ answers: 'yes' }, '/value/answers'],
      [{ answers: [{ name: 'kv', granted: 'yes' }] }, '/value/answers/0/granted'],
      [{ answers: [{ name: 'clock', granted: true }] }, '/value/answers'],
    ] as const) {
      const n = nativeAnswering(hello, reply);
      const a = await createInAppAdapter({ port: n.port, ui: false });
      let e: unknown;
      try {
        await a.requestPermissions([{ name: 'kv', required: true }]);
      } catch (err) {
        e = err;
      }
      expect(FaygerError.is(e, 'BRIDGE_MALFORMED_MESSAGE')).toBe(true);
      expect((e as FaygerError).phase).toBe('permission');
      expect((e as FaygerError).details.field).toBe(field);
      await a.close?.();
      n.close();
    }
  });
});

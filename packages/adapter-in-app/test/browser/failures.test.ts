import './no-wasm.js';
import { createInstructionBus } from '@fayger/adapter-core';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { installSimulator } from '../../simulator/install.js';
import { createInAppAdapter } from '../../src/index.js';

async function code(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (FaygerError.is(e)) return e.code;
    throw e;
  }
  return 'succeeded';
}

describe.each(['webkit', 'android', 'react-native', 'message-port'] as const)(
  'bridge failures over %s',
  (transport) => {
    it('dropped, malformed and native-error replies, then a native close, all end in typed errors', async () => {
      const sim = installSimulator(document, transport, {
        capabilities: [{ name: 'kv' }, { name: 'clock' }, { name: 'random' }],
      });
      const a = await createInAppAdapter({
        ...(sim.port ? { port: sim.port } : { transport: transport as Exclude<typeof transport, 'message-port'> }),
        ui: false,
        timeoutMs: 150,
      });
      expect(a.transportKind).toBe(transport);
      const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
      bus.open({
        instanceId: 'i',
        grants: bus.negotiate([
          { name: 'kv', required: true },
          { name: 'clock', required: true },
          { name: 'random', required: true },
        ]),
      });
      // Healthy first: bytes cross this transport intact.
      await bus.call('i', 'kv.set', { key: 'k', value: new Uint8Array([0, 1, 254, 255]) });
      expect(Array.from(((await bus.call('i', 'kv.get', { key: 'k' })) as { value: Uint8Array }).value)).toEqual([
        0, 1, 254, 255,
      ]);
      sim.shell.misbehave = {
        drop: ['kv.get'],
        malformed: ['clock.now'],
        nativeError: ['kv.set'],
        closeOn: ['random.bytes'],
      };
      expect(await code(() => bus.call('i', 'kv.get', { key: 'k' }))).toBe('BRIDGE_TIMEOUT');
      expect(await code(() => bus.call('i', 'clock.now', { clock: 'realtime' }))).toBe('BRIDGE_MALFORMED_MESSAGE');
      expect(await code(() => bus.call('i', 'kv.set', { key: 'k', value: new Uint8Array(1) }))).toBe(
        'BRIDGE_NATIVE_ERROR',
      );
      expect(await code(() => bus.call('i', 'random.bytes', { length: 1 }))).toBe('BRIDGE_CLOSED');
      expect(await code(() => bus.call('i', 'kv.get', { key: 'k' }))).toBe('BRIDGE_CLOSED');
      await bus.shutdown();
    });
  },
);

describe('handshake failures in the page', () => {
  it('no bridge, a silent native side, a native side on another protocol', async () => {
    expect(await code(() => createInAppAdapter({ transport: 'webkit', webkitName: 'nobodyHome' }))).toBe(
      'BRIDGE_TRANSPORT_MISSING',
    );
    const silent = installSimulator(document, 'message-port', { misbehave: { drop: ['hello'] } });
    expect(await code(() => createInAppAdapter({ port: silent.port!, handshakeTimeoutMs: 100 }))).toBe(
      'BRIDGE_TIMEOUT',
    );
    const future = installSimulator(document, 'message-port', { misbehave: { protocol: 2 } });
    expect(await code(() => createInAppAdapter({ port: future.port! }))).toBe('BRIDGE_PROTOCOL_MISMATCH');
  });
});

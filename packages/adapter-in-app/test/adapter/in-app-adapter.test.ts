import { createInstructionBus } from '@fayger/adapter-core';
import { directContext } from '@fayger/adapter-core/conformance';
import { FaygerError, type UniversalEvent, type UniversalInstruction } from '@fayger/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { createInAppAdapter, detectInApp, type InAppAdapter } from '../../src/index.js';
import type { PermissionAnswer, PermissionRequestItem } from '../../src/protocol/wire.js';
import { shellOnWindow, shellOverPort } from './helpers.js';

async function rejection(p: unknown): Promise<FaygerError> {
  try {
    await (typeof p === 'function' ? (p as () => unknown)() : p);
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw new Error(`not a FaygerError: ${String(e)}`);
  }
  throw new Error('expected a rejection');
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function track(a: InAppAdapter, close?: () => void): InAppAdapter {
  cleanups.push(async () => {
    await a.close?.();
    close?.();
  });
  return a;
}

const ins = (op: string, args: unknown, extra: Partial<UniversalInstruction> = {}) =>
  ({ v: 1, id: 'x', op, args, instanceId: 'direct', ...extra }) as UniversalInstruction;

describe('handshake', () => {
  it('reports the native platform and derives available() from the native capability list', async () => {
    const s = shellOverPort({
      platform: { os: 'ios', app: 'SuperApp', version: '9.1' },
      capabilities: [
        { name: 'kv', scope: { namespaces: ['app'] } },
        { name: 'net.http', permission: 'prompt' },
        { name: 'clock' },
        { name: 'teleport' as never },
        { name: 'ui', permission: 'denied', reason: 'kiosk mode' },
      ],
      local: ['log', 'random'],
    });
    const a = track(await createInAppAdapter({ port: s.port, ui: 'native' }), s.close);
    expect(a.hostKind).toBe('in-app');
    expect(a.platform).toEqual({ os: 'ios', app: 'SuperApp', version: '9.1' });
    expect(a.transportKind).toBe('message-port');
    expect(a.ignoredCapabilities).toEqual(['teleport']);
    expect(a.available()).toEqual([
      { name: 'kv', scope: { namespaces: ['app'] } },
      { name: 'net.http' },
      { name: 'clock' },
      { name: 'log' },
      { name: 'random' },
    ]);
    expect(a.permissions().get('ui')).toEqual({ state: 'denied', reason: 'kiosk mode' });
    expect(s.shell.received[0]).toMatchObject({ kind: 'hello', protocols: [1] });
  });

  it('a native side that never answers hello fails BRIDGE_TIMEOUT; one on another protocol fails BRIDGE_PROTOCOL_MISMATCH', async () => {
    const s1 = shellOverPort({ misbehave: { drop: ['hello'] } });
    cleanups.push(s1.close);
    const e1 = await rejection(createInAppAdapter({ port: s1.port, handshakeTimeoutMs: 30 }));
    expect(e1.code).toBe('BRIDGE_TIMEOUT');
    expect(e1.phase).toBe('hello');
    const s2 = shellOverPort({ misbehave: { protocol: 7 } });
    cleanups.push(s2.close);
    const e2 = await rejection(createInAppAdapter({ port: s2.port }));
    expect(e2.code).toBe('BRIDGE_PROTOCOL_MISMATCH');
    expect(e2.message).toContain('version 7');
    await new Promise((r) => setTimeout(r, 20));
    // The failed adapter closed its bridge: the native side was told.
    expect(s2.shell.webviewCloses).toBe(1);
  });

  it('no bridge at all is BRIDGE_TRANSPORT_MISSING; detectInApp sees bridges only', async () => {
    expect((await rejection(createInAppAdapter({ global: {} }))).code).toBe('BRIDGE_TRANSPORT_MISSING');
    expect(detectInApp({ global: {} })).toBe(false);
    expect(detectInApp({ global: { window: {}, document: {} } })).toBe(false);
    const { win } = shellOnWindow('android');
    expect(detectInApp({ global: win })).toBe(3);
    expect(detectInApp({ global: { ReactNativeWebView: { postMessage() {} } } })).toBe(3);
  });
});

describe('permissions', () => {
  function prompting(answers: Record<string, PermissionAnswer>) {
    const asked: PermissionRequestItem[][] = [];
    return {
      asked,
      prompt: async (items: PermissionRequestItem[]) => {
        asked.push(items);
        return items.map((i) => answers[i.name] ?? { name: i.name, granted: true });
      },
    };
  }

  it("a user's deny is a denied grant with the reason in the report, not a crash", async () => {
    const p = prompting({ 'net.http': { name: 'net.http', granted: false, reason: 'user tapped Don’t Allow' } });
    const s = shellOverPort({
      capabilities: [{ name: 'log' }, { name: 'kv', permission: 'prompt' }, { name: 'net.http', permission: 'prompt' }],
      prompt: p.prompt,
    });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const report = await a.negotiate(
      [
        { name: 'log', required: true },
        { name: 'kv', required: true, reason: 'save drafts' },
        { name: 'net.http', required: false, reason: 'sync', scope: { origins: ['https://api.example.com'] } },
      ],
      { allow: 'available' },
    );
    expect(p.asked).toEqual([
      [
        { name: 'kv', reason: 'save drafts' },
        { name: 'net.http', scope: { origins: ['https://api.example.com'] }, reason: 'sync' },
      ],
    ]);
    expect(report.granted.map((g) => g.name)).toEqual(['log', 'kv']);
    expect(report.absentOptional).toEqual(['net.http']);
    const entry = report.entries.find((e) => e.name === 'net.http')!;
    expect(entry.granted).toBe(false);
    expect(entry.available).toEqual({
      allowed: false,
      reason: 'the user denied net.http in the host app: user tapped Don’t Allow',
    });
    expect(entry.reason).toContain('user tapped');
    expect(a.available().map((o) => o.name)).not.toContain('net.http');
    // Asked once: answers are remembered.
    await a.requestPermissions([
      { name: 'kv', required: true },
      { name: 'net.http', required: false },
    ]);
    expect(p.asked.length).toBe(1);
  });

  it('grants app (served by the bus on every host) when the adapter negotiates itself, so UI apps get events', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'log', permission: 'granted' }] });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const report = await a.negotiate(
      [
        { name: 'log', required: true },
        { name: 'app', required: true },
      ],
      { allow: 'available' },
    );
    expect(report.missingRequired).toEqual([]);
    expect(report.granted.map((g) => g.name).sort()).toEqual(['app', 'log']);
  });

  it('a required capability the user denied leaves the report with missingRequired', async () => {
    const p = prompting({ kv: { name: 'kv', granted: false } });
    const s = shellOverPort({ capabilities: [{ name: 'kv', permission: 'prompt' }], prompt: p.prompt });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const report = await a.negotiate([{ name: 'kv', required: true }], { allow: 'available' });
    expect(report.missingRequired).toEqual(['kv']);
    expect(report.entries[0]!.reason).toBe('the user denied kv in the host app');
  });

  it('denial at call time: a stale grant gets INAPP_PERMISSION_DENIED from the adapter, and the bus never grants it', async () => {
    const p = prompting({ kv: { name: 'kv', granted: false, reason: 'no storage for guests' } });
    const s = shellOverPort({
      capabilities: [{ name: 'kv', permission: 'prompt' }, { name: 'log' }],
      prompt: p.prompt,
    });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    // First use asks the user (no negotiate call before): the prompt happens at call time.
    const e = await rejection(() =>
      a.handle(ins('kv.get', { key: 'k' }), directContext('direct', 'kv', [{ name: 'kv' }])),
    );
    expect(e.code).toBe('INAPP_PERMISSION_DENIED');
    expect(e.message).toContain('no storage for guests');
    expect(e.details).toMatchObject({ capability: 'kv', op: 'kv.get' });
    expect(p.asked.length).toBe(1);
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    cleanups.push(() => bus.shutdown());
    const report = bus.negotiate([{ name: 'kv', required: false }]);
    expect(report.granted).toEqual([]);
    bus.open({ instanceId: 'i1', grants: report });
    expect((await rejection(() => bus.call('i1', 'kv.get', { key: 'k' }))).code).toBe('CAPABILITY_DENIED');
    expect(s.shell.received.filter((m) => m.kind === 'call')).toEqual([]);
  });

  it('a permission revoked natively after the grant comes back as INAPP_PERMISSION_DENIED from the native side', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'kv' }] });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    cleanups.push(() => bus.shutdown());
    bus.open({ instanceId: 'i1', grants: bus.negotiate([{ name: 'kv', required: true }]) });
    await bus.call('i1', 'kv.set', { key: 'k', value: new Uint8Array([1]) });
    s.shell.revoke('kv');
    const e = await rejection(() => bus.call('i1', 'kv.get', { key: 'k' }));
    expect(e.code).toBe('INAPP_PERMISSION_DENIED');
    expect(e.message).toContain('revoked');
  });

  it('concurrent first calls share one prompt', async () => {
    const p = prompting({});
    const s = shellOverPort({ capabilities: [{ name: 'kv', permission: 'prompt' }], prompt: p.prompt });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const ctx = directContext('direct', 'kv', [{ name: 'kv' }]);
    const rs = await Promise.all([1, 2, 3].map((n) => a.handle(ins('kv.get', { key: `k${n}` }), ctx)));
    expect(rs).toEqual([{ value: null }, { value: null }, { value: null }]);
    expect(p.asked.length).toBe(1);
  });
});

describe('calls over the bridge', () => {
  it('bridge failures reach the guest as typed errors: dropped reply, malformed reply, native error, closed bridge', async () => {
    const { shell, win } = shellOnWindow('android', {
      capabilities: [{ name: 'kv' }, { name: 'clock' }, { name: 'random' }],
    });
    // A generous adapter deadline: on a loaded machine a 50 ms timer can fire before the bridge's close event is
    // delivered. The dropped reply is bounded by the instruction's own short timeoutMs instead.
    const a = track(await createInAppAdapter({ global: win, ui: false, timeoutMs: 60_000 }));
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    cleanups.push(() => bus.shutdown());
    bus.open({
      instanceId: 'i1',
      grants: bus.negotiate([
        { name: 'kv', required: true },
        { name: 'clock', required: true },
        { name: 'random', required: true },
      ]),
    });
    shell.misbehave = { drop: ['kv.get'], malformed: ['clock.now'], nativeError: ['kv.set'] };
    const dropped = await rejection(() =>
      a.handle(ins('kv.get', { key: 'k' }, { timeoutMs: 50 }), directContext('i1', 'kv', [{ name: 'kv' }])),
    );
    expect(dropped.code).toBe('BRIDGE_TIMEOUT');
    const mal = await rejection(() => bus.call('i1', 'clock.now', { clock: 'realtime' }));
    expect(mal.code).toBe('BRIDGE_MALFORMED_MESSAGE');
    expect(mal.phase).toBe('clock.now');
    const nat = await rejection(() => bus.call('i1', 'kv.set', { key: 'k', value: new Uint8Array(1) }));
    expect(nat.code).toBe('BRIDGE_NATIVE_ERROR');
    expect(nat.message).toContain('NSInternalInconsistencyException');
    shell.misbehave = { closeOn: ['random.bytes'] };
    expect((await rejection(() => bus.call('i1', 'random.bytes', { length: 4 }))).code).toBe('BRIDGE_CLOSED');
    expect(a.closed).toBe(true);
    expect((await rejection(() => bus.call('i1', 'kv.get', { key: 'k' }))).code).toBe('BRIDGE_CLOSED');
  });

  it('an instruction timeoutMs bounds the bridge call too', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'kv' }], misbehave: { drop: ['kv.list'] } });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const e = await rejection(() =>
      a.handle(ins('kv.list', {}, { timeoutMs: 25 }), directContext('direct', 'kv', [{ name: 'kv' }])),
    );
    expect(e.code).toBe('BRIDGE_TIMEOUT');
  });

  it('bytes cross string transports intact (kv round trip with every byte value)', async () => {
    const { shell, win } = shellOnWindow('react-native', { capabilities: [{ name: 'kv' }] });
    const a = track(await createInAppAdapter({ global: win, ui: false }));
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const ctx = directContext('direct', 'kv', [{ name: 'kv' }]);
    await a.handle(ins('kv.set', { key: 'b', value: all }), ctx);
    expect(Array.from(shell.kv.get('default\u0000b')!)).toEqual(Array.from(all));
    const got = (await a.handle(ins('kv.get', { key: 'b' }), ctx)) as { value: Uint8Array };
    expect(Array.from(got.value)).toEqual(Array.from(all));
  });

  it('confines kv namespaces and net.http origins itself before anything leaves the WebView', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'kv' }, { name: 'net.http' }] });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const grants = [
      { name: 'kv' as const, scope: { namespaces: ['mine'] } },
      { name: 'net.http' as const, scope: { origins: ['https://api.example.com'] } },
    ];
    expect(
      (
        await rejection(() =>
          a.handle(ins('kv.get', { namespace: 'theirs', key: 'k' }), directContext('direct', 'kv', grants)),
        )
      ).code,
    ).toBe('CAPABILITY_SCOPE_DENIED');
    expect(
      (await rejection(() => a.handle(ins('kv.get', { key: 'k' }), directContext('direct', 'kv', grants)))).code,
    ).toBe('CAPABILITY_SCOPE_DENIED');
    expect(
      (
        await rejection(() =>
          a.handle(
            ins('net.http', { method: 'GET', url: 'http://127.0.0.1:9/' }),
            directContext('direct', 'net.http', grants),
          ),
        )
      ).code,
    ).toBe('CAPABILITY_SCOPE_DENIED');
    expect(s.shell.received.filter((m) => m.kind === 'call')).toEqual([]);
  });

  it('an op the native side does not offer is ADAPTER_UNSUPPORTED_OP', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'log' }] });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    expect(
      (await rejection(() => a.handle(ins('kv.get', { key: 'k' }), directContext('direct', 'kv', [{ name: 'kv' }]))))
        .code,
    ).toBe('ADAPTER_UNSUPPORTED_OP');
  });

  it('host events pushed by the native side reach the instance through the bus; broadcast ones reach every instance', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'log' }, { name: 'clock' }] });
    const problems: Array<{ code: string }> = [];
    const a = track(
      await createInAppAdapter({
        port: s.port,
        ui: false,
        diagnostics: { emit: (e) => void problems.push((e.data as { error: { code: string } }).error) },
      }),
      s.close,
    );
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    cleanups.push(() => bus.shutdown());
    const events: Record<string, UniversalEvent[]> = { i1: [], i2: [] };
    for (const id of ['i1', 'i2']) {
      bus.open({ instanceId: id, grants: bus.negotiate([{ name: 'clock', required: true }]) });
      bus.subscribe(id, (e) => events[id]!.push(e));
      await bus.call(id, 'clock.now', { clock: 'realtime' });
    }
    s.shell.pushEvent('app.lifecycle', { state: 'background' });
    s.shell.pushEvent('app.lifecycle', { state: 'foreground' }, 'i2');
    s.shell.pushEvent('app.lifecycle', { state: 'foreground' }, 'nobody');
    await new Promise((r) => setTimeout(r, 30));
    expect(events.i1!.map((e) => e.data)).toEqual([{ state: 'background' }]);
    expect(events.i2!.map((e) => e.data)).toEqual([{ state: 'background' }, { state: 'foreground' }]);
    expect(problems.map((p) => p.code)).toEqual(['BRIDGE_MALFORMED_MESSAGE']);
  });

  it('dispose tells the native side, which stops that instance\u2019s timers', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'timer' }] });
    const a = track(await createInAppAdapter({ port: s.port, ui: false }), s.close);
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    cleanups.push(() => bus.shutdown());
    bus.open({ instanceId: 'i1', grants: bus.negotiate([{ name: 'timer', required: true }]) });
    await bus.call('i1', 'timer.set', { timerId: 't', ms: 10_000 });
    await bus.close('i1');
    expect(s.shell.received.at(-1)).toMatchObject({ kind: 'dispose', instanceId: 'i1' });
  });
});

describe("ui: 'native'", () => {
  it('forwards trees over the bridge and turns native taps into ui.event', async () => {
    let tap: ((d: { nodeId: string; kind: 'click' }) => void) | undefined;
    const s = shellOverPort({
      capabilities: [{ name: 'ui' }],
      nativeUi: true,
      renderUi: (_i, _t, send) => (tap = send),
    });
    const a = track(await createInAppAdapter({ port: s.port, ui: 'native' }), s.close);
    expect(a.uiMode).toBe('native');
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    cleanups.push(() => bus.shutdown());
    bus.open({ instanceId: 'i1', grants: bus.negotiate([{ name: 'ui', required: true }]) });
    const events: UniversalEvent[] = [];
    bus.subscribe('i1', (e) => events.push(e));
    const tree = { type: 'column' as const, children: [{ type: 'button' as const, id: 'ok', text: 'OK' }] };
    await bus.call('i1', 'ui.render', { tree });
    expect(s.shell.uiTrees.get('i1')).toEqual(tree);
    tap!({ nodeId: 'ok', kind: 'click' });
    await new Promise((r) => setTimeout(r, 20));
    expect(events.map((e) => [e.type, e.data])).toEqual([['ui.event', { nodeId: 'ok', kind: 'click' }]]);
  });

  it('without native UI and without a DOM there is no ui capability', async () => {
    const s = shellOverPort({ capabilities: [{ name: 'ui' }], nativeUi: false });
    const a = track(await createInAppAdapter({ port: s.port }), s.close);
    expect(a.uiMode).toBe('none');
    expect(a.available().map((o) => o.name)).not.toContain('ui');
  });
});

import { createInstructionBus } from '@fayger/adapter-core';
import { FaygerError, type UniversalEvent } from '@fayger/contracts';
import { createInAppAdapter } from '../src/index.js';
import { installSimulator } from './install.js';
import type { ShellTransport } from './native-shell.js';

/**
 * The simulator page's own script (bundled to page.js next to index.html). Query parameters:
 * `transport` (webkit | android | react-native | message-port, default webkit), `ui` (dom | native),
 * `http` (an origin on 127.0.0.1 for net.http). It runs a small mini-app through the adapter — asking for
 * kv and net.http (the permission dialog waits for a click), rendering a UI, fetching, storing — and leaves
 * the outcome in `window.__simResult` (and `__faygerDone` when a harness defined it).
 */
const q = new URLSearchParams(location.search);
const transport = (q.get('transport') ?? 'webkit') as ShellTransport;
const uiMode = q.get('ui') === 'native' ? 'native' : 'dom';
const httpOrigin = q.get('http') ?? location.origin;

const sim = installSimulator(document, transport, {
  capabilities: [
    { name: 'log' },
    { name: 'clock' },
    { name: 'kv', permission: 'prompt' },
    { name: 'net.http', permission: 'prompt', scope: { origins: [httpOrigin] } },
    { name: 'ui' },
  ],
  nativeUi: uiMode === 'native',
});
(window as unknown as Record<string, unknown>).__sim = sim;

function evalAllowed(): boolean {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
}

async function main(): Promise<Record<string, unknown>> {
  const adapter = await createInAppAdapter({
    ...(sim.port ? { port: sim.port } : { transport: transport as Exclude<ShellTransport, 'message-port'> }),
    ui: uiMode === 'native' ? 'native' : { mode: 'dom', container: sim.webview },
  });
  const report = await adapter.negotiate(
    [
      { name: 'log', required: true },
      { name: 'ui', required: true },
      { name: 'kv', required: false, reason: 'remember your last visit' },
      { name: 'net.http', required: false, reason: 'fetch the greeting', scope: { origins: [httpOrigin] } },
    ],
    { allow: 'available' },
  );
  const bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
  bus.open({ instanceId: 'mini-app', grants: report, app: { id: 'demo', version: '1.0.0' } });
  const events: UniversalEvent[] = [];
  bus.subscribe('mini-app', (e) => events.push(e));
  const lines: string[] = [];
  const outcome = async (label: string, f: () => unknown) => {
    try {
      await f();
      lines.push(`${label}: ok`);
      return 'ok';
    } catch (e) {
      const code = FaygerError.is(e) ? e.code : String(e);
      lines.push(`${label}: ${code}`);
      return code;
    }
  };
  const kv = await outcome('kv.set', () =>
    bus.call('mini-app', 'kv.set', { key: 'visit', value: new TextEncoder().encode(new Date(0).toISOString()) }),
  );
  let greeting = '';
  const http = await outcome('net.http', async () => {
    const r = (await bus.call('mini-app', 'net.http', { method: 'GET', url: `${httpOrigin}/ok` })) as {
      status: number;
      body: Uint8Array;
    };
    greeting = `${r.status} ${new TextDecoder().decode(r.body)}`;
  });
  await bus.call('mini-app', 'ui.render', {
    tree: {
      type: 'column',
      children: [
        { type: 'text', text: `Host: ${adapter.platform.os} (${adapter.transportKind} bridge, ui ${adapter.uiMode})` },
        {
          type: 'text',
          text: `WebAssembly: ${typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'undefined' ? 'absent' : 'present'}; eval: ${evalAllowed() ? 'allowed' : 'blocked'}`,
        },
        {
          type: 'list',
          children: report.entries.map((e) => ({
            type: 'text' as const,
            text: `${e.name}: ${e.granted ? 'granted' : e.reason}`,
          })),
        },
        { type: 'text', text: greeting ? `Greeting: ${greeting}` : 'No network (permission denied)' },
        { type: 'button', id: 'done', text: 'Done' },
      ],
    },
  });
  return {
    wasm: typeof (globalThis as { WebAssembly?: unknown }).WebAssembly,
    evalAllowed: evalAllowed(),
    granted: report.granted.map((g) => g.name),
    denied: report.entries.filter((e) => !e.granted).map((e) => ({ name: e.name, reason: e.reason })),
    kv,
    http,
    greeting,
    lines,
    events: events.length,
  };
}

main().then(
  (r) => {
    (window as unknown as Record<string, unknown>).__simResult = r;
    (window as unknown as { __faygerDone?: (v: unknown) => void }).__faygerDone?.(r);
  },
  (e: unknown) => {
    (window as unknown as Record<string, unknown>).__simResult = {
      error: FaygerError.is(e) ? `${e.code}: ${e.message}` : String(e),
    };
  },
);

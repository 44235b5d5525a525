import { adapterConformance } from '@fayger/adapter-core/conformance';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInAppAdapter } from '../../src/index.js';
import { shellOnWindow, shellOverPort } from './helpers.js';

const ALL = [
  { name: 'log' },
  { name: 'clock' },
  { name: 'random' },
  { name: 'timer' },
  { name: 'kv' },
  { name: 'net.http' },
  { name: 'ui' },
] as const;

function httpSetup() {
  return async () => {
    const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return { httpUrl: `http://127.0.0.1:${port}/`, teardown: () => new Promise<void>((r) => server.close(() => r())) };
  };
}

// Everything over the bridge: the simulator answers log, clock, random, timers, kv, net.http and native ui.
adapterConformance('in-app over MessagePort (all native)', {
  create: async () => {
    const s = shellOverPort({ capabilities: [...ALL], nativeUi: true });
    const a = await createInAppAdapter({ port: s.port, ui: 'native' });
    const close = a.close!.bind(a);
    return Object.assign(a, { close: async () => (await close(), s.close()) });
  },
  flags: { kv: true, ui: true, netHttp: true },
  setup: httpSetup(),
});

// JSON text with base64 bytes through a fake WKWebView handler; log/clock/random/timer answered in the WebView.
adapterConformance('in-app over a WKWebView string bridge (local log/clock/random/timer)', {
  create: async () => {
    const { win } = shellOnWindow('webkit', {
      capabilities: [...ALL],
      local: ['log', 'clock', 'random', 'timer'],
      nativeUi: true,
    });
    return createInAppAdapter({ global: win, ui: 'native', log: { output: false } });
  },
  flags: { kv: true, ui: true, netHttp: true },
  setup: httpSetup(),
});

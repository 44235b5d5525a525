/// <reference path="../../../../tooling/browser-harness/src/commands.ts" />
import './no-wasm.js';
import { adapterConformance } from '@fayger/adapter-core/conformance';
import { commands } from 'vitest/browser';
import { installSimulator } from '../../simulator/install.js';
import { createInAppAdapter } from '../../src/index.js';

// The simulator answers every family natively over a WKWebView-style string bridge; ui renders in this
// page's DOM. A second run serves everything over a MessagePort with native UI.
const sim = installSimulator(document, 'webkit');
const portSim = installSimulator(document, 'message-port', { nativeUi: true });

const http = async () => {
  const origin = await commands.startHttpFixture();
  return { httpUrl: `${origin}/ok`, teardown: () => commands.stopHttpFixture(origin) };
};

adapterConformance('in-app in Chromium over the WKWebView bridge (dom ui)', {
  create: () => createInAppAdapter({ transport: 'webkit', ui: { mode: 'dom', container: sim.webview } }),
  flags: { kv: true, ui: true, netHttp: true },
  setup: http,
});

adapterConformance('in-app in Chromium over a MessagePort (native ui)', {
  create: () => createInAppAdapter({ port: portSim.port!, ui: 'native' }),
  flags: { kv: true, ui: true, netHttp: true },
  setup: http,
});

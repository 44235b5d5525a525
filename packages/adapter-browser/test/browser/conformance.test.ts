import { adapterConformance } from '@fayger/adapter-core/conformance';
import { commands } from 'vitest/browser';
import { createBrowserAdapter } from '../../src/index.js';

// The shared adapter suite, unmodified, inside Chromium. No fs, env or net.listen in a page.
adapterConformance('browser (chromium)', {
  create: () => createBrowserAdapter({ log: { output: false }, kv: { databaseName: 'fayger-conformance' } }),
  flags: { kv: true, ui: true, netHttp: true },
  setup: async () => {
    const origin = await commands.startHttpFixture();
    return { httpUrl: `${origin}/ok`, teardown: () => commands.stopHttpFixture(origin) };
  },
});

import { PassThrough } from 'node:stream';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { adapterConformance } from '@fayger/adapter-core/conformance';
import { createDesktopAdapter } from '../../src/index.js';
import { FakeScreen } from '../helpers/screen.js';

// The desktop layer over adapter-core's in-memory host: checks the desktop's own routing and ui.* against
// the shared suite independently of the Node host services.
adapterConformance('desktop (memory host)', {
  create: () =>
    createDesktopAdapter({
      host: createMemoryAdapter({ writableRoots: ['/data'] }),
      terminal: { input: new PassThrough(), output: new FakeScreen(60, 12) },
      charset: 'ascii',
      clipboard: null,
      notifier: null,
      urlOpener: null,
      fallbackOutput: { write: () => true },
    }),
  flags: { ui: true, fs: true, kv: true },
});

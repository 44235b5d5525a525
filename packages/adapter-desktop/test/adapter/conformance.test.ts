import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { adapterConformance } from '@fayger/adapter-core/conformance';
import { createDesktopAdapter } from '../../src/index.js';
import { FakeScreen } from '../helpers/screen.js';

const dir = mkdtempSync(join(tmpdir(), 'fayger-desktop-conf-'));
process.env.FAYGER_DESKTOP_CONF = 'yes';

adapterConformance('desktop', {
  create: () =>
    createDesktopAdapter({
      mounts: [{ guest: '/docs', host: dir }],
      kvDir: join(dir, '.kv'),
      env: { allow: ['FAYGER_DESKTOP_CONF'] },
      log: { output: { write: () => true } },
      terminal: { input: new PassThrough(), output: new FakeScreen(60, 12) },
      charset: 'ascii',
      clipboard: null,
      notifier: null,
      urlOpener: null,
      fallbackOutput: { write: () => true },
    }),
  flags: {
    ui: true,
    fs: true,
    kv: true,
    env: { name: 'FAYGER_DESKTOP_CONF', value: 'yes' },
    netHttp: true,
    netListen: true,
  },
  setup: async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    return {
      httpUrl: `http://127.0.0.1:${port}/`,
      teardown: async () => {
        await new Promise((r) => server.close(r));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

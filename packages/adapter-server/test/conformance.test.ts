import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterConformance } from '@fayger/adapter-core/conformance';
import { createServerAdapter } from '../src/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'fayger-server-conf-'));
process.env.FAYGER_SERVER_CONFORMANCE = 'on';

adapterConformance('server', {
  create: () => createServerAdapter({ dataDir, log: { output: false } }),
  flags: {
    fs: true,
    kv: true,
    netHttp: true,
    netListen: true,
    env: { name: 'FAYGER_SERVER_CONFORMANCE', value: 'on' },
  },
  setup: async () => {
    const srv = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return {
      httpUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`,
      teardown: () => {
        srv.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});

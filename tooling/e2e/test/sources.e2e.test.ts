// pack → sign → push → run, from every scheme: the spawned `fayger` CLI against loopback servers (s3rver behind a
// SigV4-checking proxy; a trustless IPFS gateway with a Kubo-compatible dag/import; plain HTTP Range).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, startS3, type GatewayFixture, type S3Fixture } from '@fayger/test-servers';
import { denialProbe } from '../../../packages/fayger/test/support/guests.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const bin = join(here, '..', 'test-artifacts', 'bin', 'fayger.js');
const scratch = mkdtempSync(join(tmpdir(), 'fayger-e2e-sources-'));
let s3: S3Fixture;
let gw: GatewayFixture;

beforeAll(async () => {
  s3 = await startS3();
  gw = await startGateway();
});
afterAll(async () => {
  await s3.close();
  await gw.close();
  rmSync(scratch, { recursive: true, force: true });
});

// Async spawn: the loopback servers live in this process and must keep answering while the CLI runs.
function fayger(
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      FAYGER_STATE_DIR: join(scratch, 'state'),
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_REGION: s3.region,
      AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'none'),
      AWS_CONFIG_FILE: join(scratch, 'none'),
      FAYGER_IPFS_GATEWAY: gw.url,
      ...extra,
    };
    const p = spawn(process.execPath, [bin, ...args], { cwd: scratch, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fayger run from s3://, ipfs:// and http:// (spawned CLI, loopback servers)', () => {
  it('keygen → pack --sign → push → run, for each scheme; a lazy run reads only what it needs', async () => {
    const app = join(scratch, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'main.wasm'), denialProbe()); // exits 0 when random is granted
    writeFileSync(
      join(app, 'assets.bin'),
      new Uint8Array(1_500_000).map((_, i) => (i * 2654435761) >>> 11),
    );
    writeFileSync(
      join(app, 'fayger.pack.json'),
      JSON.stringify({
        manifest: {
          id: 'com.example.sources',
          version: '1.0.0',
          publisher: 'com.example.apps',
          runtime: { interface: '^1.0.0' },
          entry: { section: 'main', export: '_start' },
          capabilities: [{ name: 'random', required: true }],
          quotas: {},
          security: { sequence: 1 },
        },
        sections: [
          { name: 'main', kind: 'code', file: 'main.wasm', required: true },
          { name: 'assets', kind: 'assets', file: 'assets.bin', chunkSize: 65536, priority: -1 },
        ],
      }),
    );
    expect((await fayger(['keygen', '-p', 'com.example.*', '-o', 'release', '--roots', 'roots.json'])).code).toBe(0);
    const packed = await fayger(['pack', 'app', '-o', 'app.buf', '--sign', 'release.key.json']);
    expect(packed.code, packed.stderr).toBe(0);

    const toS3 = await fayger(['push', 'app.buf', 's3://bufs/apps/app.buf']);
    expect(toS3.code, toS3.stderr).toBe(0);
    expect(toS3.stdout.trim()).toBe('s3://bufs/apps/app.buf');
    const toIpfs = await fayger(['push', 'app.buf', 'ipfs', '--api', gw.url]);
    expect(toIpfs.code, toIpfs.stderr).toBe(0);
    const ipfsUrl = toIpfs.stdout.trim();
    expect(ipfsUrl).toMatch(/^ipfs:\/\/bafy/);

    for (const [url, check] of [
      ['s3://bufs/apps/app.buf', () => s3.log.filter((l) => l.method === 'GET').reduce((n, l) => n + l.bytes, 0)],
      [ipfsUrl, () => gw.bytesServed],
      [`${s3.directEndpoint}/bufs/apps/app.buf`, () => 0],
    ] as const) {
      s3.log.length = 0;
      gw.bytesServed = 0;
      const r = await fayger(['run', url, '--trusted-roots', 'roots.json', '--host', 'server', '--explain']);
      expect(r.code, `${url}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toMatch(/com\.example\.sources@1\.0\.0 .* signed by/);
      // The 1.5 MB assets section is not selected for the server profile's needs: a lazy run never fetches it.
      expect(check()).toBeLessThan(700_000);
    }
    const i = await fayger(['inspect', ipfsUrl, '--json']);
    expect(JSON.parse(i.stdout).manifest.id).toBe('com.example.sources');

    // Wrong credentials: a typed error and the I/O exit code.
    const denied = await fayger(
      ['run', 's3://bufs/apps/app.buf', '--trusted-roots', 'roots.json', '--host', 'server'],
      { AWS_SECRET_ACCESS_KEY: 'wrong' },
    );
    expect(denied.code).toBe(114);
    expect(denied.stderr).toContain('LOADER_S3_ACCESS_DENIED');
  });

  const hello = join(repo, 'examples', 'hello', 'dist', 'hello.buf');
  const roots = join(repo, '.fayger-dev', 'trusted-roots.json');
  const built = existsSync(hello) && existsSync(roots);
  (built ? it : it.skip)(
    `the signed hello example runs from s3:// and ipfs://${built ? '' : ` [skipped: ${hello} not built — pnpm turbo run build --filter @fayger/example-hello]`}`,
    async () => {
      expect((await fayger(['push', hello, 's3://bufs/hello.buf'])).code).toBe(0);
      const pushed = await fayger(['push', hello, 'ipfs', '--api', gw.url]);
      expect(pushed.code, pushed.stderr).toBe(0);
      for (const url of ['s3://bufs/hello.buf', pushed.stdout.trim()]) {
        const r = await fayger(['run', url, '--trusted-roots', roots, '--host', 'server']);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain('hello from a Fayger guest (AssemblyScript)');
      }
    },
  );
});

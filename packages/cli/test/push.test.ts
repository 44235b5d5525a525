// fayger push / inspect / verify with s3:// and ipfs:// (in-process CLI, loopback s3rver and trustless gateway).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUnixfs, startGateway, startS3, type GatewayFixture, type S3Fixture } from '@fayger/test-servers';
import { EXIT_CODES, runCli, type CliIo } from '../src/index.js';
import { tempDir, writeApp } from './helpers.js';

function io(cwd: string): CliIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => void (o.out += t),
    stderr: (t: string) => void (o.err += t),
    stderrIsTTY: false,
    cwd,
  };
  return o;
}

let s3: S3Fixture;
let gw: GatewayFixture;
let dir: string;
const saved: Record<string, string | undefined> = {};
const ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_S3',
  'AWS_REGION',
  'FAYGER_IPFS_GATEWAY',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
];

beforeAll(async () => {
  s3 = await startS3();
  gw = await startGateway();
  for (const k of ENV) saved[k] = process.env[k];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: s3.region,
    FAYGER_IPFS_GATEWAY: gw.url,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent',
  });
  dir = tempDir();
  writeApp(dir);
  expect(await runCli(['keygen', '-p', 'com.example.*', '-o', 'release', '--roots', 'roots.json'], io(dir))).toBe(0);
  expect(await runCli(['pack', 'app', '-o', 'app.buf', '--sign', 'release.key.json'], io(dir))).toBe(0);
});

afterAll(async () => {
  for (const k of ENV) saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k]);
  await s3.close();
  await gw.close();
});

describe('fayger push, and inspect / verify from s3:// and ipfs://', () => {
  it('push to S3 prints s3://bucket/key; verify and inspect read it back', async () => {
    const o = io(dir);
    expect(await runCli(['push', 'app.buf', 's3://bufs/releases/app.buf'], o)).toBe(0);
    expect(o.out).toBe('s3://bufs/releases/app.buf\n');
    expect(o.err).toMatch(/pushed com\.example\.apps\.hello@1\.2\.3 .* to s3:\/\/bufs\/releases\/app\.buf \(ETag "/);
    const v = io(dir);
    expect(await runCli(['verify', 's3://bufs/releases/app.buf', '--roots', 'roots.json'], v)).toBe(0);
    expect(v.out).toContain('OK com.example.apps.hello@1.2.3');
    s3.log.length = 0;
    const i = io(dir);
    expect(await runCli(['inspect', 's3://bufs/releases/app.buf', '--json'], i)).toBe(0);
    expect(JSON.parse(i.out)).toMatchObject({
      file: 's3://bufs/releases/app.buf',
      manifest: { id: 'com.example.apps.hello' },
    });
    expect(s3.log.filter((l) => l.method === 'GET').length).toBeLessThanOrEqual(2); // header+manifest+index, signature
  });

  it('push to IPFS through a Kubo-compatible API and to a CAR file; prints the CID ipfs add would', async () => {
    const o = io(dir);
    expect(await runCli(['push', 'app.buf', 'ipfs', '--api', gw.url, '--car', 'app.car'], o)).toBe(0);
    const url = o.out.trim();
    expect(url).toMatch(/^ipfs:\/\/baf[ky]/); // a file under 256 KiB is one raw block (bafkrei…), as with ipfs add
    const expected = await importUnixfs(new Uint8Array(readFileSync(join(dir, 'app.buf'))), new Map());
    expect(url).toBe(`ipfs://${expected.cid}`);
    expect(readFileSync(join(dir, 'app.car')).length).toBeGreaterThan(100);
    const i = io(dir);
    expect(await runCli(['inspect', url], i)).toBe(0);
    expect(i.out).toContain('com.example.apps.hello');
    expect(await runCli(['verify', url, '--roots', 'roots.json'], io(dir))).toBe(0);
    // a second --car to the same file needs --force
    expect(await runCli(['push', 'app.buf', 'ipfs', '--car', 'app.car'], io(dir))).toBe(EXIT_CODES.USAGE);
  });

  it('typed failures: unknown scheme, missing key, corrupted block, bad push target, push without a target store', async () => {
    const a = io(dir);
    expect(await runCli(['inspect', 'gopher://x/app.buf'], a)).toBe(EXIT_CODES.UNSUPPORTED);
    expect(a.err).toContain('LOADER_SOURCE_UNSUPPORTED');
    const b = io(dir);
    expect(await runCli(['inspect', 's3://bufs/missing.buf'], b)).toBe(EXIT_CODES.IO_ERROR);
    expect(b.err).toContain('LOADER_S3_NOT_FOUND');
    const { cid } = await importUnixfs(new Uint8Array(readFileSync(join(dir, 'app.buf'))), gw.blocks);
    gw.faults.corrupt.add(cid.toString());
    const c = io(dir);
    expect(await runCli(['verify', `ipfs://${cid}`, '--roots', 'roots.json'], c)).toBe(EXIT_CODES.VERIFICATION_FAILED);
    expect(c.err).toContain('LOADER_IPFS_BLOCK_INVALID');
    gw.faults.corrupt.clear();
    expect(await runCli(['push', 'app.buf', 'ftp://x'], io(dir))).toBe(EXIT_CODES.USAGE);
    expect(await runCli(['push', 'app.buf', 'ipfs'], io(dir))).toBe(EXIT_CODES.USAGE);
    const d = io(dir);
    expect(await runCli(['push', 'app.buf', 's3://nobucket/app.buf'], d)).toBe(EXIT_CODES.IO_ERROR);
    expect(d.err).toContain('CLI_PUSH_FAILED');
  });
});

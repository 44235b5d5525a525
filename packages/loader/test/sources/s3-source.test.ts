// S3Source against s3rver (npm, a real S3-compatible server) behind a proxy that checks SigV4 and injects
// throttling (tooling/test-servers).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { loopbackFetch, startS3, type S3Fixture } from '@fayger/test-servers';
import { HttpRangeSource, S3Source, loadBuf, packBuf, resolveS3, signS3Request } from '../../src/index.js';
import { nodeS3Options, openSource } from '../../src/node.js';
import { manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let s3: S3Fixture;
const signer = testSigner('alice', 1);
const opts = {
  digest: nodeDigest,
  trust: testVerifier([signer]),
  profile: { host: 'server' as const },
  supportedInterfaceVersions: ['1.0.0'],
};
let artifact: Uint8Array;
const BIG = 400_000;

async function makeArtifact(fill: number): Promise<Uint8Array> {
  return packBuf(
    manifest(),
    [
      { name: 'main', kind: 'code', data: new Uint8Array(3000).fill(fill), required: true },
      { name: 'big', kind: 'data', data: new Uint8Array(BIG).map((_, i) => (i * 7 + fill) & 255), chunkSize: 16_384 },
    ],
    { digest: nodeDigest, signers: [signer] },
  );
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!FaygerError.is(e)) throw e;
    return e.code;
  }
}

beforeAll(async () => {
  s3 = await startS3();
  artifact = await makeArtifact(1);
});
afterAll(() => s3.close());
beforeEach(async () => {
  s3.faults.slowDown = 0;
  s3.faults.hang = false;
  await s3.put('app.buf', artifact);
});

const creds = () => ({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey });
const src = (o: ConstructorParameters<typeof S3Source>[1] = {}, key = 'app.buf') =>
  new S3Source(`s3://${s3.bucket}/${key}`, {
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: creds(),
    backoffMs: 5,
    maxBackoffMs: 20,
    timeoutMs: 3000,
    env: {},
    ...o,
  });

describe('S3Source', () => {
  it('a lazy open reads only header + manifest + index + signature, with signed ranged GETs', async () => {
    const s = src();
    const loaded = await loadBuf(s, { ...opts, strategy: 'lazy' });
    const gets = s3.log.filter((l) => l.method === 'GET');
    const bytes = gets.reduce((n, l) => n + l.bytes, 0);
    const big = loaded.sections.find((x) => x.name === 'big')!;
    // The probe (64 KiB: header, manifest, index) and the signature section at the end; nothing of `big` past the probe.
    expect(gets.map((g) => g.range)).toEqual(['bytes=0-65535', expect.stringMatching(/^bytes=\d+-\d+$/)]);
    expect(bytes).toBeLessThan(66_000 + 1000);
    expect(bytes).toBeLessThan(big.offset + big.storedLength - BIG / 2);
    expect(gets.every((g) => g.status === 206 && g.path === '/bufs/app.buf')).toBe(true);
    const part = await loaded.sectionRange('big', 300_000, 10);
    expect(part[0]).toBe((300_000 * 7 + 1) & 255);
    expect(s3.log.filter((l) => l.method === 'GET').length).toBe(3); // one more GET for the covering chunk
  });

  it('virtual-host-style addressing signs and reads <bucket>.s3.localhost', async () => {
    const endpoint = s3.endpoint.replace('127.0.0.1', 's3.localhost');
    const s = src({ endpoint, addressing: 'virtual', fetch: loopbackFetch });
    expect(s.objectUrl).toMatch(/^http:\/\/bufs\.s3\.localhost:\d+\/app\.buf$/);
    const loaded = await loadBuf(s, opts);
    expect((await loaded.section('main')).length).toBe(3000);
    expect(s3.log.every((l) => l.host.startsWith('bufs.s3.localhost') && l.status === 206)).toBe(true);
    // auto picks path-style for an IP endpoint, virtual-host for a named one
    expect(resolveS3('s3://bufs/k', { endpoint: 'http://127.0.0.1:9000', anonymous: true, env: {} }).url).toBe(
      'http://127.0.0.1:9000/bufs/k',
    );
    expect(resolveS3('s3://bufs/a b/c', { region: 'eu-west-1', anonymous: true, env: {} }).url).toBe(
      'https://bufs.s3.eu-west-1.amazonaws.com/a%20b/c',
    );
  });

  it('wrong credentials are LOADER_S3_ACCESS_DENIED (unknown key, bad secret), no credentials LOADER_S3_CREDENTIALS_MISSING', async () => {
    expect(await code(loadBuf(src({ credentials: { accessKeyId: 'NOPE', secretAccessKey: 'x' } }), opts))).toBe(
      'LOADER_S3_ACCESS_DENIED',
    );
    const e = await loadBuf(
      src({ credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: 'wrong' } }),
      opts,
    ).catch((x: unknown) => x as FaygerError);
    expect(e).toMatchObject({ code: 'LOADER_S3_ACCESS_DENIED', phase: 'read' });
    expect(String((e as FaygerError).message)).toContain('SignatureDoesNotMatch');
    expect(() => new S3Source('s3://bufs/app.buf', { endpoint: s3.endpoint, env: {} })).toThrow(
      expect.objectContaining({ code: 'LOADER_S3_CREDENTIALS_MISSING' }),
    );
  });

  it('credentials and endpoint come from the AWS environment variables, then the profile files (Node)', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_REGION: s3.region,
    };
    const viaEnv = new S3Source('s3://bufs/app.buf', { env });
    expect((await loadBuf(viaEnv, opts)).manifest.id).toBe(manifest().id);
    const home = mkdtempSync(join(tmpdir(), 'fayger-aws-'));
    try {
      writeFileSync(
        join(home, 'credentials'),
        `[default]\naws_access_key_id = nope\n\n[dev]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${s3.secretAccessKey}\n`,
      );
      writeFileSync(
        join(home, 'config'),
        `[profile dev]\nregion = ${s3.region}\ns3 =\n  endpoint_url = ${s3.endpoint}\n  addressing_style = path\n`,
      );
      const penv = {
        AWS_PROFILE: 'dev',
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_CONFIG_FILE: join(home, 'config'),
      };
      expect(nodeS3Options({}, penv)).toMatchObject({
        region: s3.region,
        endpoint: s3.endpoint,
        addressing: 'path',
        credentials: { accessKeyId: s3.accessKeyId },
      });
      const viaProfile = await openSource('s3://bufs/app.buf', { env: penv });
      expect((await loadBuf(viaProfile, opts)).manifest.id).toBe(manifest().id);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a missing key is LOADER_S3_NOT_FOUND', async () => {
    expect(await code(loadBuf(src({}, 'nope.buf'), opts))).toBe('LOADER_S3_NOT_FOUND');
  });

  it('throttling (503 SlowDown) is retried with backoff, then LOADER_HTTP_FAILED naming SlowDown', async () => {
    s3.faults.slowDown = 2;
    expect(await code(loadBuf(src(), opts))).toBe('ok');
    s3.faults.slowDown = 100;
    const e = (await loadBuf(src({ retries: 2 }), opts).catch((x: unknown) => x)) as FaygerError;
    expect(e.code).toBe('LOADER_HTTP_FAILED');
    expect(e.message).toContain('SlowDown');
    expect(s3.log.filter((l) => l.status === 503).length).toBeGreaterThanOrEqual(3);
  });

  it('a replaced object is LOADER_SOURCE_CHANGED (ETag pinned; If-Match sent), a shorter one 416', async () => {
    const loaded = await loadBuf(src(), { ...opts, strategy: 'lazy' });
    await s3.put('app.buf', await makeArtifact(2));
    expect(await code(loaded.section('big'))).toBe('LOADER_SOURCE_CHANGED');
    const get = s3.log.find((l) => l.method === 'GET')!;
    expect(get.ifMatch).toMatch(/^"[0-9a-f]+"$/); // the first response's ETag (real S3 answers 412; s3rver ignores it and the ETag check catches it)
    const again = await loadBuf(src(), { ...opts, strategy: 'lazy' });
    await s3.put('app.buf', new Uint8Array(100));
    expect(await code(again.section('big'))).toBe('LOADER_HTTP_RANGE_NOT_SATISFIABLE');
  });

  it('times out and honours AbortSignal', async () => {
    s3.faults.hang = true;
    expect(await code(loadBuf(src({ timeoutMs: 150, retries: 0 }), opts))).toBe('LOADER_HTTP_TIMEOUT');
    const ac = new AbortController();
    const p = loadBuf(src({ timeoutMs: 5000 }), { ...opts, signal: ac.signal });
    const seen = s3.log.length;
    await new Promise<void>((r) => {
      const t = setInterval(() => s3.log.length > seen && (clearInterval(t), r()), 2);
    });
    ac.abort();
    expect(await code(p)).toBe('ABORTED');
  });

  it('a presigned URL keeps working through HttpRangeSource', async () => {
    const r = resolveS3(`s3://${s3.bucket}/app.buf`, { endpoint: s3.endpoint, credentials: creds(), env: {} });
    const { url } = await signS3Request(
      { url: r.url, region: r.region, credentials: creds() },
      'GET',
      {},
      undefined,
      300,
    );
    expect(url).toContain('X-Amz-Signature=');
    const s = new HttpRangeSource(url);
    const loaded = await loadBuf(s, { ...opts, strategy: 'lazy' });
    expect((await loaded.section('main')).length).toBe(3000);
    expect(s3.log.every((l) => l.status === 206 && l.path.includes('X-Amz-Signature='))).toBe(true);
  });
});

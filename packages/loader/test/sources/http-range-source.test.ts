import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import serveStatic from 'serve-static';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { HttpRangeSource, loadBuf, packBuf } from '../../src/index.js';
import { manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';

// A real static server (serve-static: Range, ETag, Last-Modified, If-Range) behind a fault-injecting proxy.
type Fault =
  | 'none'
  | '503-twice'
  | '503-always'
  | 'full-200'
  | 'bad-content-range'
  | 'short-body'
  | 'long-body'
  | '416'
  | 'hang'
  | 'drop-connection';

let dir: string;
let origin: Server;
let proxy: Server;
let originPort = 0;
let proxyUrl = '';
let fault: Fault = 'none';
let faultCount = 0;
let seen: string[] = [];

const signer = testSigner('alice', 1);
let artifact: Uint8Array;

async function makeArtifact(fill: number): Promise<Uint8Array> {
  return packBuf(
    manifest(),
    [
      { name: 'main', kind: 'code', data: new Uint8Array(3000).fill(fill), required: true },
      { name: 'big', kind: 'data', data: new Uint8Array(20_000).map((_, i) => (i * 7 + fill) & 255), chunkSize: 4096 },
    ],
    { digest: nodeDigest, signers: [signer] },
  );
}

function listen(s: Server): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fayger-http-'));
  artifact = await makeArtifact(1);
  writeFileSync(join(dir, 'app.buf'), artifact);
  const serve = serveStatic(dir, { etag: true, lastModified: true, acceptRanges: true });
  origin = createServer((req, res) => serve(req as never, res as never, () => ((res.statusCode = 404), res.end())));
  originPort = await listen(origin);
  proxy = createServer((req, res) => {
    seen.push(`${req.headers.range ?? '-'} ${req.headers['if-range'] ?? '-'}`);
    faultCount++;
    if (fault === '503-always' || (fault === '503-twice' && faultCount <= 2)) {
      res.writeHead(503).end('busy');
      return;
    }
    if (fault === '416') {
      res.writeHead(416, { 'content-range': 'bytes */10' }).end();
      return;
    }
    if (fault === 'hang') return; // never answers
    if (fault === 'drop-connection') {
      req.socket.destroy();
      return;
    }
    const headers = { ...req.headers };
    if (fault === 'full-200') {
      delete headers.range;
      delete headers['if-range'];
    }
    const up = request({ host: '127.0.0.1', port: originPort, path: req.url, method: req.method, headers }, (ur) => {
      const chunks: Buffer[] = [];
      ur.on('data', (c: Buffer) => chunks.push(c));
      ur.on('end', () => {
        let body = Buffer.concat(chunks);
        const out = { ...ur.headers };
        if (fault === 'bad-content-range' && out['content-range']) {
          out['content-range'] = out['content-range'].replace(/bytes (\d+)-/, (_, a) => `bytes ${Number(a) + 1}-`);
        }
        if (fault === 'short-body' && ur.statusCode === 206 && !seenProbe()) body = body.subarray(0, body.length - 1);
        if (fault === 'long-body' && ur.statusCode === 206 && !seenProbe())
          body = Buffer.concat([body, Buffer.from([0])]);
        out['content-length'] = String(body.length);
        res.writeHead(ur.statusCode ?? 502, out);
        res.end(body);
      });
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}/app.buf`;
});

// Body faults apply after the probe so the artifact can still be opened.
const seenProbe = () => faultCount <= 1;

afterAll(async () => {
  proxy.closeAllConnections();
  origin.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  await new Promise((r) => origin.close(r));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fault = 'none';
  faultCount = 0;
  seen = [];
  writeFileSync(join(dir, 'app.buf'), artifact);
});

const opts = {
  digest: nodeDigest,
  trust: testVerifier([signer]),
  profile: { host: 'server' as const },
  supportedInterfaceVersions: ['1.0.0'],
};
const src = (o: ConstructorParameters<typeof HttpRangeSource>[1] = {}) =>
  new HttpRangeSource(proxyUrl, { probeBytes: 512, backoffMs: 5, maxBackoffMs: 20, timeoutMs: 2000, ...o });

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!FaygerError.is(e)) throw e;
    return e.code;
  }
}

describe('HttpRangeSource against serve-static', () => {
  it('loads lazily with Range requests and If-Range, and verifies chunked partial reads', async () => {
    const s = src();
    const loaded = await loadBuf(s, { ...opts, strategy: 'lazy' });
    const main = await loaded.section('main');
    expect(main.length).toBe(3000);
    const part = await loaded.sectionRange('big', 5000, 100);
    expect([...part.subarray(0, 3)]).toEqual([(5000 * 7 + 1) & 255, (5001 * 7 + 1) & 255, (5002 * 7 + 1) & 255]);
    expect(seen[0]).toMatch(/^bytes=0-511 -$/);
    expect(seen.slice(1).every((l) => / (W\/)?".+"$|GMT$/.test(l))).toBe(true); // If-Range on every later read
    expect(s.requests).toBeLessThan(8);
  });

  it('calls the global fetch with the global object as `this`, as browsers require', async () => {
    const realFetch = globalThis.fetch;
    // A browser-like fetch: "Illegal invocation" unless called on the global object.
    globalThis.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== globalThis && this !== undefined) throw new TypeError('Illegal invocation');
      return realFetch(input, init);
    } as typeof fetch;
    try {
      const loaded = await loadBuf(new HttpRangeSource(proxyUrl, { retries: 0 }), { ...opts, strategy: 'lazy' });
      expect((await loaded.section('main')).length).toBe(3000);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('retries 5xx with backoff, then gives up with LOADER_HTTP_FAILED', async () => {
    fault = '503-twice';
    expect(await code(loadBuf(src(), opts))).toBe('ok');
    fault = '503-always';
    faultCount = 0;
    expect(await code(loadBuf(src({ retries: 2 }), opts))).toBe('LOADER_HTTP_FAILED');
    expect(faultCount).toBe(3);
  });

  it('retries dropped connections', async () => {
    fault = 'drop-connection';
    expect(await code(loadBuf(src({ retries: 1 }), opts))).toBe('LOADER_HTTP_FAILED');
  });

  it('falls back to a capped whole body when the server answers 200', async () => {
    fault = 'full-200';
    const s = src();
    const loaded = await loadBuf(s, opts);
    expect((await loaded.section('big')).length).toBe(20_000);
    expect(s.requests).toBe(1);
    expect(await code(loadBuf(src({ maxFallbackBytes: 1000 }), opts))).toBe('LOADER_HTTP_RANGE_UNSUPPORTED');
  });

  it('rejects a wrong Content-Range, 416, short and long bodies', async () => {
    fault = 'bad-content-range';
    expect(await code(loadBuf(src(), opts))).toBe('LOADER_HTTP_BAD_CONTENT_RANGE');
    fault = '416';
    expect(await code(loadBuf(src(), opts))).toBe('LOADER_HTTP_RANGE_NOT_SATISFIABLE');
    for (const f of ['short-body', 'long-body'] as const) {
      fault = f;
      faultCount = 0;
      expect(await code(loadBuf(src(), opts))).toBe('LOADER_SOURCE_SHORT_READ');
    }
  });

  it('a file replaced between reads is LOADER_SOURCE_CHANGED, never a mix', async () => {
    const loaded = await loadBuf(src(), { ...opts, strategy: 'lazy' });
    const other = await makeArtifact(2);
    await new Promise((r) => setTimeout(r, 20)); // a different mtime, so a different validator
    writeFileSync(join(dir, 'next.buf'), other);
    renameSync(join(dir, 'next.buf'), join(dir, 'app.buf'));
    expect(await code(loaded.section('big'))).toBe('LOADER_SOURCE_CHANGED');
  });

  it('times out and honours AbortSignal', async () => {
    fault = 'hang';
    expect(await code(loadBuf(src({ timeoutMs: 150, retries: 0 }), opts))).toBe('LOADER_HTTP_TIMEOUT');
    const ac = new AbortController();
    const p = loadBuf(src({ timeoutMs: 5000 }), { ...opts, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect(await code(p)).toBe('ABORTED');
  });
});

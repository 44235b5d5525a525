/// <reference path="./s3rver.d.ts" />
// Loopback servers for the loader's source tests, its bench and the CLI end-to-end tests. Everything listens
// on 127.0.0.1 and is started (and stopped) by the test that uses it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CarReader } from '@ipld/car';
import { AwsV4Signer } from 'aws4fetch';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { CID } from 'multiformats/cid';
import S3rver from 's3rver';

function listen(s: Server): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}

async function closeServer(s: Server): Promise<void> {
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, PUT, POST, OPTIONS',
  // Explicit: a `*` wildcard does not cover Authorization.
  'access-control-allow-headers':
    'authorization, range, if-match, if-range, x-amz-date, x-amz-content-sha256, x-amz-security-token, x-amz-user-agent, content-type, accept',
  'access-control-expose-headers': 'ETag, Content-Range, Content-Length, Last-Modified, x-amz-request-id',
  'access-control-max-age': '600',
};

// ---------------------------------------------------------------------------------------------------------
// S3: s3rver (a real S3-compatible server, npm) behind a proxy that checks SigV4 (s3rver does not) and injects
// throttling. The proxy is what clients talk to.

export interface S3Fixture {
  /** The proxy (SigV4 checked, faults injected): use this as the S3 endpoint. */
  endpoint: string;
  /** s3rver itself (no signature check, no faults). */
  directEndpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Stores an object (signed PUT through the proxy). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Every request the proxy saw: method, path, Range, status, and response body bytes. */
  log: {
    method: string;
    host: string;
    path: string;
    range: string | undefined;
    ifMatch: string | undefined;
    status: number;
    bytes: number;
  }[];
  faults: { slowDown: number; hang: boolean };
  close(): Promise<void>;
}

const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

/** Recomputes the SigV4 signature of an Authorization-header request with the known secret; undefined when it matches. */
async function sigV4Problem(
  req: IncomingMessage,
  secrets: Record<string, string>,
): Promise<{ code: string; message: string } | undefined> {
  const auth = req.headers.authorization;
  if (!auth) return undefined; // anonymous or presigned (query) requests pass through to s3rver
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      auth,
    );
  if (!m) return { code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed.' };
  const [, key, , region, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string];
  const secret = secrets[key];
  if (secret === undefined)
    return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  const headers: Record<string, string> = {};
  for (const h of signedHeaders.split(';')) if (h !== 'host') headers[h] = String(req.headers[h] ?? '');
  const signer = new AwsV4Signer({
    method: req.method ?? 'GET',
    url: `http://${req.headers.host}${req.url}`,
    headers,
    accessKeyId: key,
    secretAccessKey: secret,
    service: 's3',
    region,
    datetime: String(req.headers['x-amz-date'] ?? ''),
    allHeaders: true,
  });
  const expected = await signer.signature();
  if (expected !== signature) {
    return {
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }
  return undefined;
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', ...CORS });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>test</RequestId></Error>`,
  );
}

export async function startS3(options: { bucket?: string; region?: string } = {}): Promise<S3Fixture> {
  const bucket = options.bucket ?? 'bufs';
  const region = options.region ?? 'us-east-1';
  const dir = mkdtempSync(join(tmpdir(), 'fayger-s3rver-'));
  // serviceEndpoint 'localhost': virtual-host requests are <bucket>.s3.localhost:<port>.
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: dir,
    silent: true,
    serviceEndpoint: 'localhost',
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port: s3port } = (await s3.run()) as AddressInfo;
  const faults = { slowDown: 0, hang: false };
  const log: S3Fixture['log'] = [];
  const proxy = createServer((req, res) => {
    void (async () => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
        return;
      }
      const entry = {
        method: req.method ?? 'GET',
        host: String(req.headers.host),
        path: req.url ?? '/',
        range: req.headers.range,
        ifMatch: req.headers['if-match'],
        status: 0,
        bytes: 0,
      };
      log.push(entry);
      if (faults.hang) return;
      const problem = await sigV4Problem(req, { [ACCESS_KEY]: SECRET_KEY });
      if (problem) {
        entry.status = 403;
        return s3Error(res, 403, problem.code, problem.message);
      }
      if (faults.slowDown > 0 && req.method === 'GET') {
        faults.slowDown--;
        entry.status = 503;
        return s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
      }
      const body = await readAll(req);
      const up = request(
        { host: '127.0.0.1', port: s3port, path: req.url, method: req.method, headers: req.headers },
        (ur) => {
          entry.status = ur.statusCode ?? 502;
          res.writeHead(entry.status, { ...ur.headers, ...CORS });
          ur.on('data', (c: Buffer) => (entry.bytes += c.length));
          ur.pipe(res);
        },
      );
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    })();
  });
  const port = await listen(proxy);
  const endpoint = `http://127.0.0.1:${port}`;
  const fixture: S3Fixture = {
    endpoint,
    directEndpoint: `http://127.0.0.1:${s3port}`,
    bucket,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET_KEY,
    region,
    log,
    faults,
    async put(key, bytes) {
      const url = `${endpoint}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const signed = await new AwsV4Signer({
        method: 'PUT',
        url,
        body: bytes as unknown as BodyInit,
        accessKeyId: ACCESS_KEY,
        secretAccessKey: SECRET_KEY,
        service: 's3',
        region,
      }).sign();
      const r = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes as unknown as BodyInit });
      if (r.status !== 200) throw new Error(`PUT ${key}: HTTP ${r.status} ${await r.text()}`);
      log.length = 0;
    },
    async close() {
      await closeServer(proxy);
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/**
 * A fetch that sends every request to 127.0.0.1 (at the URL's port) while keeping the URL's Host header — for
 * virtual-host-style URLs such as http://bufs.s3.localhost:PORT/key, which Node's resolver does not map to
 * loopback (Chromium does).
 */
export const loopbackFetch: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => (headers[k] = v));
  headers.host = url.host;
  const body = req.body ? new Uint8Array(await req.arrayBuffer()) : undefined;
  return new Promise<Response>((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: Number(url.port || 80),
        path: url.pathname + url.search,
        method: req.method,
        headers,
        signal: req.signal,
      },
      (res) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            res.on('data', (d: Buffer) => c.enqueue(new Uint8Array(d)));
            res.on('end', () => c.close());
            res.on('error', (e) => c.error(e));
          },
          cancel() {
            res.destroy();
          },
        });
        const nullBody = res.statusCode === 204 || res.statusCode === 304;
        resolve(new Response(nullBody ? null : stream, { status: res.statusCode ?? 500, headers: h }));
      },
    );
    r.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
    r.end(body);
  });
};

// ---------------------------------------------------------------------------------------------------------
// IPFS: real UnixFS content built by ipfs-unixfs-importer, served by a tiny trustless gateway.

export type BlockMap = Map<string, Uint8Array>;

export interface ImportOptions {
  /** Leaf size (fixed-size chunker; default 256 KiB like Kubo). */
  chunkSize?: number;
  /** Children per internal node (balanced layout; default 174 like Kubo). Small values build deeper DAGs. */
  maxChildrenPerNode?: number;
  /** Raw leaves (CIDv1 default) or dag-pb leaves. */
  rawLeaves?: boolean;
  cidVersion?: 0 | 1;
  /** Also wrap the file in a directory under this name (ipfs add -w). */
  wrapAs?: string;
}

/** Imports bytes as a UnixFS file (ipfs-unixfs-importer) into `blocks`; returns the file CID (and the wrapping directory's). */
export async function importUnixfs(
  bytes: Uint8Array,
  blocks: BlockMap = new Map(),
  o: ImportOptions = {},
): Promise<{ cid: CID; dir?: CID; blocks: BlockMap }> {
  const store = {
    put(cid: CID, b: Uint8Array) {
      blocks.set(cid.toString(), b);
      return cid;
    },
  };
  const source = o.wrapAs ? [{ path: o.wrapAs, content: bytes }] : [{ content: bytes }];
  let cid: CID | undefined;
  let dir: CID | undefined;
  for await (const entry of importer(source, store as never, {
    cidVersion: o.cidVersion ?? 1,
    rawLeaves: o.rawLeaves ?? true,
    chunker: fixedSize({ chunkSize: o.chunkSize ?? 262_144 }),
    layout: balanced({ maxChildrenPerNode: o.maxChildrenPerNode ?? 174 }),
    wrapWithDirectory: Boolean(o.wrapAs),
  })) {
    if (o.wrapAs && entry.path === o.wrapAs) cid = entry.cid as unknown as CID;
    else if (o.wrapAs) dir = entry.cid as unknown as CID;
    else cid = entry.cid as unknown as CID;
  }
  return { cid: cid!, ...(dir ? { dir } : {}), blocks };
}

export interface GatewayFixture {
  /** Base URL: blocks at `${url}/ipfs/<cid>?format=raw`; Kubo-style `${url}/api/v0/dag/import`. */
  url: string;
  blocks: BlockMap;
  /** CIDs requested, in order. */
  requested: string[];
  bytesServed: number;
  faults: {
    /** Serve these blocks with one byte flipped. */
    corrupt: Set<string>;
    /** Answer 404 for these. */
    missing: Set<string>;
    /** Serve the block of another CID instead (cid -> other cid). */
    swap: Map<string, string>;
    /** 503 for the next n requests. */
    unavailable: number;
  };
  close(): Promise<void>;
}

/** Finds the first part of a multipart/form-data body (enough for Kubo's dag/import with one file). */
function firstPart(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body;
  const b = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = body.indexOf(b);
  const headerEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), b]), headerEnd);
  return body.subarray(headerEnd + 4, end);
}

/**
 * A trustless gateway (IPFS HTTP Gateway spec subset): `GET /ipfs/<cid>?format=raw` or with
 * `Accept: application/vnd.ipld.raw` answers the raw block; plus `POST /api/v0/dag/import` (Kubo RPC: a CAR in
 * multipart/form-data) to add blocks. CORS open, for browser tests.
 */
export async function startGateway(blocks: BlockMap = new Map()): Promise<GatewayFixture> {
  const faults: GatewayFixture['faults'] = { corrupt: new Set(), missing: new Set(), swap: new Map(), unavailable: 0 };
  const fixture = { blocks, requested: [] as string[], bytesServed: 0, faults } as GatewayFixture;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'OPTIONS') return res.writeHead(204, CORS).end();
      if (req.method === 'POST' && url.pathname === '/api/v0/dag/import') {
        const car = await CarReader.fromBytes(firstPart(await readAll(req), String(req.headers['content-type'] ?? '')));
        for await (const { cid, bytes } of car.blocks()) blocks.set(cid.toString(), bytes);
        const roots = await car.getRoots();
        res.writeHead(200, { 'content-type': 'application/json', ...CORS });
        return res.end(
          roots.map((r) => JSON.stringify({ Root: { Cid: { '/': r.toString() }, PinErrorMsg: '' } })).join('\n') + '\n',
        );
      }
      const m = /^\/ipfs\/([^/]+)$/.exec(url.pathname);
      const wantsRaw =
        url.searchParams.get('format') === 'raw' ||
        String(req.headers.accept ?? '').includes('application/vnd.ipld.raw');
      if (req.method !== 'GET' || !m) return res.writeHead(404, CORS).end('not found');
      if (!wantsRaw) return res.writeHead(406, CORS).end('only ?format=raw (trustless) here');
      let key: string;
      try {
        key = CID.parse(m[1]!).toString();
      } catch {
        return res.writeHead(400, CORS).end('bad cid');
      }
      fixture.requested.push(key);
      if (faults.unavailable > 0) {
        faults.unavailable--;
        return res.writeHead(503, CORS).end('busy');
      }
      let block = faults.missing.has(key) ? undefined : blocks.get(faults.swap.get(key) ?? key);
      if (!block) return res.writeHead(404, CORS).end('block not found');
      if (faults.corrupt.has(key)) {
        block = new Uint8Array(block);
        block[block.length >> 1] ^= 0xff;
      }
      fixture.bytesServed += block.length;
      res.writeHead(200, {
        'content-type': 'application/vnd.ipld.raw',
        'content-length': String(block.length),
        'x-content-type-options': 'nosniff',
        ...CORS,
      });
      res.end(block);
    })().catch((e: unknown) => {
      res.writeHead(500, CORS).end(String(e));
    });
  });
  const port = await listen(server);
  fixture.url = `http://127.0.0.1:${port}`;
  fixture.close = () => closeServer(server);
  return fixture;
}

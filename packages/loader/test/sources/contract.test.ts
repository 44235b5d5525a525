// The shared source contract, run against every built-in source (each against a real backend on loopback).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import serveStatic from 'serve-static';
import { afterAll, beforeAll } from 'vitest';
import { importUnixfs, startGateway, startS3, type GatewayFixture, type S3Fixture } from '@fayger/test-servers';
import type { BufSource } from '@fayger/contracts';
import { HttpRangeSource, IpfsSource, MemorySource, S3Source } from '../../src/index.js';
import { FileSource } from '../../src/node.js';
import { sourceContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'fayger-contract-'));
let http: Server;
let httpUrl = '';
let s3: S3Fixture;
let gateway: GatewayFixture;

beforeAll(async () => {
  const serve = serveStatic(dir, { etag: true, lastModified: true, acceptRanges: true });
  http = createServer((req, res) => serve(req as never, res as never, () => ((res.statusCode = 404), res.end())));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  s3 = await startS3();
  gateway = await startGateway();
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((r) => http.close(r));
  await s3.close();
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

const fast = { backoffMs: 5, maxBackoffMs: 20, timeoutMs: 5000 };

sourceContract('MemorySource', () => ({
  open: async (bytes, name) => new MemorySource(bytes, name),
  describes: (name) => name,
}));

sourceContract('FileSource', () => ({
  async open(bytes, name) {
    writeFileSync(join(dir, name), bytes);
    return FileSource.open(join(dir, name));
  },
  describes: (name) => name,
  close: (s: BufSource) => (s as FileSource).close(),
}));

sourceContract('HttpRangeSource', () => ({
  async open(bytes, name) {
    writeFileSync(join(dir, name), bytes);
    return new HttpRangeSource(`${httpUrl}/${name}`, fast);
  },
  describes: (name) => name,
}));

sourceContract('S3Source (s3rver)', () => ({
  async open(bytes, name) {
    await s3.put(`apps/${name}`, bytes);
    return new S3Source(`s3://${s3.bucket}/apps/${name}`, {
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      ...fast,
    });
  },
  describes: (name) => `s3://bufs/apps/${name}`,
}));

sourceContract('IpfsSource (trustless gateway)', () => ({
  async open(bytes) {
    // Small leaves and fan-out so even these test artifacts span several levels of the DAG.
    const { cid } = await importUnixfs(bytes, gateway.blocks, { chunkSize: 16_384, maxChildrenPerNode: 8 });
    return new IpfsSource(`ipfs://${cid}`, { gateways: [gateway.url], ...fast });
  },
  describes: () => /^ipfs:\/\/bafy/,
}));

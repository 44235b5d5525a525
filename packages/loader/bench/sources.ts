// Lazy-open figures per source scheme: bytes, requests and IPFS blocks fetched to open a signed BuF lazily
// (header + manifest + index + signature) and to read one 4 KiB range of a large section, from a file, HTTP
// Range, S3 (s3rver on loopback behind the SigV4-checking proxy) and IPFS (a trustless gateway on loopback over
// UnixFS blocks built by ipfs-unixfs-importer with Kubo's defaults).
// Run: pnpm --filter @fayger/loader bench:sources. Writes bench-results/sources.json.
// Size: FAYGER_BENCH_SOURCES_MIB (default 64), sections FAYGER_BENCH_SOURCES_SECTIONS (default 64), runs FAYGER_BENCH_SOURCES_RUNS (5).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BufSource, Manifest } from '@fayger/contracts';
import { createEd25519Signer, createTrustVerifier } from '@fayger/security';
import { nodeDigestProvider, nodeEd25519Backend } from '@fayger/security/node';
import { importUnixfs, startGateway, startS3 } from '@fayger/test-servers';
import { HttpRangeSource, IpfsSource, S3Source, TrustlessGateway, loadBuf, packBuf } from '../src/index.js';
import { FileSource } from '../src/node.js';

const MiB = 1024 * 1024;
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const SIZE_MIB = env('FAYGER_BENCH_SOURCES_MIB', 64);
const SECTIONS = env('FAYGER_BENCH_SOURCES_SECTIONS', 64);
const RUNS = env('FAYGER_BENCH_SOURCES_RUNS', 5);

const digest = nodeDigestProvider;
const signer = createEd25519Signer(new Uint8Array(32).fill(3), { backend: nodeEd25519Backend });
const trust = createTrustVerifier({
  roots: {
    version: 1,
    keys: [
      {
        id: signer.keyId,
        algorithm: 'ed25519',
        publicKey: Buffer.from(signer.publicKey).toString('hex'),
        publishers: ['*'],
      },
    ],
  },
  policy: { threshold: 1, allowRollback: true },
  ed25519: nodeEd25519Backend,
});
const manifest: Manifest = {
  id: 'bench.sources',
  version: '1.0.0',
  publisher: 'bench',
  runtime: { interface: '^1.0.0' },
  entry: { section: 's0', export: '_start' },
  capabilities: [],
  quotas: {},
  security: { sequence: 1 },
};
const loadOpts = {
  digest,
  trust,
  profile: { host: 'server' },
  supportedInterfaceVersions: ['1.0.0'],
  strategy: 'lazy' as const,
};

class Counting implements BufSource {
  bytes = 0;
  reads = 0;
  constructor(readonly inner: BufSource) {}
  size(s?: AbortSignal) {
    return this.inner.size(s);
  }
  read(o: number, l: number, s?: AbortSignal) {
    this.bytes += l;
    this.reads++;
    return this.inner.read(o, l, s);
  }
  describe() {
    return this.inner.describe();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const per = Math.floor((SIZE_MIB * MiB) / SECTIONS);
const sections = Array.from({ length: SECTIONS }, (_, i) => ({
  name: `s${i}`,
  kind: (i === 0 ? 'code' : 'data') as 'code' | 'data',
  data: new Uint8Array(per).map((_, j) => ((j + 1) * (i + 7) * 2654435761) >>> 13),
  ...(i === 0 ? { required: true } : { chunkSize: 65_536 }),
}));
const t0 = performance.now();
const bytes = await packBuf(manifest, sections, { digest, signers: [signer] });
console.log(
  `artifact: ${bytes.length} bytes, ${SECTIONS} sections (${(performance.now() - t0).toFixed(0)} ms to pack)`,
);

const dir = mkdtempSync(join(tmpdir(), 'fayger-bench-sources-'));
const file = join(dir, 'app.buf');
writeFileSync(file, bytes);
const s3 = await startS3();
await s3.put('app.buf', bytes);
const gw = await startGateway();
const { cid, blocks } = await importUnixfs(bytes, gw.blocks); // Kubo defaults: 256 KiB raw leaves, 174 links per node
console.log(`ipfs: ${cid} (${blocks.size} blocks)`);

interface Figures {
  scheme: string;
  ref: string;
  open: {
    medianMs: number;
    loaderReads: number;
    loaderBytes: number;
    requests: number;
    wireBytes: number;
    blocks?: number;
  };
  range4k: { requests: number; wireBytes: number; blocks?: number };
}

const wire = { s3: () => s3.log.reduce((n, l) => n + l.bytes, 0), ipfs: () => gw.bytesServed };

async function measure(
  scheme: string,
  ref: string,
  make: () => Promise<{
    source: BufSource;
    requests: () => number;
    wire: () => number;
    blocks?: () => number;
    close?: () => Promise<void>;
  }>,
): Promise<Figures> {
  const times: number[] = [];
  let fig: Figures | undefined;
  for (let r = 0; r < RUNS; r++) {
    s3.log.length = 0;
    gw.bytesServed = 0;
    gw.requested.length = 0;
    const m = await make();
    const c = new Counting(m.source);
    const t = performance.now();
    const loaded = await loadBuf(c, loadOpts);
    times.push(performance.now() - t);
    const open = {
      loaderReads: c.reads,
      loaderBytes: c.bytes,
      requests: m.requests(),
      wireBytes: m.wire(),
      ...(m.blocks ? { blocks: m.blocks() } : {}),
    };
    await loaded.sectionRange(`s${SECTIONS >> 1}`, per >> 1, 4096);
    const range4k = {
      requests: m.requests() - open.requests,
      wireBytes: m.wire() - open.wireBytes,
      ...(m.blocks ? { blocks: m.blocks() - open.blocks! } : {}),
    };
    fig = { scheme, ref, open: { medianMs: 0, ...open }, range4k };
    await m.close?.();
  }
  fig!.open.medianMs = Number(median(times).toFixed(2));
  console.log(scheme.padEnd(6), JSON.stringify(fig));
  return fig!;
}

const results: Figures[] = [];
results.push(
  await measure('file', file, async () => {
    const s = await FileSource.open(file);
    const c = new Counting(s);
    return { source: c, requests: () => c.reads, wire: () => c.bytes, close: () => s.close() };
  }),
);
const httpUrl = `${s3.directEndpoint}/bufs/app.buf`;
results.push(
  await measure('http', httpUrl, async () => {
    let n = 0;
    const f: typeof fetch = async (i, init) => {
      const r = await fetch(i, init);
      n += Number(r.headers.get('content-length') ?? 0);
      return r;
    };
    const h = new HttpRangeSource(httpUrl, { fetch: f });
    return { source: h, requests: () => h.requests, wire: () => n };
  }),
);
results.push(
  await measure('s3', 's3://bufs/app.buf', async () => {
    const s = new S3Source('s3://bufs/app.buf', {
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      env: {},
    });
    return { source: s, requests: () => s3.log.length, wire: wire.s3 };
  }),
);
results.push(
  await measure('ipfs', `ipfs://${cid}`, async () => {
    const g = new TrustlessGateway(gw.url);
    const s = new IpfsSource(`ipfs://${cid}`, { blocks: g });
    return { source: s, requests: () => g.requests, wire: wire.ipfs, blocks: () => s.blocksFetched };
  }),
);

await s3.close();
await gw.close();
rmSync(dir, { recursive: true, force: true });
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/sources.json',
  JSON.stringify(
    {
      started: new Date(Date.now() - performance.now()).toISOString(),
      node: process.version,
      config: { SIZE_MIB, SECTIONS, RUNS, artifactBytes: bytes.length, ipfsBlocks: blocks.size },
      results,
    },
    null,
    2,
  ),
);
console.log('wrote bench-results/sources.json');

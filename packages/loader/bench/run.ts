// Loader benchmarks. Run: pnpm --filter @fayger/loader bench. Writes bench-results/loader.json.
// Sizes: FAYGER_BENCH_BIG_MIB (default 1024), FAYGER_BENCH_SMALL_MIB (10), FAYGER_BENCH_SECTIONS (10000),
// FAYGER_BENCH_EAGER_MIB (256), FAYGER_BENCH_INDEX_ENTRIES (100000).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BufSource, Manifest } from '@fayger/contracts';
import { createEd25519Signer, createTrustVerifier } from '@fayger/security';
import { nodeDigestProvider, nodeEd25519Backend } from '@fayger/security/node';
import { MemorySource, loadBuf, packBuf } from '../src/index.js';
import { FileSource } from '../src/node.js';
import { DIGEST_LENGTH, HEADER_LENGTH, align } from '../src/format/constants.js';
import { encodeHeader } from '../src/format/header.js';
import { decodeIndex, encodeIndex, type IndexEntry } from '../src/format/index-codec.js';
import { encodeManifest } from '../src/format/manifest-codec.js';
import { computeRootDigest } from '../src/format/root-digest.js';
import { encodeSignatureSection, signatureSectionLength } from '../src/format/signature-section.js';

const MiB = 1024 * 1024;
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const BIG_MIB = env('FAYGER_BENCH_BIG_MIB', 1024);
const SMALL_MIB = env('FAYGER_BENCH_SMALL_MIB', 10);
const SECTIONS = env('FAYGER_BENCH_SECTIONS', 10_000);
const EAGER_MIB = env('FAYGER_BENCH_EAGER_MIB', 256);
const INDEX_ENTRIES = env('FAYGER_BENCH_INDEX_ENTRIES', 100_000);

const digest = nodeDigestProvider;
const signer = createEd25519Signer(new Uint8Array(32).fill(1), { backend: nodeEd25519Backend });
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
  id: 'bench.app',
  version: '1.0.0',
  publisher: 'bench',
  runtime: { interface: '^1.0.0' },
  entry: { section: 's0', export: '_start' },
  capabilities: [],
  quotas: {},
  security: { sequence: 1 },
};
const loadOpts = { digest, trust, profile: { host: 'server' }, supportedInterfaceVersions: ['1.0.0'] };

class CountingSource implements BufSource {
  bytes = 0;
  reads = 0;
  constructor(private readonly inner: BufSource) {}
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Writes a signed artifact of `sections` zero-filled sections totalling ~`bodyBytes` as a sparse file:
 * metadata and signature are written, the bodies are holes (zeros), whose digest is computed once.
 */
async function writeSparseArtifact(path: string, bodyBytes: number, sections: number) {
  const per = Math.floor(bodyBytes / sections);
  const zeroDigest = new Uint8Array(createHash('sha256').update(new Uint8Array(per)).digest());
  const entries: IndexEntry[] = [];
  for (let i = 0; i < sections; i++) {
    entries.push({
      id: i + 1,
      kind: i === 0 ? 'code' : 'data',
      name: `s${i}`,
      required: false,
      hosts: [],
      features: [],
      locales: [],
      priority: 0,
      dependsOn: [],
      offset: 0,
      storedLength: per,
      rawLength: per,
      digest: zeroDigest,
      chunkSize: 0,
      flags: 0,
      compression: 0,
      chunkDigests: new Uint8Array(0),
    });
  }
  const sigLen = signatureSectionLength([signer.keyId]);
  entries.push({
    id: sections + 1,
    kind: 'signature',
    name: '$signature',
    required: false,
    hosts: [],
    features: [],
    locales: [],
    priority: 0,
    dependsOn: [],
    offset: 0,
    storedLength: sigLen,
    rawLength: sigLen,
    digest: new Uint8Array(DIGEST_LENGTH),
    chunkSize: 0,
    flags: 0,
    compression: 0,
    chunkDigests: new Uint8Array(0),
  });
  const m = encodeManifest(manifest);
  const A = 8;
  const indexOffset = align(HEADER_LENGTH + m.length, A);
  let end = indexOffset + encodeIndex(entries).length;
  for (const e of entries) {
    e.offset = align(end, A);
    end = e.offset + e.storedLength;
  }
  const index = encodeIndex(entries);
  const header = encodeHeader({
    formatMajor: 1,
    formatMinor: 0,
    criticalFlags: 0,
    optionalFlags: 0,
    alignment: A,
    totalLength: end,
    manifestOffset: HEADER_LENGTH,
    manifestLength: m.length,
    indexOffset,
    indexLength: index.length,
    headerLength: HEADER_LENGTH,
  });
  const root = await computeRootDigest(digest, header, m, index);
  const sig = encodeSignatureSection({
    rootDigest: root,
    signatures: [{ keyId: signer.keyId, algorithm: 'ed25519', signature: await signer.sign(root) }],
  });
  const fh = await open(path, 'w');
  try {
    await fh.write(header, 0, header.length, 0);
    await fh.write(m, 0, m.length, HEADER_LENGTH);
    await fh.write(index, 0, index.length, indexOffset);
    await fh.truncate(end);
    await fh.write(sig, 0, sig.length, entries.at(-1)!.offset);
  } finally {
    await fh.close();
  }
  return { totalLength: end, metadataBytes: indexOffset + index.length, signatureBytes: sig.length, perSection: per };
}

async function lazyOpen(path: string, runs: number) {
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let reads = 0;
  for (let r = 0; r < runs; r++) {
    const fs = await FileSource.open(path);
    const src = new CountingSource(fs);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const loaded = await loadBuf(src, { ...loadOpts, strategy: 'lazy' });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    bytes = src.bytes;
    reads = src.reads;
    if (r === 0) {
      // Sanity: a few sections read and verify.
      for (const name of ['s0', `s${SECTIONS - 1}`]) await loaded.section(name);
    }
    await fs.close();
  }
  return { medianMs: median(times), minMs: Math.min(...times), cpuMs: median(cpu), bytesRead: bytes, reads };
}

function freeBytes(dir: string): number {
  const out = execFileSync('df', ['-Pk', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!.split(/\s+/);
  return Number(out[3]) * 1024;
}

async function benchLazy() {
  const dir = mkdtempSync(join(tmpdir(), 'fayger-bench-'));
  try {
    const need = (BIG_MIB + SMALL_MIB) * MiB;
    const free = freeBytes(dir);
    if (free < need * 1.2)
      throw new Error(`not enough disk in ${dir}: ${free} free, ${need} needed (set FAYGER_BENCH_BIG_MIB)`);
    const big = join(dir, 'big.buf');
    const small = join(dir, 'small.buf');
    const bigInfo = await writeSparseArtifact(big, BIG_MIB * MiB, SECTIONS);
    const smallInfo = await writeSparseArtifact(small, SMALL_MIB * MiB, SECTIONS);
    await lazyOpen(small, 2); // warm-up
    // Interleaved rounds so machine-load drift hits both sizes alike; the medians are compared.
    const rounds = {
      big: [] as Awaited<ReturnType<typeof lazyOpen>>[],
      small: [] as Awaited<ReturnType<typeof lazyOpen>>[],
    };
    for (let r = 0; r < 7; r++) {
      rounds.big.push(await lazyOpen(big, 1));
      rounds.small.push(await lazyOpen(small, 1));
    }
    const summarize = (xs: Awaited<ReturnType<typeof lazyOpen>>[]) => ({
      medianMs: median(xs.map((x) => x.medianMs)),
      minMs: Math.min(...xs.map((x) => x.minMs)),
      cpuMedianMs: median(xs.map((x) => x.cpuMs)),
      bytesRead: xs[0]!.bytesRead,
      reads: xs[0]!.reads,
    });
    const bigR = summarize(rounds.big);
    const smallR = summarize(rounds.small);
    const meta = (i: typeof bigInfo) => i.metadataBytes + i.signatureBytes;
    return {
      sections: SECTIONS,
      big: { totalBytes: bigInfo.totalLength, headerManifestIndexSignatureBytes: meta(bigInfo), ...bigR },
      small: { totalBytes: smallInfo.totalLength, headerManifestIndexSignatureBytes: meta(smallInfo), ...smallR },
      bytesReadWithinMetadata: bigR.bytesRead <= meta(bigInfo) + 16 && smallR.bytesRead <= meta(smallInfo) + 16,
      timeRatioBigOverSmall: bigR.medianMs / smallR.medianMs,
      cpuRatioBigOverSmall: bigR.cpuMedianMs / smallR.cpuMedianMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchEager() {
  const sections = 64;
  const per = Math.floor((EAGER_MIB * MiB) / sections);
  const data: Uint8Array[] = [];
  for (let i = 0; i < sections; i++) {
    const b = new Uint8Array(per);
    for (let k = 0; k < per; k += 4096) b[k] = (i + k) & 255;
    data.push(b);
  }
  const bytes = await packBuf(
    manifest,
    data.map((d, i) => ({ name: `s${i}`, kind: i ? 'data' : 'code', data: d })),
    { digest, signers: [signer] },
  );
  const total = data.reduce((n, d) => n + d.length, 0);
  const loaderMs: number[] = [];
  const rawMs: number[] = [];
  // CPU time of this process too: on a shared machine it is far less disturbed by other processes than wall time.
  const loaderCpu: number[] = [];
  const rawCpu: number[] = [];
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let r = 0; r < 7; r++) {
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    const loaded = await loadBuf(new MemorySource(bytes), { ...loadOpts, strategy: 'eager' });
    loaderMs.push(performance.now() - t0);
    loaderCpu.push(cpuMs(process.cpuUsage(c0)));
    if (loaded.selection.loadOrder.length !== sections) throw new Error('eager bench: not every section loaded');
    t0 = performance.now();
    c0 = process.cpuUsage();
    for (const d of data) createHash('sha256').update(d).digest();
    rawMs.push(performance.now() - t0);
    rawCpu.push(cpuMs(process.cpuUsage(c0)));
  }
  const mbps = (ms: number) => total / MiB / (ms / 1000);
  const loaderBest = Math.min(...loaderMs);
  const rawBest = Math.min(...rawMs);
  return {
    bodyBytes: total,
    sections,
    loaderMiBps: mbps(median(loaderMs)),
    rawSha256MiBps: mbps(median(rawMs)),
    ratioMedian: median(rawMs) / median(loaderMs),
    ratioBest: rawBest / loaderBest,
    cpuRatioMedian: median(rawCpu) / median(loaderCpu),
    loaderCpuMiBps: mbps(median(loaderCpu)),
    rawSha256CpuMiBps: mbps(median(rawCpu)),
    source: 'MemorySource, node:crypto DigestProvider, signed (ed25519 via node:crypto)',
  };
}

async function benchIndex() {
  const n = INDEX_ENTRIES;
  const sections = [];
  for (let i = 0; i < n; i++) {
    sections.push({
      name: `section-${i}`,
      kind: (i ? 'data' : 'code') as 'data' | 'code',
      data: new Uint8Array(1 + (i % 7)),
      locales: i % 10 === 0 ? ['en', 'fr'] : [],
      dependsOn: i > 1 && i % 5 === 0 ? [i - 1] : [],
      priority: i % 13,
    });
  }
  const bytes = await packBuf({ ...manifest, entry: { section: 'section-0', export: '_start' } }, sections, {
    digest,
    signers: [signer],
  });
  const view = new DataView(bytes.buffer);
  const iOff = Number(view.getBigUint64(48, true));
  const iLen = Number(view.getBigUint64(56, true));
  const indexBytes = bytes.subarray(iOff, iOff + iLen);
  const parseMs: number[] = [];
  const openMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    let t0 = performance.now();
    const entries = decodeIndex(indexBytes, bytes.length);
    parseMs.push(performance.now() - t0);
    if (entries.length !== n + 1) throw new Error('index bench: wrong count');
    t0 = performance.now();
    await loadBuf(new MemorySource(bytes), {
      ...loadOpts,
      profile: { host: 'server', locales: ['en'] },
      strategy: 'lazy',
    });
    openMs.push(performance.now() - t0);
  }
  return {
    entries: n,
    indexBytes: iLen,
    parseMedianMs: median(parseMs),
    lazyOpenMedianMs: median(openMs),
    entriesPerSecondParse: n / (median(parseMs) / 1000),
  };
}

const started = new Date().toISOString();
// FAYGER_BENCH_ONLY=lazy,eager,index runs a subset (the JSON then holds only those).
const only = (process.env.FAYGER_BENCH_ONLY ?? 'lazy,eager,index').split(',');
const lazy = only.includes('lazy') ? await benchLazy() : undefined;
console.log('lazy open', JSON.stringify(lazy, null, 1));
const eager = only.includes('eager') ? await benchEager() : undefined;
console.log('eager', JSON.stringify(eager, null, 1));
const index = only.includes('index') ? await benchIndex() : undefined;
console.log('index', JSON.stringify(index, null, 1));
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/loader.json',
  JSON.stringify(
    {
      started,
      node: process.version,
      config: { BIG_MIB, SMALL_MIB, SECTIONS, EAGER_MIB, INDEX_ENTRIES },
      lazy,
      eager,
      index,
    },
    null,
    2,
  ),
);
console.log('wrote bench-results/loader.json');

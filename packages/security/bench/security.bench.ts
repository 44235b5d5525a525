// Side-by-side benchmark of the digest providers and Ed25519 backends, on the built package.
// Run: pnpm --filter @fayger/security bench  →  bench-results/security.json (bundled from sources by bench/run.mjs)
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createEd25519Signer,
  createWebCryptoDigestProvider,
  createWebCryptoEd25519Backend,
  generateEd25519KeyPair,
  nobleDigestProvider,
  nobleEd25519Backend,
  verifyEd25519,
  type Ed25519Backend,
} from '../src/index.js';
import type { DigestProvider } from '@fayger/contracts';
import { nodeDigestProvider, nodeEd25519Backend } from '../src/node/index.js';

interface Item {
  pk: Uint8Array;
  msg: Uint8Array;
  sig: Uint8Array;
}

const outFile =
  process.env.BENCH_OUT ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results', 'security.json');
const MiB = 1 << 20;
const sizeMiB = Number(process.env.BENCH_SHA_MIB ?? 16);
const verifyMs = Number(process.env.BENCH_VERIFY_MS ?? 1500);
const rounds = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function shaMBps(provider: DigestProvider, data: Uint8Array): Promise<number> {
  await provider.digest('sha256', data.subarray(0, MiB)); // warm-up
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await provider.digest('sha256', data);
    const s = (performance.now() - t0) / 1000;
    samples.push(data.length / MiB / s);
  }
  return median(samples);
}

async function verifyOps(backend: Ed25519Backend, items: Item[]): Promise<number> {
  for (let i = 0; i < 20; i++)
    await verifyEd25519(items[i % items.length].pk, items[i % items.length].msg, items[i % items.length].sig, {
      backend,
    });
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < verifyMs / rounds) {
      const it = items[n % items.length];
      if (!(await verifyEd25519(it.pk, it.msg, it.sig, { backend })))
        throw new Error('benchmark signature did not verify');
      n++;
      if ((n & 7) === 0) t = performance.now();
    }
    t = performance.now();
    samples.push(n / ((t - t0) / 1000));
  }
  return median(samples);
}

const data = new Uint8Array(randomBytes(sizeMiB * MiB));
const sha = {
  'node:crypto': await shaMBps(nodeDigestProvider, data),
  webcrypto: await shaMBps(createWebCryptoDigestProvider(), data),
  noble: await shaMBps(nobleDigestProvider, data),
};

// Several keys so per-key caches do not make one backend look better than it is in a mixed workload.
const items: Item[] = [];
for (let i = 0; i < 8; i++) {
  const kp = generateEd25519KeyPair();
  const msg = new Uint8Array(randomBytes(32)); // a root digest
  items.push({
    pk: kp.publicKey,
    msg,
    sig: await createEd25519Signer(kp.secretKey, { backend: nobleEd25519Backend }).sign(msg),
  });
}
const verify = {
  'node:crypto': await verifyOps(nodeEd25519Backend, items),
  webcrypto: await verifyOps(createWebCryptoEd25519Backend(), items),
  noble: await verifyOps(nobleEd25519Backend, items),
};

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const result = {
  benchmark: '@fayger/security',
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  sha256: {
    inputMiB: sizeMiB,
    rounds,
    MBps: Object.fromEntries(Object.entries(sha).map(([k, v]) => [k, round(v)])),
    ratioNativeOverNoble: round(sha['node:crypto'] / sha.noble, 2),
    ratioWebcryptoOverNoble: round(sha.webcrypto / sha.noble, 2),
  },
  ed25519Verify: {
    note: 'verifyEd25519 (strict policy checks + backend), 32-byte messages, 8 keys round-robin',
    opsPerSecond: Object.fromEntries(Object.entries(verify).map(([k, v]) => [k, Math.round(v)])),
    ratioNativeOverNoble: round(verify['node:crypto'] / verify.noble, 2),
    ratioWebcryptoOverNoble: round(verify.webcrypto / verify.noble, 2),
  },
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));

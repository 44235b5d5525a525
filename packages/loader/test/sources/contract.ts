// The one contract every BufSource passes (memory, file, HTTP Range, S3, IPFS): exact bytes for any range,
// concurrent reads, range checks, abort, describe(), and a signed BuF loaded eagerly and lazily that
// round-trips byte-identically.
import type { BufSource } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { loadBuf, packBuf, serializeBuf } from '../../src/index.js';
import { manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';

export interface ContractSubject {
  /** Stores `bytes` under a fresh name and returns a source reading them. */
  open(bytes: Uint8Array, name: string): Promise<BufSource>;
  /** Something describe() must mention (a path, a URL, a CID prefix...). */
  describes?: (name: string) => string | RegExp;
  close?(source: BufSource): Promise<void>;
}

const signer = testSigner('contract', 7);
const opts = {
  digest: nodeDigest,
  trust: testVerifier([signer]),
  profile: { host: 'server' as const },
  supportedInterfaceVersions: ['1.0.0'],
};

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    b[i] = x & 255;
  }
  return b;
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

let counter = 0;
const fresh = (label: string) => `${label}-${++counter}-${Date.now().toString(36)}.buf`;

export function sourceContract(label: string, subject: () => ContractSubject): void {
  describe(`BufSource contract: ${label}`, () => {
    const withSource = async (bytes: Uint8Array, fn: (s: BufSource, name: string) => Promise<void>) => {
      const name = fresh(label);
      const s = await subject().open(bytes, name);
      try {
        await fn(s, name);
      } finally {
        await subject().close?.(s);
      }
    };

    it('size() and read() give exactly the stored bytes for any range, also concurrently', async () => {
      const data = pattern(300_000, 3);
      await withSource(data, async (s, name) => {
        expect(await s.size()).toBe(data.length);
        const ranges: [number, number][] = [
          [0, 0],
          [0, 1],
          [0, 64],
          [100, 1000],
          [65_530, 20],
          [131_000, 70_000],
          [data.length - 1, 1],
          [0, data.length],
          [299_000, 1000],
        ];
        const results = await Promise.all(ranges.map(([o, l]) => s.read(o, l)));
        ranges.forEach(([o, l], i) => {
          expect(results[i]!.length).toBe(l);
          expect(Buffer.from(results[i]!).equals(Buffer.from(data.subarray(o, o + l)))).toBe(true);
        });
        const d = subject().describes?.(name);
        expect(s.describe().length).toBeGreaterThan(0);
        if (d) expect(s.describe()).toMatch(d);
      });
    });

    it('a range outside the source is LOADER_RANGE_INVALID; an aborted signal is ABORTED', async () => {
      await withSource(pattern(5000, 4), async (s) => {
        await s.size();
        expect(await code(s.read(4990, 11))).toBe('LOADER_RANGE_INVALID');
        expect(await code(s.read(-1, 2))).toBe('LOADER_RANGE_INVALID');
        const ac = new AbortController();
        ac.abort();
        expect(await code(s.read(4000, 500, ac.signal))).toBe('ABORTED');
      });
    });

    it('loads a signed BuF eagerly and lazily, and serialize round-trips byte-identically', async () => {
      const bytes = await packBuf(
        manifest(),
        [
          { name: 'main', kind: 'code', data: pattern(5000, 5), required: true },
          { name: 'big', kind: 'data', data: pattern(200_000, 6), chunkSize: 16_384 },
        ],
        { digest: nodeDigest, signers: [signer] },
      );
      await withSource(bytes, async (s) => {
        const eager = await loadBuf(s, { ...opts, strategy: 'eager' });
        expect(Buffer.from(await serializeBuf(eager)).equals(Buffer.from(bytes))).toBe(true);
        const lazy = await loadBuf(s, { ...opts, strategy: 'lazy' });
        expect((await lazy.section('main')).length).toBe(5000);
        const part = await lazy.sectionRange('big', 150_000, 100);
        expect(Buffer.from(part).equals(Buffer.from(pattern(200_000, 6).subarray(150_000, 150_100)))).toBe(true);
      });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { FaygerError, type TrustVerifier } from '@fayger/contracts';
import { MemorySource, loadBuf, packBuf } from '../../src/index.js';
import { GuardedSource, bytes, manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';

// Seeded mutation fuzzing: reproducible (FAYGER_FUZZ_SEED), sized by FAYGER_FUZZ_CASES (default 10,000).
const SEED = Number(process.env.FAYGER_FUZZ_SEED ?? 0x5eed);
const CASES = Number(process.env.FAYGER_FUZZ_CASES ?? 10_000);

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const alice = testSigner('alice', 7);
const bob = testSigner('bob', 8);

async function bases() {
  const signed = await packBuf(
    manifest(),
    [
      { name: 'main', kind: 'code', data: bytes('\0asm\x01\0\0\0 fuzz'), required: true },
      { name: 'big', kind: 'data', data: new Uint8Array(9000).map((_, i) => i & 255), chunkSize: 4096, priority: 3 },
      { name: 'fr', kind: 'data', data: bytes('bonjour'), locales: ['fr'] },
      { name: 'ui', kind: 'assets', data: bytes('<ui/>'), hosts: ['browser'], dependsOn: ['fr'] },
    ],
    { digest: nodeDigest, signers: [alice, bob] },
  );
  const unsigned = await packBuf(
    manifest({ capabilities: [], extensions: { 'x.y': { a: [1, 2] } } }),
    [
      { name: 'main', kind: 'code', data: bytes('code'), required: true },
      { name: 'd', kind: 'custom', data: bytes('data data'), dependsOn: ['main'], features: ['simd'] },
    ],
    { digest: nodeDigest, alignment: 1 },
  );
  return [
    { name: 'signed', bytes: signed, trust: testVerifier([alice, bob], { threshold: 2 }) as TrustVerifier | { allowUnsigned: true } },
    { name: 'unsigned', bytes: unsigned, trust: { allowUnsigned: true } as const },
  ];
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = src.slice();
  const int = (n: number) => Math.floor(rnd() * n);
  const ops = 1 + int(3);
  for (let k = 0; k < ops; k++) {
    switch (int(8)) {
      case 0: {
        if (b.length) b[int(b.length)]! ^= 1 << int(8);
        break;
      }
      case 1: {
        if (b.length) b[int(b.length)] = int(256);
        break;
      }
      case 2:
        b = b.slice(0, int(b.length + 1));
        break;
      case 3: {
        const extra = new Uint8Array(1 + int(64)).map(() => int(256));
        const c = new Uint8Array(b.length + extra.length);
        c.set(b);
        c.set(extra, b.length);
        b = c;
        break;
      }
      case 4: {
        // An interesting integer over a header field or a random spot (lengths, counts, offsets).
        if (b.length < 8) break;
        const at = rnd() < 0.5 ? 8 + 4 * int(14) : int(b.length - 4);
        if (at + 4 > b.length) break;
        const vals = [0, 1, 0xffffffff, 0x7fffffff, src.length, src.length + 1, src.length - 1, 0x200000, 0xffff];
        new DataView(b.buffer, b.byteOffset).setUint32(at, vals[int(vals.length)]!, true);
        break;
      }
      case 5: {
        // Copy a random range over another position.
        if (b.length < 2) break;
        const from = int(b.length);
        const len = int(Math.min(64, b.length - from));
        const to = int(b.length - len);
        b.copyWithin(to, from, from + len);
        break;
      }
      case 6: {
        // Delete a range (shifts everything after it).
        if (b.length < 2) break;
        const at = int(b.length);
        const len = 1 + int(Math.min(16, b.length - at));
        const c = new Uint8Array(b.length - len);
        c.set(b.subarray(0, at));
        c.set(b.subarray(at + len), at);
        b = c;
        break;
      }
      default: {
        // Zero a range.
        const at = int(b.length);
        b.fill(0, at, at + int(32));
      }
    }
  }
  return b;
}

describe('mutation fuzzing', () => {
  it(`${CASES} mutated/truncated artifacts end in a typed error or a correct load`, async () => {
    const rnd = mulberry32(SEED);
    const all = await bases();
    const codes = new Map<string, number>();
    let ok = 0;
    for (let i = 0; i < CASES; i++) {
      const base = all[i % all.length]!;
      const mutated = mutate(base.bytes, rnd);
      const strategy = i % 3 === 0 ? 'lazy' : 'eager';
      const src = new GuardedSource(new MemorySource(mutated), mutated.length);
      let outcome = 'ok';
      try {
        const loaded = await loadBuf(src, {
          digest: nodeDigest,
          trust: base.trust,
          profile: { host: i % 2 ? 'browser' : 'server', locales: ['fr'], features: ['simd'] },
          strategy,
          supportedInterfaceVersions: ['1.0.0'],
        });
        for (const s of loaded.sections) if (loaded.has(s.id)) await loaded.section(s.id);
        if (base.name === 'signed') {
          // A signed artifact that loads and reads fully must be the original bytes.
          expect(Buffer.from(mutated).equals(Buffer.from(base.bytes)), `case ${i} (seed ${SEED})`).toBe(true);
        }
        ok++;
      } catch (e) {
        if (!FaygerError.is(e) || e.code === 'INTERNAL') {
          throw new Error(`case ${i} (seed ${SEED}) ended in a non-typed error: ${String(e)}`, { cause: e });
        }
        outcome = e.code;
      }
      expect(src.violations, `case ${i} (seed ${SEED})`).toEqual([]);
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    }
    console.log(`fuzz: ${CASES} cases, seed ${SEED}: ${ok} loads`, Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])));
  }, 120_000);
});

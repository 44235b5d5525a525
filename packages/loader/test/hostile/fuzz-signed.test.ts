import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { MemorySource, loadBuf, packBuf } from '../../src/index.js';
import { GuardedSource, bytes, fuzzSeed, manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';
import { assemble, decompose } from './craft.js';

// Structure-aware fuzzing of *validly signed* hostile metadata: index fields and manifest bytes are mutated,
// then the artifact is re-signed with a trusted key, so only the structural rules stand between the bytes
// and the runtime. Bounded by a case count (FAYGER_FUZZ_SIGNED_CASES, default 2,000) and an explicit timeout;
// a fresh seed each run unless FAYGER_FUZZ_SEED is set (printed, so a failure reproduces).
const FUZZ_SEED = fuzzSeed('signed structural fuzzing');
const SEED = (FUZZ_SEED ^ 0x51) >>> 0;
const CASES = Number(process.env.FAYGER_FUZZ_SIGNED_CASES ?? 2_000);

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

const signer = testSigner('alice', 21);
const trust = testVerifier([signer]);

describe('signed structural fuzzing', () => {
  it(
    `${CASES} re-signed artifacts with mutated index/manifest end in a typed error or a correct load`,
    async () => {
      const base = await packBuf(
        manifest(),
        [
          { name: 'main', kind: 'code', data: bytes('\0asm\x01\0\0\0'), required: true, dependsOn: ['lib'] },
          { name: 'lib', kind: 'code', data: new Uint8Array(300).fill(9) },
          {
            name: 'big',
            kind: 'data',
            data: new Uint8Array(9000).map((_, i) => i % 253),
            chunkSize: 4096,
            locales: ['en'],
          },
          { name: 'ui', kind: 'assets', data: bytes('<ui/>'), hosts: ['browser'], features: ['dom'] },
        ],
        { digest: nodeDigest, signers: [signer] },
      );
      const rnd = mulberry32(SEED);
      const int = (n: number) => Math.floor(rnd() * n);
      const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
      const codes = new Map<string, number>();
      for (let i = 0; i < CASES; i++) {
        const p = decompose(base);
        const ops = 1 + int(3);
        let relayout = rnd() < 0.5;
        for (let k = 0; k < ops; k++) {
          const e = pick(p.entries);
          switch (int(11)) {
            case 0:
              e.offset = Math.max(0, e.offset + pick([-8, -1, 1, 8, 4096, 1 << 20]));
              relayout = false;
              break;
            case 1:
              e.storedLength = e.rawLength = Math.max(0, e.storedLength + pick([-1, 1, 7, -7, 100000]));
              break;
            case 2:
              e.rawLength = e.storedLength + 1;
              break;
            case 3:
              e.id = pick(p.entries).id;
              break;
            case 4:
              e.name = pick([pick(p.entries).name, '', 'x y', '$signature', 'é', 'a'.repeat(300)]);
              break;
            case 5:
              e.dependsOn = pick([[e.id], [999], [p.entries.at(-1)!.id], [3, 1], [1, 1], p.entries.map((x) => x.id)]);
              break;
            case 6:
              e.chunkSize = pick([0, 1, 4096, 4097, 1 << 30, 2 ** 31]);
              break;
            case 7:
              e.flags = pick([0, 1, 2, 0x80, 0x100, 0xffff]);
              e.required = (e.flags & 1) !== 0;
              break;
            case 8:
              e.kind = pick(['code', 'data', 'assets', 'signature', 'custom'] as const);
              break;
            case 9:
              e.hosts = pick([[], ['b', 'a'], ['a', 'a'], [''], ['browser']]);
              break;
            default: {
              const text = new TextDecoder().decode(p.manifestBytes);
              const at = int(text.length);
              p.manifestBytes = bytes(
                text.slice(0, at) + pick(['', ' ', '"', '}', ',"x":1', '0']) + text.slice(at + int(3)),
              );
            }
          }
        }
        let artifact: Uint8Array;
        try {
          artifact = await assemble(p, { digest: nodeDigest, signers: [signer], relayout });
        } catch {
          codes.set('(not encodable)', (codes.get('(not encodable)') ?? 0) + 1);
          continue;
        }
        const src = new GuardedSource(new MemorySource(artifact), artifact.length);
        let outcome = 'ok';
        try {
          const loaded = await loadBuf(src, {
            digest: nodeDigest,
            trust,
            profile: { host: i % 2 ? 'browser' : 'server', locales: ['en'], features: ['dom'] },
            strategy: i % 2 ? 'eager' : 'lazy',
            supportedInterfaceVersions: ['1.0.0'],
          });
          for (const s of loaded.sections) if (loaded.has(s.id)) await loaded.section(s.id);
        } catch (e) {
          // Only the codes of the loader phase (or trust verifier) that found the defect; never INTERNAL or
          // INVALID_ARGUMENT (that would blame the caller's arguments for a defect of the artifact).
          if (!FaygerError.is(e) || !/^(LOADER|SECURITY)_/.test(e.code))
            throw new Error(`case ${i} (FAYGER_FUZZ_SEED=${FUZZ_SEED}): ${String(e)}`, { cause: e });
          outcome = e.code;
        }
        expect(src.violations, `case ${i} (FAYGER_FUZZ_SEED=${FUZZ_SEED})`).toEqual([]);
        codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
      }
      console.log(
        `signed fuzz: ${CASES} cases, FAYGER_FUZZ_SEED=${FUZZ_SEED}`,
        Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])),
      );
    },
    Math.max(120_000, CASES * 30),
  ); // ≈ 6 ms a case (re-signing) on a loaded 2-core machine, 5× headroom
});

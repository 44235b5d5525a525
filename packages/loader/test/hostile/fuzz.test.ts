import { describe, expect, it } from 'vitest';
import { FaygerError, type TrustVerifier } from '@fayger/contracts';
import { MemorySource, loadBuf, packBuf } from '../../src/index.js';
import { decodeHeader } from '../../src/format/header.js';
import { decodeIndex } from '../../src/format/index-codec.js';
import { GuardedSource, bytes, fuzzSeed, manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';

// Seeded mutation fuzzing, bounded by a case count (FAYGER_FUZZ_CASES, default 10,000) and an explicit timeout
// sized for a loaded 2-core machine. A fresh seed each run unless FAYGER_FUZZ_SEED is set; the seed is printed.
const SEED = fuzzSeed('mutation fuzzing');
const CASES = Number(process.env.FAYGER_FUZZ_CASES ?? 10_000);
/** Outcomes a malformed artifact may end in: codes of the loader phase (or the trust verifier) that found it. */
const ARTIFACT_CODE = /^(LOADER|SECURITY)_/;

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
    {
      name: 'signed',
      bytes: signed,
      layout: layout(signed),
      trust: testVerifier([alice, bob], { threshold: 2 }) as TrustVerifier | { allowUnsigned: true },
    },
    { name: 'unsigned', bytes: unsigned, layout: undefined, trust: { allowUnsigned: true } as const },
  ];
}

/** The signed manifest and section table of an unmutated artifact (the reference for the signed property). */
function layout(b: Uint8Array) {
  const h = decodeHeader(b.subarray(0, 64), b.length);
  const manifest = JSON.parse(
    new TextDecoder().decode(b.subarray(h.manifestOffset, h.manifestOffset + h.manifestLength)),
  );
  const sections = decodeIndex(b.subarray(h.indexOffset, h.indexOffset + h.indexLength), b.length).filter(
    (e) => e.kind !== 'signature',
  );
  return { manifest, sections };
}

const sectionKey = (s: {
  id: number;
  name: string;
  kind: string;
  offset: number;
  storedLength: number;
  digest: Uint8Array;
}) => `${s.id} ${s.name} ${s.kind} ${s.offset}+${s.storedLength} ${Buffer.from(s.digest).toString('hex')}`;

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
  it(
    `${CASES} mutated/truncated artifacts end in a typed error or a correct load`,
    async () => {
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
          const handedOut = new Map<number, Uint8Array>();
          for (const s of loaded.sections) if (loaded.has(s.id)) handedOut.set(s.id, await loaded.section(s.id));
          if (base.name === 'signed') {
            // The property of a signed load: every byte handed out is the signed byte. The manifest and the
            // section table are the signed ones, and each section body read is the signed body. (A byte changed
            // in a section the profile did not select is never read, so such a load is correct, not a miss.)
            const signed = base.layout!;
            const where = `case ${i} (FAYGER_FUZZ_SEED=${SEED})`;
            expect(loaded.manifest, where).toEqual(signed.manifest);
            expect(loaded.sections.map(sectionKey), where).toEqual(signed.sections.map(sectionKey));
            for (const [id, body] of handedOut) {
              const s = signed.sections.find((x) => x.id === id)!;
              expect(
                Buffer.from(body).equals(Buffer.from(base.bytes.subarray(s.offset, s.offset + s.storedLength))),
                `${where}: section ${id}`,
              ).toBe(true);
            }
          }
          ok++;
        } catch (e) {
          if (!FaygerError.is(e) || !ARTIFACT_CODE.test(e.code)) {
            throw new Error(
              `case ${i} (FAYGER_FUZZ_SEED=${SEED}) ended in ${FaygerError.is(e) ? e.code : 'a non-typed error'}: ${String(e)}`,
              { cause: e },
            );
          }
          outcome = e.code;
        }
        expect(src.violations, `case ${i} (FAYGER_FUZZ_SEED=${SEED})`).toEqual([]);
        codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
      }
      console.log(
        `fuzz: ${CASES} cases, seed ${SEED}: ${ok} loads`,
        Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])),
      );
    },
    Math.max(120_000, CASES * 12),
  ); // ≈ 2 ms a case on a loaded 2-core machine, 6× headroom
});

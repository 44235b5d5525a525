import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { createEd25519Signer, createTrustVerifier } from '@fayger/security';
import { nodeDigestProvider, nodeEd25519Backend } from '@fayger/security/node';
import { MemorySource, loadBuf, packBuf } from '../../src/index.js';
import { GuardedSource, bytes, manifest } from '../helpers.js';
import { decompose } from './craft.js';

const signer = createEd25519Signer(new Uint8Array(32).fill(3), { backend: nodeEd25519Backend });
const trust = createTrustVerifier({
  roots: {
    version: 1,
    keys: [
      {
        id: signer.keyId,
        algorithm: 'ed25519',
        publicKey: Buffer.from(signer.publicKey).toString('hex'),
        publishers: ['example.com', 'com.example.*'],
      },
    ],
  },
  policy: { threshold: 1, allowRollback: true },
  ed25519: nodeEd25519Backend,
});
const opts = {
  digest: nodeDigestProvider,
  trust,
  profile: { host: 'browser', locales: ['en'] },
  supportedInterfaceVersions: ['1.0.0'],
};

const sections = (fill: number) => [
  { name: 'main', kind: 'code' as const, data: bytes(`\0asm\x01\0\0\0${fill}`), required: true },
  { name: 'text', kind: 'data' as const, data: bytes(`hello ${fill}!`), locales: ['en'] },
  { name: 'img', kind: 'assets' as const, data: new Uint8Array(21).fill(fill), dependsOn: ['text'] },
];
const build = (version: string, fill: number) =>
  packBuf(manifest({ version }), sections(fill), { digest: nodeDigestProvider, signers: [signer] });

/** Loads eagerly; returns the error code, or 'ok'. Fails the test on anything that is not a FaygerError. */
async function outcome(b: Uint8Array, strategy: 'eager' | 'lazy' = 'eager'): Promise<string> {
  const src = new GuardedSource(new MemorySource(b), b.length);
  try {
    const loaded = await loadBuf(src, { ...opts, strategy });
    for (const s of loaded.sections) if (loaded.has(s.id)) await loaded.section(s.id);
    return 'ok';
  } catch (e) {
    if (!FaygerError.is(e)) throw e;
    if (e.code === 'INTERNAL') throw e;
    return e.code;
  }
}

describe('exhaustive tamper test on a small signed artifact', () => {
  it('rejects every single-bit flip of every byte and every truncation', async () => {
    const good = await build('1.0.0', 1);
    expect(await outcome(good)).toBe('ok');
    const codes = new Map<string, number>();
    let cases = 0;
    for (let i = 0; i < good.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = good.slice();
        b[i]! ^= 1 << bit;
        const c = await outcome(b);
        expect(c, `flip byte ${i} bit ${bit}`).not.toBe('ok');
        codes.set(c, (codes.get(c) ?? 0) + 1);
        cases++;
      }
    }
    for (let n = 0; n < good.length; n++) {
      const c = await outcome(good.subarray(0, n));
      expect(c, `truncate to ${n}`).not.toBe('ok');
      codes.set(c, (codes.get(c) ?? 0) + 1);
      cases++;
    }
    expect(cases).toBe(good.length * 9);
    console.log(`tamper: ${cases} cases over a ${good.length}-byte artifact →`, Object.fromEntries(codes));
  }, 120_000);

  it('lazy: a flipped body bit fails that section read and never returns the bytes', async () => {
    const good = await build('1.0.0', 1);
    const parts = decompose(good);
    const text = parts.entries.find((e) => e.name === 'text')!;
    for (let i = text.offset; i < text.offset + text.storedLength; i++) {
      const b = good.slice();
      b[i]! ^= 0x10;
      const loaded = await loadBuf(new MemorySource(b), { ...opts, strategy: 'lazy' });
      expect((await loaded.section('main')).length).toBeGreaterThan(0);
      const err = await loaded.section('text').then(
        () => undefined,
        (e) => e,
      );
      expect(err?.code).toBe('LOADER_SECTION_DIGEST_MISMATCH');
      expect(err?.phase).toBe('section-read');
    }
  });

  it('rejects manifest, index, section and signature swapped in from another validly signed artifact', async () => {
    const a = await build('1.0.0', 1);
    const b = await build('1.0.1', 2);
    expect(a.length).toBe(b.length);
    expect(await outcome(b)).toBe('ok');
    const pa = decompose(a);
    const h = new DataView(a.buffer, a.byteOffset);
    const mOff = 64;
    const mLen = Number(h.getBigUint64(40, true));
    const iOff = Number(h.getBigUint64(48, true));
    const iLen = Number(h.getBigUint64(56, true));
    const sig = pa.entries.find((e) => e.kind === 'signature')!;
    const regions: Record<string, [number, number]> = {
      manifest: [mOff, mLen],
      index: [iOff, iLen],
      signature: [sig.offset, sig.storedLength],
    };
    for (const e of pa.entries) if (e.kind !== 'signature') regions[`section ${e.name}`] = [e.offset, e.storedLength];
    const results: Record<string, string> = {};
    for (const [name, [off, len]] of Object.entries(regions)) {
      const mixed = a.slice();
      mixed.set(b.subarray(off, off + len), off);
      results[name] = await outcome(mixed);
      expect(results[name], name).not.toBe('ok');
    }
    // B's signature records placed behind A's own root digest: the records themselves must fail.
    const graft = a.slice();
    graft.set(b.subarray(sig.offset + 8 + 32, sig.offset + sig.storedLength), sig.offset + 8 + 32);
    results['signature records only'] = await outcome(graft);
    expect(results['signature records only']).toMatch(/^SECURITY_/);
    console.log('cross-artifact swaps →', results);
  });
});

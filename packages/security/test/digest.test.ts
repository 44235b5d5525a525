import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaygerError, type DigestProvider } from '@fayger/contracts';
import { bytesToHex, createWebCryptoDigestProvider, detectDigestProvider, nobleDigestProvider } from '../src/index.js';
import { nodeDigestProvider } from '../src/node/index.js';

const webcrypto = createWebCryptoDigestProvider();
const webcryptoHybrid = createWebCryptoDigestProvider({ syncFallback: nobleDigestProvider });
const providers: DigestProvider[] = [nodeDigestProvider, webcrypto, nobleDigestProvider];
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('digest providers', () => {
  it('hash the empty input and "abc" to the FIPS 180 values on every provider', async () => {
    for (const p of providers) {
      expect(bytesToHex(await p.digest('sha256', new Uint8Array(0))), p.name).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
      expect(bytesToHex(await p.digest('sha256', utf8('abc'))), p.name).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
    }
  });

  it('agree on 1 MiB of random bytes, one-shot, sync and incremental', async () => {
    const data = new Uint8Array(randomBytes(1 << 20));
    const expected = bytesToHex(await nobleDigestProvider.digest('sha256', data));
    for (const p of [...providers, webcryptoHybrid]) {
      expect(bytesToHex(await p.digest('sha256', data)), p.name).toBe(expected);
      if (p.digestSync) expect(bytesToHex(p.digestSync('sha256', data)), p.name).toBe(expected);
      if (p.createHasher) {
        const h = p.createHasher('sha256');
        // Uneven chunks cross the 64-byte block boundary in every way.
        let off = 0;
        for (let size = 1; off < data.length; size = (size * 7 + 13) % 70001) {
          h.update(data.subarray(off, off + size));
          off += size;
        }
        expect(bytesToHex(h.digest()), `${p.name} incremental`).toBe(expected);
      }
    }
  });

  it('an incremental hasher fed nothing equals the empty digest', () => {
    for (const p of [nodeDigestProvider, nobleDigestProvider]) {
      expect(bytesToHex(p.createHasher!('sha256').digest())).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    }
  });

  it('WebCrypto alone is async-only; the hybrid adds sync and incremental hashing', () => {
    expect(webcrypto.digestSync).toBeUndefined();
    expect(webcrypto.createHasher).toBeUndefined();
    expect(typeof webcryptoHybrid.digestSync).toBe('function');
    expect(typeof webcryptoHybrid.createHasher).toBe('function');
  });

  it('refuses unknown algorithms and non-bytes with typed errors', async () => {
    for (const p of providers) {
      await expect(p.digest('md5' as never, new Uint8Array(1))).rejects.toSatisfy((e) =>
        FaygerError.is(e, 'SECURITY_UNSUPPORTED_ALGORITHM'),
      );
      await expect(p.digest('sha256', 'abc' as never)).rejects.toSatisfy((e) => FaygerError.is(e, 'INVALID_ARGUMENT'));
    }
    expect(() => nobleDigestProvider.createHasher!('sha1' as never)).toThrow(FaygerError);
  });

  it('auto-detects node:crypto on Node', () => {
    expect(detectDigestProvider().name).toBe('node:crypto');
  });

  it('keeps node: imports out of the host-neutral entry (only src/node/ may import them)', () => {
    const root = join(__dirname, '..', 'src');
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory() ? (f === 'node' ? [] : walk(join(dir, f))) : [join(dir, f)],
      );
    const offenders = walk(root).filter((f) =>
      /from\s+['"]node:|require\(['"]node:|import\(['"]node:/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

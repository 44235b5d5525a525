import { describe, expect, it } from 'vitest';
import { FaygerError, type BufSource } from '@fayger/contracts';
import { MemorySource, loadBuf, packBuf } from '../../src/index.js';
import { MAX_MANIFEST_LENGTH, MAX_SECTIONS, MAX_SIGNATURE_SECTION_LENGTH } from '../../src/format/constants.js';
import { encodeHeader } from '../../src/format/header.js';
import { GuardedSource, bytes, manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';
import { assemble, decompose } from './craft.js';

// The loader caps of docs/spec/buf-v1.md §11: a header or index that claims more than any genuine artifact
// needs is refused with LOADER_LIMIT_EXCEEDED before the loader allocates what it claims.
const signer = testSigner('alice', 31);
const opts = {
  digest: nodeDigest,
  trust: testVerifier([signer]),
  profile: { host: 'server' },
  supportedInterfaceVersions: ['1.0.0'],
} as const;

/** A source of `size` bytes that are `head` followed by zeros, counting what the loader asks for. */
class HugeSource implements BufSource {
  bytesRead = 0;
  largestRead = 0;
  constructor(
    private readonly head: Uint8Array,
    private readonly total: number,
  ) {}
  async size() {
    return this.total;
  }
  async read(offset: number, length: number) {
    this.bytesRead += length;
    this.largestRead = Math.max(this.largestRead, length);
    const out = new Uint8Array(length);
    if (offset < this.head.length) out.set(this.head.subarray(offset, Math.min(this.head.length, offset + length)));
    return out;
  }
  describe() {
    return `huge (${this.total} bytes)`;
  }
}

async function code(p: Promise<unknown>): Promise<FaygerError> {
  try {
    await p;
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected the load to fail');
}

describe('loader caps (LOADER_LIMIT_EXCEEDED)', () => {
  it('an index out of proportion to the artifact (249 MB file, 3M entries) is refused from the header: 64 bytes read', async () => {
    const total = 249_000_000;
    const manifestLength = 2;
    const indexOffset = 72;
    const head = encodeHeader({
      formatMajor: 1,
      formatMinor: 0,
      criticalFlags: 0,
      optionalFlags: 0,
      alignment: 8,
      totalLength: total,
      manifestOffset: 64,
      manifestLength,
      indexOffset,
      indexLength: total - indexOffset,
      headerLength: 64,
    });
    const src = new HugeSource(head, total);
    const err = await code(loadBuf(src, { ...opts, trust: { allowUnsigned: true } }));
    expect(err.code).toBe('LOADER_LIMIT_EXCEEDED');
    expect(err.phase).toBe('read');
    expect(err.message).toMatch(/index length ≤ \d+ bytes/);
    expect(src.bytesRead).toBe(64);
  });

  it(`an index with more than ${MAX_SECTIONS} entries is refused before any entry is decoded`, async () => {
    const good = await packBuf(manifest(), [{ name: 'main', kind: 'code', data: bytes('code'), required: true }], {
      digest: nodeDigest,
      signers: [signer],
    });
    const p = decompose(good);
    const b = await assemble(p, { digest: nodeDigest, signers: [signer] });
    const view = new DataView(b.buffer, b.byteOffset);
    const indexOffset = Number(view.getBigUint64(48, true));
    view.setUint32(indexOffset, MAX_SECTIONS + 1, true);
    const err = await code(loadBuf(new GuardedSource(new MemorySource(b), b.length), opts));
    expect(err.code).toBe('LOADER_LIMIT_EXCEEDED');
    expect(err.phase).toBe('parse');
    expect(err.details).toMatchObject({ limit: MAX_SECTIONS, value: MAX_SECTIONS + 1 });
  });

  it(`a manifest longer than ${MAX_MANIFEST_LENGTH} bytes is refused before it is read`, async () => {
    const total = 4 * MAX_MANIFEST_LENGTH;
    const head = encodeHeader({
      formatMajor: 1,
      formatMinor: 0,
      criticalFlags: 0,
      optionalFlags: 0,
      alignment: 8,
      totalLength: total,
      manifestOffset: 64,
      manifestLength: MAX_MANIFEST_LENGTH + 1,
      indexOffset: 64 + MAX_MANIFEST_LENGTH + 8,
      indexLength: 8,
      headerLength: 64,
    });
    const src = new HugeSource(head, total);
    const err = await code(loadBuf(src, { ...opts, trust: { allowUnsigned: true } }));
    expect(err.code).toBe('LOADER_LIMIT_EXCEEDED');
    expect(src.bytesRead).toBe(64);
  });

  it('a signature entry longer than any v1 signature section is refused before the section is read', async () => {
    const good = await packBuf(manifest(), [{ name: 'main', kind: 'code', data: bytes('code'), required: true }], {
      digest: nodeDigest,
      signers: [signer],
    });
    const p = decompose(good);
    const sig = p.entries.at(-1)!;
    sig.storedLength = sig.rawLength = MAX_SIGNATURE_SECTION_LENGTH + 1;
    const b = await assemble(p, {
      digest: nodeDigest,
      signers: [signer],
      relayout: false,
      totalLength: sig.offset + sig.storedLength,
    });
    const src = new HugeSource(b, sig.offset + sig.storedLength);
    const err = await code(loadBuf(src, opts));
    expect(err.code).toBe('LOADER_LIMIT_EXCEEDED');
    expect(err.phase).toBe('verify-structure');
    expect(src.largestRead).toBeLessThan(64 * 1024);
  });
});

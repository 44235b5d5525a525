import { FaygerError, type InstanceSnapshot } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { encodeSnapshot, loadBuf, loadSnapshot, MemorySource, openSnapshot, packBuf } from '../../src/index.js';
import { manifest, nodeDigest, testSigner } from '../helpers.js';
import { hostKey, memory, PAGE, snapshot, trustHostKeys } from './fixtures.js';

const key = hostKey(7);
const trust = trustHostKeys([key]);
const opts = { digest: nodeDigest, trust };

async function failure(p: Promise<unknown>): Promise<FaygerError> {
  try {
    await p;
  } catch (err) {
    if (FaygerError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a FaygerError, the call succeeded');
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (FaygerError.is(err)) return err.code;
    throw err;
  }
  return 'OK';
}

function sameSnapshot(a: InstanceSnapshot, b: InstanceSnapshot) {
  const { engine: ea, ...ra } = a;
  const { engine: eb, ...rb } = b;
  expect(rb).toEqual(ra);
  const { memories: ma, state: sa, ...xa } = ea;
  const { memories: mb, state: sb, ...xb } = eb;
  expect(xb).toEqual(xa);
  expect(Buffer.from(sb).equals(Buffer.from(sa))).toBe(true);
  expect(mb.length).toBe(ma.length);
  ma.forEach((m, i) => {
    expect(mb[i]!.pages).toBe(m.pages);
    expect(Buffer.from(mb[i]!.bytes).equals(Buffer.from(m.bytes))).toBe(true);
  });
}

describe('snapshot v1 round trip', () => {
  it('encodes, verifies and decodes a realistic snapshot unchanged; encoding is deterministic', async () => {
    const s = snapshot();
    const bytes = await encodeSnapshot(s, { digest: nodeDigest, signer: key });
    expect(Buffer.from(await encodeSnapshot(s, { digest: nodeDigest, signer: key })).equals(Buffer.from(bytes))).toBe(
      true,
    );
    const loaded = await openSnapshot(bytes, opts);
    sameSnapshot(s, loaded.snapshot);
    expect(loaded.verified).toBe(true);
    expect(loaded.verifiedKeyIds).toEqual([key.keyId]);
    expect(loaded.memories).toEqual([{ pages: 17, storedPages: 5, sectionLength: 8 + 8 * 3 + 5 * PAGE }]);
    // Re-encoding what was loaded gives the same bytes (one encoding per snapshot).
    const again = await encodeSnapshot(loaded.snapshot, { digest: nodeDigest, signer: key });
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('round-trips several shapes: no memory, several memories, empty state, no pending call, many calls and resources', async () => {
    const variants: InstanceSnapshot[] = [
      snapshot({ pending: undefined, resources: [] }, { memories: [], state: new Uint8Array(0), calls: [] }),
      snapshot({}, { memories: [memory(0, []), memory(3, []), memory(4, [3], 9), memory(40, [0, 39], 3)] }),
      snapshot(
        {
          grants: [],
          resources: Array.from({ length: 50 }, (_, i) => ({
            kind: 'timer',
            handle: i,
            data: { ms: i * 10, nested: { a: [1, 'x', null, true] } },
          })),
        },
        {
          calls: Array.from({ length: 20 }, (_, i) => ({ export: `f${i}`, waiting: i % 3 === 0 })),
          fuelUsed: 2 ** 53 - 1,
        },
      ),
      snapshot({ app: { id: 'org.example.app', version: '2.0.0-rc.1+b5' } }),
    ];
    for (const s of variants) {
      const bytes = await encodeSnapshot(s, { digest: nodeDigest, signer: key, alignment: 16 });
      sameSnapshot(s, await loadSnapshot(bytes, opts));
    }
    // A BufSource reads it as well as bytes.
    const b = await encodeSnapshot(variants[1]!, { digest: nodeDigest, signer: key });
    sameSnapshot(variants[1]!, await loadSnapshot(new MemorySource(b), opts));
  });

  it('stores memory sparsely: a 256 MiB memory with 3 touched pages gives a file of about 3 pages', async () => {
    const s = snapshot({}, { memories: [memory(4096, [10, 11, 4000], 5)] });
    const bytes = await encodeSnapshot(s, { digest: nodeDigest, signer: key });
    expect(bytes.length).toBeLessThan(3 * PAGE + 4096);
    expect(bytes.length).toBeGreaterThan(3 * PAGE);
    const loaded = await openSnapshot(bytes, opts);
    expect(loaded.memories[0]).toEqual({ pages: 4096, storedPages: 3, sectionLength: 8 + 2 * 8 + 3 * PAGE });
    sameSnapshot(s, loaded.snapshot);
  }, 240_000); // scans and hashes 256 MiB: 34 s on a loaded 2-core machine

  it('refuses what the reader would reject when encoding (SNAPSHOT_MALFORMED) and needs a signer', async () => {
    const bad: InstanceSnapshot[] = [
      snapshot({ codeDigest: 'sha256:abc' }),
      snapshot({ app: { id: 'bad id', version: '1.0.0' } }),
      snapshot({ app: { id: 'a', version: 'one' } }),
      snapshot({}, { memories: [{ pages: 2, bytes: new Uint8Array(PAGE) }] }),
      snapshot({}, { fuelUsed: -1 }),
      snapshot({ grants: [{ name: 'teleport' as never }] }),
      snapshot({ origin: { hostKind: 'server', takenAt: 'yesterday' } }),
      { ...snapshot(), extra: 1 } as unknown as InstanceSnapshot,
    ];
    for (const s of bad)
      expect(await code(encodeSnapshot(s, { digest: nodeDigest, signer: key }))).toBe('SNAPSHOT_MALFORMED');
    expect(await code(encodeSnapshot(snapshot(), { digest: nodeDigest }))).toBe('INVALID_ARGUMENT');
  });
});

describe('snapshot v1 trust and kind', () => {
  it('an unsigned snapshot needs allowUnsigned; an unknown key is SNAPSHOT_UNTRUSTED', async () => {
    const unsigned = await encodeSnapshot(snapshot(), { digest: nodeDigest, unsigned: true });
    expect(await code(loadSnapshot(unsigned, opts))).toBe('SNAPSHOT_UNTRUSTED');
    const l = await openSnapshot(unsigned, { digest: nodeDigest, trust: { allowUnsigned: true } });
    expect(l.verified).toBe(false);
    expect(l.keyIds).toEqual([]);
    const other = await encodeSnapshot(snapshot(), { digest: nodeDigest, signer: hostKey(9) });
    const err = await failure(loadSnapshot(other, opts));
    expect(err.code).toBe('SNAPSHOT_UNTRUSTED');
    expect(err.details?.securityCode).toBeDefined();
    // A publisher key not scoped to snapshots does not vouch for one.
    const appKeyTrust = trustHostKeys([key], ['com.example.*']);
    expect(await code(loadSnapshot(other, { digest: nodeDigest, trust: appKeyTrust }))).toBe('SNAPSHOT_UNTRUSTED');
    const signed = await encodeSnapshot(snapshot(), { digest: nodeDigest, signer: key });
    expect(await code(loadSnapshot(signed, { digest: nodeDigest, trust: appKeyTrust }))).toBe('SNAPSHOT_UNTRUSTED');
    // Signed but checked with allowUnsigned: loads, reported unverified with the key id it carries.
    const u = await openSnapshot(signed, { digest: nodeDigest, trust: { allowUnsigned: true } });
    expect(u.verified).toBe(false);
    expect(u.keyIds).toEqual([key.keyId]);
  });

  it('loadBuf refuses a snapshot and loadSnapshot refuses an app BuF, each with a typed error', async () => {
    const snap = await encodeSnapshot(snapshot(), { digest: nodeDigest, signer: key });
    const err = await failure(
      loadBuf(new MemorySource(snap), {
        digest: nodeDigest,
        trust: { allowUnsigned: true },
        profile: { host: 'server', features: [], locales: [] },
        supportedInterfaceVersions: ['1.0.0'],
      }),
    );
    expect(err.code).toBe('LOADER_ARTIFACT_KIND');
    expect(err.message).toMatch(/snapshot/);
    const app = await packBuf(
      manifest(),
      [{ name: 'main', kind: 'code', data: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0) }],
      {
        digest: nodeDigest,
        signers: [testSigner('k1', 1)],
      },
    );
    const e2 = await failure(loadSnapshot(app, opts));
    expect(e2.code).toBe('SNAPSHOT_MALFORMED');
    expect(e2.details?.loaderCode).toBe('LOADER_ARTIFACT_KIND');
    expect(e2.message).toMatch(/app BuF/);
    expect(await code(loadSnapshot(new TextEncoder().encode('<html>not a snapshot</html>'), opts))).toBe(
      'SNAPSHOT_MALFORMED',
    );
    expect(await code(loadSnapshot(new Uint8Array(0), opts))).toBe('SNAPSHOT_MALFORMED');
  });

  it('caps the memory a hostile page count can make it allocate', async () => {
    const s = snapshot({}, { memories: [memory(16_000, [1]), memory(1000, [2])] });
    const bytes = await encodeSnapshot(s, { digest: nodeDigest, unsigned: true });
    const e = await failure(loadSnapshot(bytes, { digest: nodeDigest, trust: { allowUnsigned: true } }));
    expect(e.code).toBe('SNAPSHOT_MALFORMED');
    expect(e.details?.limit).toBe(16_384);
    const ok = await loadSnapshot(bytes, {
      digest: nodeDigest,
      trust: { allowUnsigned: true },
      maxMemoryPages: 17_000,
    });
    expect(ok.engine.memories.map((m) => m.pages)).toEqual([16_000, 1000]);
  }, 240_000); // allocates and fills about 1.1 GiB: 43 s on a loaded 2-core machine
});

import { describe, expect, it } from 'vitest';
import { FaygerError, type SignatureCheckRequest } from '@fayger/contracts';
import {
  bytesToHex,
  createEd25519Signer,
  createMemoryVersionStore,
  createTrustVerifier,
  generateEd25519KeyPair,
  parseTrustedRoots,
  artifactIdInScope,
  publisherInScope,
  trustedRootEntry,
  type Ed25519KeyPair,
  type TrustedKeyEntry,
} from '../src/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const APP = { publisher: 'com.example.apps', artifactId: 'com.example.app' };
const digest = new Uint8Array(32).map((_, i) => i + 1);

function entry(k: Ed25519KeyPair, extra: Partial<TrustedKeyEntry> = {}): TrustedKeyEntry {
  return { ...trustedRootEntry(k.publicKey, { publishers: ['com.example.*'] }), ...extra };
}

async function sign(k: Ed25519KeyPair, message = digest, keyId = k.keyId) {
  return { keyId, algorithm: 'ed25519' as const, signature: await createEd25519Signer(k.secretKey).sign(message) };
}

function request(
  signatures: SignatureCheckRequest['signatures'],
  over: Partial<SignatureCheckRequest> = {},
): SignatureCheckRequest {
  return {
    artifactId: 'com.example.app',
    publisher: 'com.example.apps',
    sequence: 5,
    rootDigest: digest,
    signatures,
    now: NOW,
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<FaygerError> {
  try {
    await p;
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a FaygerError');
}

const k1 = generateEd25519KeyPair();
const k2 = generateEd25519KeyPair();
const k3 = generateEd25519KeyPair();
const stranger = generateEd25519KeyPair();

describe('trust verifier', () => {
  it('accepts a correctly signed artifact and reports the verified key', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1)] }, policy: {} });
    const r = await v.verify(request([await sign(k1)]));
    expect(r).toEqual({ verifiedKeyIds: [k1.keyId], threshold: 1, unsigned: false });
  });

  it('fails without a policy (SECURITY_NO_POLICY), never defaulting to allow', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1)] }, policy: undefined });
    expect((await failure(v.verify(request([await sign(k1)])))).code).toBe('SECURITY_NO_POLICY');
  });

  it('requires signatures by default and allows unsigned only when told to', async () => {
    const roots = { version: 1 as const, keys: [entry(k1)] };
    expect((await failure(createTrustVerifier({ roots, policy: {} }).verify(request([])))).code).toBe(
      'SECURITY_UNSIGNED',
    );
    const r = await createTrustVerifier({ roots, policy: { allowUnsigned: true } }).verify(request([]));
    expect(r).toMatchObject({ unsigned: true, verifiedKeyIds: [] });
    // Signatures that are present are still checked when unsigned is allowed.
    const bad = await failure(
      createTrustVerifier({ roots, policy: { allowUnsigned: true } }).verify(request([await sign(stranger)])),
    );
    expect(bad.code).toBe('SECURITY_UNKNOWN_KEY');
  });

  it('wrong key: a signature by another key under a trusted key id fails as SECURITY_SIGNATURE_INVALID', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1)] }, policy: {} });
    const e = await failure(v.verify(request([await sign(stranger, digest, k1.keyId)])));
    expect(e.code).toBe('SECURITY_SIGNATURE_INVALID');
    expect(e.details.keyId).toBe(k1.keyId);
    expect(e.message).toContain(k1.keyId);
  });

  it('tampered digest fails as SECURITY_SIGNATURE_INVALID', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1)] }, policy: {} });
    const other = digest.slice();
    other[0] ^= 0xff;
    expect((await failure(v.verify(request([await sign(k1)], { rootDigest: other })))).code).toBe(
      'SECURITY_SIGNATURE_INVALID',
    );
  });

  it('unknown key fails as SECURITY_UNKNOWN_KEY naming the key', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1)] }, policy: {} });
    const e = await failure(v.verify(request([await sign(stranger)])));
    expect(e.code).toBe('SECURITY_UNKNOWN_KEY');
    expect(e.message).toContain(stranger.keyId);
  });

  it('key outside its publisher scope fails as SECURITY_KEY_OUT_OF_SCOPE naming the scopes', async () => {
    const v = createTrustVerifier({
      roots: { version: 1, keys: [entry(k1, { publishers: ['org.other'] })] },
      policy: {},
    });
    const e = await failure(v.verify(request([await sign(k1)])));
    expect(e.code).toBe('SECURITY_KEY_OUT_OF_SCOPE');
    expect(e.message).toContain('org.other');
    expect(e.message).toContain('com.example.apps');
  });

  it('expired and not-yet-valid keys fail with their own codes', async () => {
    const expired = createTrustVerifier({
      roots: { version: 1, keys: [entry(k1, { notAfter: '2026-01-01T00:00:00Z' })] },
      policy: {},
    });
    const e = await failure(expired.verify(request([await sign(k1)])));
    expect(e.code).toBe('SECURITY_KEY_EXPIRED');
    expect(e.message).toContain('2026-01-01');
    const early = createTrustVerifier({
      roots: { version: 1, keys: [entry(k1, { notBefore: '2027-01-01T00:00:00Z' })] },
      policy: {},
    });
    expect((await failure(early.verify(request([await sign(k1)])))).code).toBe('SECURITY_KEY_NOT_YET_VALID');
    const inside = createTrustVerifier({
      roots: { version: 1, keys: [entry(k1, { notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z' })] },
      policy: {},
    });
    await expect(inside.verify(request([await sign(k1)]))).resolves.toMatchObject({ verifiedKeyIds: [k1.keyId] });
  });

  it('revoked key fails as SECURITY_KEY_REVOKED', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1, { revoked: true })] }, policy: {} });
    const e = await failure(v.verify(request([await sign(k1)])));
    expect(e.code).toBe('SECURITY_KEY_REVOKED');
    expect(e.details.keyId).toBe(k1.keyId);
  });

  it('m-of-n: two signatures from the same key do not meet a threshold of 2', async () => {
    const v = createTrustVerifier({
      roots: { version: 1, keys: [entry(k1), entry(k2), entry(k3)] },
      policy: { threshold: 2 },
    });
    const s = await sign(k1);
    const e = await failure(v.verify(request([s, s])));
    expect(e.code).toBe('SECURITY_THRESHOLD_NOT_MET');
    expect(e.details).toMatchObject({ threshold: 2, verifiedKeyIds: [k1.keyId] });
    const ok = await v.verify(request([await sign(k1), await sign(k3)]));
    expect(ok.verifiedKeyIds.sort()).toEqual([k1.keyId, k3.keyId].sort());
    expect(ok.threshold).toBe(2);
  });

  it('m-of-n: a revoked key does not count toward the threshold, and the error lists why', async () => {
    const v = createTrustVerifier({
      roots: { version: 1, keys: [entry(k1), entry(k2, { revoked: true })] },
      policy: { threshold: 2 },
    });
    const e = await failure(v.verify(request([await sign(k1), await sign(k2)])));
    expect(e.code).toBe('SECURITY_THRESHOLD_NOT_MET');
    expect(e.details.rejected).toEqual([expect.objectContaining({ keyId: k2.keyId, code: 'SECURITY_KEY_REVOKED' })]);
    // With threshold 1 the valid signature alone is enough.
    const v1 = createTrustVerifier({
      roots: { version: 1, keys: [entry(k1), entry(k2, { revoked: true })] },
      policy: {},
    });
    await expect(v1.verify(request([await sign(k2), await sign(k1)]))).resolves.toMatchObject({
      verifiedKeyIds: [k1.keyId],
    });
  });

  it('honours manifest expiry', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1)] }, policy: {} });
    const e = await failure(v.verify(request([await sign(k1)], { expires: '2026-05-01T00:00:00Z' })));
    expect(e.code).toBe('SECURITY_MANIFEST_EXPIRED');
    await expect(v.verify(request([await sign(k1)], { expires: '2026-07-01T00:00:00Z' }))).resolves.toBeDefined();
    expect((await failure(v.verify(request([await sign(k1)], { expires: 'soon' })))).code).toBe(
      'SECURITY_REQUEST_INVALID',
    );
  });

  it('rollback: refuses a lower sequence, records only after success, allowRollback overrides', async () => {
    const store = createMemoryVersionStore();
    const roots = { version: 1 as const, keys: [entry(k1)] };
    const v = createTrustVerifier({ roots, policy: {}, versionStore: store });
    const good = await sign(k1);
    expect((await v.verify(request([good], { sequence: 7 }))).previousSequence).toBeUndefined();
    expect(await store.get(APP)).toBe(7);
    const e = await failure(v.verify(request([good], { sequence: 6 })));
    expect(e.code).toBe('SECURITY_ROLLBACK');
    expect(e.details).toMatchObject({ sequence: 6, previousSequence: 7 });
    // A failed verification must not raise the stored sequence.
    await failure(v.verify(request([await sign(stranger)], { sequence: 99 })));
    await failure(v.verify(request([good], { sequence: 50, expires: '2020-01-01T00:00:00Z' })));
    expect(await store.get(APP)).toBe(7);
    expect((await v.verify(request([good], { sequence: 7 }))).previousSequence).toBe(7);
    const lenient = createTrustVerifier({ roots, policy: { allowRollback: true }, versionStore: store });
    await expect(lenient.verify(request([good], { sequence: 3 }))).resolves.toMatchObject({ previousSequence: 7 });
    expect(await store.get(APP)).toBe(7);
    // Unsigned artifacts are checked against the store but never raise it.
    const unsignedOk = createTrustVerifier({ roots, policy: { allowUnsigned: true }, versionStore: store });
    await unsignedOk.verify(request([], { sequence: 1000 }));
    expect(await store.get(APP)).toBe(7);
  });

  it('rollback state is per (publisher, id): another publisher cannot squat an id', async () => {
    const a = generateEd25519KeyPair();
    const b = generateEd25519KeyPair();
    const store = createMemoryVersionStore();
    const roots = {
      version: 1 as const,
      keys: [
        trustedRootEntry(a.publicKey, { publishers: ['com.a.*'] }),
        trustedRootEntry(b.publicKey, { publishers: ['com.b.*'] }),
        trustedRootEntry(stranger.publicKey, { publishers: ['*'] }),
      ],
    };
    const v = createTrustVerifier({ roots, policy: {}, versionStore: store });
    // A key for com.a.* cannot sign the id com.b.app, under any publisher name it is trusted for.
    const squat = await failure(
      v.verify(
        request([await sign(a)], {
          publisher: 'com.a.apps',
          artifactId: 'com.b.app',
          sequence: Number.MAX_SAFE_INTEGER,
        }),
      ),
    );
    expect(squat.code).toBe('SECURITY_ID_OUT_OF_SCOPE');
    expect(squat.message).toContain('com.b.app');
    expect(await store.get({ publisher: 'com.a.apps', artifactId: 'com.b.app' })).toBeUndefined();
    // A key trusted for every publisher may sign the id, but its record is its own publisher's.
    await v.verify(
      request([await sign(stranger)], {
        publisher: 'com.a.apps',
        artifactId: 'com.b.app',
        sequence: Number.MAX_SAFE_INTEGER,
      }),
    );
    await expect(
      v.verify(request([await sign(b)], { publisher: 'com.b.apps', artifactId: 'com.b.app', sequence: 2 })),
    ).resolves.toMatchObject({ verifiedKeyIds: [b.keyId] });
    expect(await store.get({ publisher: 'com.b.apps', artifactId: 'com.b.app' })).toBe(2);
    expect(await store.get({ publisher: 'com.a.apps', artifactId: 'com.b.app' })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('an exact scope covers its own name and the dotted names below it', () => {
    expect(artifactIdInScope('com.a', ['com.a'])).toBe(true);
    expect(artifactIdInScope('com.a.app', ['com.a'])).toBe(true);
    expect(artifactIdInScope('com.ab', ['com.a'])).toBe(false);
    expect(artifactIdInScope('com.b.app', ['com.a.*'])).toBe(false);
    expect(artifactIdInScope('anything', ['*'])).toBe(true);
  });

  it('rejects malformed requests with typed errors naming the field', async () => {
    const v = createTrustVerifier({ roots: { version: 1, keys: [entry(k1)] }, policy: {} });
    for (const [over, field] of [
      [{ sequence: -1 }, 'sequence'],
      [{ sequence: 1.5 }, 'sequence'],
      [{ rootDigest: 'x' }, 'rootDigest'],
      [{ rootDigest: new Uint8Array(31) }, 'rootDigest'],
      [{ artifactId: '' }, 'artifactId'],
      [{ signatures: null }, 'signatures'],
    ] as const) {
      const e = await failure(v.verify(request([], over as never)));
      expect(e.code).toBe('SECURITY_REQUEST_INVALID');
      expect(e.details.field).toBe(field);
    }
    const malformed = await failure(
      v.verify(request([{ keyId: k1.keyId, algorithm: 'ed25519', signature: new Uint8Array(10) }])),
    );
    expect(malformed.code).toBe('SECURITY_SIGNATURE_MALFORMED');
    const alg = await failure(
      v.verify(request([{ keyId: k1.keyId, algorithm: 'rsa' as never, signature: new Uint8Array(64) }])),
    );
    expect(alg.code).toBe('SECURITY_UNSUPPORTED_ALGORITHM');
  });

  it('refuses an invalid threshold at construction', () => {
    expect(() => createTrustVerifier({ roots: { version: 1, keys: [] }, policy: { threshold: 0 } })).toThrow(
      FaygerError,
    );
  });
});

describe('trusted roots document', () => {
  function rootsError(doc: unknown): FaygerError {
    try {
      parseTrustedRoots(doc);
    } catch (e) {
      if (FaygerError.is(e, 'SECURITY_ROOTS_INVALID')) return e;
      throw e;
    }
    throw new Error('expected SECURITY_ROOTS_INVALID');
  }
  const good = () => entry(k1);

  it('parses JSON text, bytes and objects; hex and base64 keys', () => {
    const doc = { version: 1, keys: [good()] };
    expect(parseTrustedRoots(JSON.stringify(doc)).keys.get(k1.keyId)?.publishers).toEqual(['com.example.*']);
    expect(parseTrustedRoots(new TextEncoder().encode(JSON.stringify(doc))).keys.size).toBe(1);
    const hexDoc = { version: 1, keys: [{ ...good(), publicKey: bytesToHex(k1.publicKey) }] };
    expect(bytesToHex(parseTrustedRoots(hexDoc).keys.get(k1.keyId)!.publicKey)).toBe(bytesToHex(k1.publicKey));
  });

  it('names the malformed field', () => {
    expect(rootsError('{not json').details.field).toBe('(document)');
    expect(rootsError({ version: 2, keys: [] }).details.field).toBe('version');
    expect(rootsError({ version: 1 }).details.field).toBe('(document)');
    expect(rootsError({ version: 1, keys: [{ ...good(), publicKey: 'zz' }] }).details.field).toBe('keys[0].publicKey');
    expect(rootsError({ version: 1, keys: [good(), { ...entry(k2), id: 'ed25519:nope' }] }).details.field).toBe(
      'keys[1].id',
    );
    expect(rootsError({ version: 1, keys: [{ ...good(), publishers: [] }] }).details.field).toBe('keys[0].publishers');
    expect(rootsError({ version: 1, keys: [{ ...good(), publishers: ['a*b'] }] }).details.field).toBe(
      'keys[0].publishers[0]',
    );
    expect(rootsError({ version: 1, keys: [{ ...good(), notAfter: 'tomorrow' }] }).details.field).toBe(
      'keys[0].notAfter',
    );
    expect(rootsError({ version: 1, keys: [{ ...good(), revoked: 'yes' }] }).details.field).toBe('keys[0].revoked');
    expect(rootsError({ version: 1, keys: [{ ...good(), algorithm: 'rsa' }] }).details.field).toBe('keys[0].algorithm');
    expect(rootsError({ version: 1, keys: [{ ...good(), extra: 1 }] }).details.field).toMatch(/^keys\[0\]/);
    expect(rootsError({ version: 1, keys: [good(), good()] }).details.field).toBe('keys[1].id');
    const e = rootsError({ version: 1, keys: [{ ...good(), notBefore: '2027-01-01', notAfter: '2026-01-01' }] });
    expect(e.details.field).toBe('keys[0].notAfter');
    expect(e.message).toContain('keys[0].notAfter');
  });

  it('refuses a small-order public key in the roots', () => {
    const small = new Uint8Array(32);
    small[0] = 1; // the identity point
    const e = rootsError({ version: 1, keys: [{ ...good(), publicKey: bytesToHex(small) }] });
    expect(e.details.field).toBe('keys[0].publicKey');
  });

  it('createTrustVerifier fails on a malformed roots document at construction', () => {
    expect(() => createTrustVerifier({ roots: { version: 1, keys: [{ id: 1 }] } as never, policy: {} })).toThrowError(
      expect.objectContaining({ code: 'SECURITY_ROOTS_INVALID' }),
    );
  });

  it('matches publisher scopes exactly or by *-suffix prefix', () => {
    expect(publisherInScope('com.example', ['com.example'])).toBe(true);
    expect(publisherInScope('com.example.x', ['com.example'])).toBe(false);
    expect(publisherInScope('com.example.x', ['com.example.*'])).toBe(true);
    expect(publisherInScope('com.example', ['com.example.*'])).toBe(false);
    expect(publisherInScope('com.examplex', ['com.example.*'])).toBe(false);
    expect(publisherInScope('anything', ['*'])).toBe(true);
  });
});

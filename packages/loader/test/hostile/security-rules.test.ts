import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { createEd25519Signer, createMemoryVersionStore, createTrustVerifier } from '@fayger/security';
import { nodeDigestProvider, nodeEd25519Backend } from '@fayger/security/node';
import { MemorySource, loadBuf, packBuf } from '../../src/index.js';
import { bytes, manifest } from '../helpers.js';
import { assemble, decompose } from './craft.js';

const signer = createEd25519Signer(new Uint8Array(32).fill(9), { backend: nodeEd25519Backend });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function verifier(key: Record<string, unknown> = {}, store = createMemoryVersionStore()) {
  return createTrustVerifier({
    roots: {
      version: 1,
      keys: [
        {
          id: signer.keyId,
          algorithm: 'ed25519',
          publicKey: hex(signer.publicKey),
          publishers: ['example.com', 'com.example.*'],
          ...key,
        },
      ],
    },
    policy: { threshold: 1 },
    versionStore: store,
    ed25519: nodeEd25519Backend,
  });
}

const build = (sequence: number) =>
  packBuf(manifest({ security: { sequence } }), [{ name: 'main', kind: 'code', data: bytes('\0asm') }], {
    digest: nodeDigestProvider,
    signers: [signer],
  });

const load = (b: Uint8Array, trust: ReturnType<typeof verifier>) =>
  loadBuf(new MemorySource(b), {
    digest: nodeDigestProvider,
    trust,
    profile: { host: 'server' },
    supportedInterfaceVersions: ['1.0.0'],
  });

async function code(p: Promise<unknown>) {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!FaygerError.is(e)) throw e;
    return e.code;
  }
}

describe('security rules through @fayger/security', () => {
  it('accepts a valid artifact and rejects a lower sequence (rollback)', async () => {
    const store = createMemoryVersionStore();
    const v = verifier({}, store);
    expect(await code(load(await build(5), v))).toBe('ok');
    expect(await code(load(await build(4), v))).toBe('SECURITY_ROLLBACK');
    expect(await code(load(await build(5), v))).toBe('ok');
  });

  it('rejects an expired key and a key outside its publisher scope', async () => {
    const a = await build(1);
    const expired = await code(load(a, verifier({ notAfter: '2001-01-01T00:00:00Z' })));
    expect(expired).toBe('SECURITY_KEY_EXPIRED');
    const scoped = await code(load(a, verifier({ publishers: ['other.org'] })));
    expect(scoped).toBe('SECURITY_KEY_OUT_OF_SCOPE');
    // The publisher is in scope but the id (com.example.hello) is not: a key cannot sign another namespace's id.
    const id = await code(load(a, verifier({ publishers: ['example.com'] })));
    expect(id).toBe('SECURITY_ID_OUT_OF_SCOPE');
  });

  it('rejects an unknown critical flag even when validly signed', async () => {
    const parts = decompose(await build(1));
    const flagged = await assemble(parts, { digest: nodeDigestProvider, signers: [signer], criticalFlags: 1 << 4 });
    const err = await load(flagged, verifier()).catch((e) => e);
    expect(err.code).toBe('LOADER_FORMAT_UNSUPPORTED');
    expect(err.phase).toBe('negotiate-version');
    // An unknown minor without critical flags is accepted.
    const minor = await assemble(parts, { digest: nodeDigestProvider, signers: [signer], minor: 7 });
    const ok = await load(minor, verifier());
    expect(ok.version.format).toEqual({ major: 1, minor: 7 });
  });

  it('rejects an unsigned artifact unless the policy allows it', async () => {
    const unsigned = await packBuf(manifest(), [{ name: 'main', kind: 'code', data: bytes('x') }], {
      digest: nodeDigestProvider,
    });
    expect(await code(load(unsigned, verifier()))).toMatch(/^(SECURITY_UNSIGNED|LOADER_UNSIGNED)$/);
  });
});

// Test-only security stand-ins over node:crypto (the loader itself only sees the contracts ports).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomInt,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  FaygerError,
  type BufSource,
  type DigestProvider,
  type Manifest,
  type SignatureCheckRequest,
  type SignatureCheckResult,
  type Signer,
  type TrustVerifier,
} from '@fayger/contracts';

export const nodeDigest: DigestProvider = {
  name: 'test-node-crypto',
  async digest(_a, data) {
    return new Uint8Array(createHash('sha256').update(data).digest());
  },
  digestSync(_a, data) {
    return new Uint8Array(createHash('sha256').update(data).digest());
  },
  createHasher() {
    const h = createHash('sha256');
    const api = {
      update(d: Uint8Array) {
        h.update(d);
        return api;
      },
      digest: () => new Uint8Array(h.digest()),
    };
    return api as never;
  },
};

/** Async-only provider (like WebCrypto) to exercise the non-sync paths. */
export const asyncDigest: DigestProvider = { name: 'test-async', digest: nodeDigest.digest };

// Deterministic keys from fixed seeds (PKCS#8 prefix for a raw ed25519 seed).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
export function testSigner(keyId: string, seedByte: number): Signer & { key: KeyObject } {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.alloc(32, seedByte)]),
    format: 'der',
    type: 'pkcs8',
  });
  const pub = createPublicKey(key).export({ format: 'der', type: 'spki' }) as Buffer;
  return {
    keyId,
    algorithm: 'ed25519',
    publicKey: new Uint8Array(pub.subarray(pub.length - 32)),
    key,
    async sign(message) {
      return new Uint8Array(sign(null, message, key));
    },
  };
}
void generateKeyPairSync;

/** Minimal trust verifier: known keys, threshold, publisher scope, sequence floor. */
export function testVerifier(
  signers: Signer[],
  opts: { threshold?: number; publisher?: string; minSequence?: number } = {},
): TrustVerifier {
  const keys = new Map(
    signers.map((s) => [
      s.keyId,
      createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(s.publicKey)]),
        format: 'der',
        type: 'spki',
      }),
    ]),
  );
  return {
    async verify(req: SignatureCheckRequest): Promise<SignatureCheckResult> {
      const threshold = opts.threshold ?? 1;
      if (opts.publisher && req.publisher !== opts.publisher) {
        throw new FaygerError({
          code: 'SECURITY_KEY_OUT_OF_SCOPE',
          phase: 'signature',
          what: 'test scope',
          found: req.publisher,
        });
      }
      if (opts.minSequence !== undefined && req.sequence < opts.minSequence) {
        throw new FaygerError({
          code: 'SECURITY_ROLLBACK',
          phase: 'rollback',
          what: 'test rollback',
          found: String(req.sequence),
        });
      }
      const ok = req.signatures.filter((s) => {
        const k = keys.get(s.keyId);
        return k !== undefined && verify(null, req.rootDigest, k, s.signature);
      });
      if (ok.length < threshold) {
        // The codes a real TrustVerifier gives (INVALID_ARGUMENT would blame the caller for a bad artifact).
        throw new FaygerError({
          code: ok.length === 0 ? 'SECURITY_SIGNATURE_INVALID' : 'SECURITY_THRESHOLD_NOT_MET',
          phase: 'signature',
          what: 'test signature check',
          expected: `${threshold} valid signature(s)`,
          found: `${ok.length} valid`,
        });
      }
      return { verifiedKeyIds: ok.map((s) => s.keyId), threshold, unsigned: false };
    },
  };
}

export function manifest(over: Partial<Manifest> = {}): Manifest {
  return {
    id: 'com.example.hello',
    version: '1.2.3',
    publisher: 'example.com',
    runtime: { interface: '^1.0.0', implementation: { preferred: ['@fayger/interpreter'] } },
    entry: { section: 'main', export: '_start' },
    capabilities: [{ name: 'log', required: true }],
    quotas: { fuel: 1_000_000, memoryPages: 16 },
    security: { sequence: 1 },
    ...over,
  };
}

export const bytes = (s: string) => new TextEncoder().encode(s);

/** Wraps a source and fails the test if anything reads outside [0, size). Counts bytes read. */
export class GuardedSource implements BufSource {
  bytesRead = 0;
  reads = 0;
  /** Out-of-bounds requests: the loader asked for bytes past the source (must stay empty). */
  violations: string[] = [];
  constructor(
    private readonly inner: BufSource,
    private readonly limit: number,
  ) {}
  size(s?: AbortSignal) {
    return this.inner.size(s);
  }
  async read(offset: number, length: number, s?: AbortSignal) {
    if (offset < 0 || length < 0 || offset + length > this.limit) {
      this.violations.push(`${offset}+${length} > ${this.limit}`);
      throw new Error(`GUARD: read outside the source: ${offset}+${length} > ${this.limit}`);
    }
    this.reads++;
    this.bytesRead += length;
    return this.inner.read(offset, length, s);
  }
  describe() {
    return this.inner.describe();
  }
}

/**
 * The seed of a fuzz or property test: FAYGER_FUZZ_SEED when set (to reproduce a failure), else a fresh one per
 * run, printed so any failure can be replayed with `FAYGER_FUZZ_SEED=<seed>`.
 */
export function fuzzSeed(test: string): number {
  const fromEnv = process.env.FAYGER_FUZZ_SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : randomInt(0, 2 ** 32 - 1);
  console.log(
    `[fuzz] ${test}: seed ${seed}${fromEnv ? ' (FAYGER_FUZZ_SEED)' : ' (fresh; reproduce with FAYGER_FUZZ_SEED=' + seed + ')'}`,
  );
  return seed;
}

import {
  FaygerError,
  type DigestProvider,
  type ErrorCode,
  type SignatureCheckRequest,
  type SignatureCheckResult,
  type SignatureRecord,
  type TrustVerifier,
  type VersionStore,
} from '@fayger/contracts';
import type { Ed25519Backend } from '../ed25519/backend.js';
import { checkEd25519SignatureEncoding } from '../ed25519/policy.js';
import { verifyEd25519 } from '../ed25519/sign-verify.js';
import {
  artifactIdInScope,
  parseTrustedRoots,
  publisherInScope,
  type TrustedKey,
  type TrustedRoots,
  type TrustedRootsInput,
} from '../roots/parse.js';
import type { TrustPolicy } from './policy.js';

export interface TrustVerifierOptions {
  /** Parsed roots (parseTrustedRoots), or the document as an object, JSON text or bytes (validated here). */
  roots: TrustedRootsInput;
  /** Required. Missing → every verify() fails with SECURITY_NO_POLICY. */
  policy: TrustPolicy | undefined;
  /** Rollback protection. Without one, sequences are not tracked (stated in the result as previousSequence undefined). */
  versionStore?: VersionStore;
  /**
   * Accepted for symmetry with the loader options; verification itself hashes nothing but what Ed25519
   * does internally (SHA-512), so the provider is currently not consulted.
   */
  digest?: DigestProvider;
  /** Overrides the auto-detected Ed25519 backend. */
  ed25519?: Ed25519Backend;
}

/** Why one signature did not count. */
export interface RejectedSignature {
  keyId: string;
  code: ErrorCode;
  reason: string;
}

function isParsedRoots(v: unknown): v is TrustedRoots {
  return typeof v === 'object' && v !== null && (v as { keys?: unknown }).keys instanceof Map;
}

function fail(
  code: ErrorCode,
  what: string,
  expected: string,
  found: string,
  details: Record<string, unknown>,
  hint?: string,
): FaygerError {
  return new FaygerError({ code, phase: 'signature', what, expected, found, details, ...(hint ? { hint } : {}) });
}

/**
 * TrustVerifier (contracts) over trusted roots and a policy: m-of-n distinct trusted keys, publisher scopes
 * (the manifest publisher and the artifact id must both lie inside the signing key's scopes), key validity
 * windows and revocation, manifest expiry, rollback protection per (publisher, id). Signatures are checked first,
 * then expiry, then rollback; the sequence is recorded only after everything passed.
 */
export function createTrustVerifier(options: TrustVerifierOptions): TrustVerifier {
  const policy = options.policy;
  // Malformed roots fail here, at configuration time, not on the first artifact.
  const roots: TrustedRoots = isParsedRoots(options.roots) ? options.roots : parseTrustedRoots(options.roots);
  const threshold = policy?.threshold ?? 1;
  if (policy && (!Number.isSafeInteger(threshold) || threshold < 1)) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'signature',
      what: 'creating a trust verifier',
      expected: 'policy.threshold to be an integer ≥ 1',
      found: String(policy.threshold),
    });
  }
  const store = options.versionStore;

  return {
    async verify(request: SignatureCheckRequest): Promise<SignatureCheckResult> {
      if (!policy) {
        throw new FaygerError({
          code: 'SECURITY_NO_POLICY',
          phase: 'signature',
          what: `verifying ${String(request?.artifactId)}`,
          expected: 'a trust policy',
          found: 'none',
        });
      }
      validateRequest(request);
      const now = request.now ?? new Date();
      const subject = `${request.artifactId} (publisher ${request.publisher})`;

      let verifiedKeyIds: string[] = [];
      let unsigned = false;
      if (request.signatures.length === 0) {
        if (!policy.allowUnsigned) {
          throw fail(
            'SECURITY_UNSIGNED',
            `verifying ${subject}`,
            `at least ${threshold} signature(s) from trusted keys`,
            'no signatures',
            {
              artifactId: request.artifactId,
              threshold,
            },
          );
        }
        unsigned = true;
      } else {
        const { verified, rejected } = await evaluate(roots, request, now, options.ed25519);
        verifiedKeyIds = verified;
        if (verified.length < threshold) throw thresholdError(subject, request, threshold, verified, rejected);
      }

      if (request.expires !== undefined && now.getTime() > Date.parse(request.expires)) {
        throw fail(
          'SECURITY_MANIFEST_EXPIRED',
          `verifying ${subject}`,
          `a manifest valid at ${now.toISOString()}`,
          `expires ${request.expires}`,
          {
            artifactId: request.artifactId,
            expires: request.expires,
            now: now.toISOString(),
          },
        );
      }

      // Keyed by (publisher, id): another publisher's releases never move this app's floor.
      const versionKey = { publisher: request.publisher, artifactId: request.artifactId };
      const previousSequence = store ? await store.get(versionKey) : undefined;
      if (previousSequence !== undefined && request.sequence < previousSequence && !policy.allowRollback) {
        throw fail(
          'SECURITY_ROLLBACK',
          `verifying ${subject}`,
          `sequence ≥ ${previousSequence} (the highest already accepted)`,
          `sequence ${request.sequence}`,
          {
            artifactId: request.artifactId,
            publisher: request.publisher,
            sequence: request.sequence,
            previousSequence,
          },
        );
      }
      // Unsigned sequences are unauthenticated: recording them would let anyone block future updates.
      if (store && !unsigned) await store.record(versionKey, request.sequence);

      const result: SignatureCheckResult = { verifiedKeyIds, threshold: unsigned ? 0 : threshold, unsigned };
      if (previousSequence !== undefined) result.previousSequence = previousSequence;
      return result;
    },
  };
}

function validateRequest(r: SignatureCheckRequest): void {
  const bad = (field: string, expected: string, found: unknown) =>
    new FaygerError({
      code: 'SECURITY_REQUEST_INVALID',
      phase: 'signature',
      what: `checking the signature request (field ${field})`,
      expected,
      found: typeof found === 'string' ? JSON.stringify(found) : String(found),
      details: { field },
    });
  if (typeof r !== 'object' || r === null) throw bad('(request)', 'an object', r);
  if (typeof r.artifactId !== 'string' || r.artifactId === '')
    throw bad('artifactId', 'a non-empty string', r.artifactId);
  if (typeof r.publisher !== 'string' || r.publisher === '') throw bad('publisher', 'a non-empty string', r.publisher);
  if (typeof r.sequence !== 'number' || !Number.isSafeInteger(r.sequence) || r.sequence < 0) {
    throw bad('sequence', 'a non-negative safe integer', r.sequence);
  }
  if (r.expires !== undefined && (typeof r.expires !== 'string' || Number.isNaN(Date.parse(r.expires)))) {
    throw bad('expires', 'an ISO 8601 date-time', r.expires);
  }
  if (!(r.rootDigest instanceof Uint8Array)) throw bad('rootDigest', 'a Uint8Array', r.rootDigest);
  // BuF v1 root digests are SHA-256; anything else means the caller passed the wrong bytes.
  if (r.rootDigest.length !== 32) throw bad('rootDigest', '32 bytes (SHA-256)', `${r.rootDigest.length} bytes`);
  if (!Array.isArray(r.signatures)) throw bad('signatures', 'an array', r.signatures);
  if (r.now !== undefined && (!(r.now instanceof Date) || Number.isNaN(r.now.getTime())))
    throw bad('now', 'a valid Date', r.now);
}

async function evaluate(
  roots: TrustedRoots,
  request: SignatureCheckRequest,
  now: Date,
  backend: Ed25519Backend | undefined,
): Promise<{ verified: string[]; rejected: RejectedSignature[] }> {
  const verified: string[] = [];
  const rejected: RejectedSignature[] = [];
  for (const sig of request.signatures) {
    const outcome = await judge(roots, request, sig, now, backend);
    const keyId = typeof sig?.keyId === 'string' ? sig.keyId : String(sig?.keyId);
    if (outcome) rejected.push({ keyId, ...outcome });
    else if (verified.includes(keyId)) {
      rejected.push({
        keyId,
        code: 'SECURITY_THRESHOLD_NOT_MET',
        reason: 'a second signature by the same key does not count again',
      });
    } else verified.push(keyId);
  }
  return { verified, rejected };
}

async function judge(
  roots: TrustedRoots,
  request: SignatureCheckRequest,
  sig: SignatureRecord,
  now: Date,
  backend: Ed25519Backend | undefined,
): Promise<Omit<RejectedSignature, 'keyId'> | undefined> {
  if (typeof sig !== 'object' || sig === null || typeof sig.keyId !== 'string') {
    return { code: 'SECURITY_SIGNATURE_MALFORMED', reason: 'the signature record has no key id' };
  }
  if (sig.algorithm !== 'ed25519') {
    return {
      code: 'SECURITY_UNSUPPORTED_ALGORITHM',
      reason: `algorithm ${JSON.stringify(sig.algorithm)} is not supported (ed25519 only)`,
    };
  }
  const key: TrustedKey | undefined = roots.keys.get(sig.keyId);
  if (!key) return { code: 'SECURITY_UNKNOWN_KEY', reason: `key ${sig.keyId} is not in the trusted roots` };
  if (key.revoked) return { code: 'SECURITY_KEY_REVOKED', reason: `key ${key.id} is revoked` };
  if (key.notBefore && now.getTime() < key.notBefore.getTime()) {
    return {
      code: 'SECURITY_KEY_NOT_YET_VALID',
      reason: `key ${key.id} is valid from ${key.notBefore.toISOString()}, now is ${now.toISOString()}`,
    };
  }
  if (key.notAfter && now.getTime() > key.notAfter.getTime()) {
    return {
      code: 'SECURITY_KEY_EXPIRED',
      reason: `key ${key.id} expired at ${key.notAfter.toISOString()}, now is ${now.toISOString()}`,
    };
  }
  if (!publisherInScope(request.publisher, key.publishers)) {
    return {
      code: 'SECURITY_KEY_OUT_OF_SCOPE',
      reason: `key ${key.id} is trusted for publishers [${key.publishers.join(', ')}], not for ${request.publisher}`,
    };
  }
  if (!artifactIdInScope(request.artifactId, key.publishers)) {
    return {
      code: 'SECURITY_ID_OUT_OF_SCOPE',
      reason: `key ${key.id} is trusted for [${key.publishers.join(', ')}]; the artifact id ${request.artifactId} lies outside (an id must be a name inside the signing key's scope)`,
    };
  }
  if (!(sig.signature instanceof Uint8Array) || checkEd25519SignatureEncoding(sig.signature) !== undefined) {
    const why =
      sig.signature instanceof Uint8Array ? checkEd25519SignatureEncoding(sig.signature) : 'the signature is not bytes';
    return { code: 'SECURITY_SIGNATURE_MALFORMED', reason: `signature by ${key.id}: ${why}` };
  }
  const ok = await verifyEd25519(key.publicKey, request.rootDigest, sig.signature, backend ? { backend } : {});
  if (!ok)
    return {
      code: 'SECURITY_SIGNATURE_INVALID',
      reason: `signature by ${key.id} does not verify over the root digest`,
    };
  return undefined;
}

function thresholdError(
  subject: string,
  request: SignatureCheckRequest,
  threshold: number,
  verified: string[],
  rejected: RejectedSignature[],
): FaygerError {
  const details = {
    artifactId: request.artifactId,
    publisher: request.publisher,
    threshold,
    verifiedKeyIds: verified,
    rejected,
  };
  const codes = new Set(rejected.map((r) => r.code));
  // One clear reason beats a generic threshold message: name it when every rejection shares it and nothing verified.
  if (verified.length === 0 && codes.size === 1) {
    const [code] = codes;
    const only = rejected[0];
    return fail(
      code,
      `verifying ${subject}`,
      `${threshold} valid signature(s) from distinct trusted keys`,
      rejected.length === 1
        ? only.reason
        : `${rejected.length} signatures rejected: ${rejected.map((r) => r.reason).join('; ')}`,
      { ...details, keyId: only.keyId },
    );
  }
  return fail(
    'SECURITY_THRESHOLD_NOT_MET',
    `verifying ${subject}`,
    `${threshold} valid signature(s) from distinct trusted keys`,
    `${verified.length} (${verified.join(', ') || 'none'})${rejected.length ? `; rejected: ${rejected.map((r) => `${r.keyId}: ${r.reason}`).join('; ')}` : ''}`,
    details,
  );
}

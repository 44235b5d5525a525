/**
 * Security ports. The loader depends on these interfaces only; `@fayger/security` implements them.
 * Hashing and signature checks run in the host, never inside the guest.
 */

/** Digest algorithms a BuF header may name. v1 defines sha256 only (header code 1). */
export type DigestAlgorithm = 'sha256';

/** Incremental hasher for streaming large bodies. */
export interface Hasher {
  update(data: Uint8Array): this;
  digest(): Uint8Array;
}

/** One digest implementation (node:crypto, WebCrypto, @noble/hashes…). All give identical output. */
export interface DigestProvider {
  /** e.g. "node:crypto", "webcrypto", "noble". */
  readonly name: string;
  digest(algorithm: DigestAlgorithm, data: Uint8Array): Promise<Uint8Array>;
  /** Present when the provider can hash synchronously (node:crypto, noble; not WebCrypto). */
  digestSync?(algorithm: DigestAlgorithm, data: Uint8Array): Uint8Array;
  /** Present when the provider can hash incrementally. */
  createHasher?(algorithm: DigestAlgorithm): Hasher;
}

export type SignatureAlgorithm = 'ed25519';

/** A signature as stored in a BuF signature section. */
export interface SignatureRecord {
  keyId: string;
  algorithm: SignatureAlgorithm;
  /** 64 bytes for ed25519. */
  signature: Uint8Array;
}

/** Produces signatures; used by the builder and the CLI. */
export interface Signer {
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  /** 32-byte ed25519 public key. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** What the loader asks the trust verifier to check. */
export interface SignatureCheckRequest {
  artifactId: string;
  publisher: string;
  /** Monotonic manifest sequence, for rollback protection. */
  sequence: number;
  /** Manifest expiry (ISO 8601), if any. */
  expires?: string;
  /** The message that was signed: the root digest committing to header, manifest and index. */
  rootDigest: Uint8Array;
  signatures: SignatureRecord[];
  /** Evaluation time; defaults to now. */
  now?: Date;
}

/** A successful verification; failures throw a FaygerError with a SECURITY_* code. */
export interface SignatureCheckResult {
  /** Distinct trusted keys whose signatures verified. */
  verifiedKeyIds: string[];
  /** Threshold that was required. */
  threshold: number;
  /** True only when the embedder explicitly allowed unsigned artifacts and this one is unsigned. */
  unsigned: boolean;
  /** Highest sequence seen before this load for the artifact id (undefined: first sighting). */
  previousSequence?: number;
}

/** Verifies signatures against trusted roots and a trust policy (threshold, scopes, expiry, rollback). */
export interface TrustVerifier {
  verify(request: SignatureCheckRequest): Promise<SignatureCheckResult>;
}

/**
 * Whose sequence a VersionStore entry is: an app is its (publisher, id) pair, so one publisher's releases can
 * never move the rollback floor of another publisher's app, whatever id it writes in its manifest.
 */
export interface VersionKey {
  publisher: string;
  artifactId: string;
}

/** Keeps the highest manifest `sequence` seen per (publisher, artifact id) (rollback protection, offline). */
export interface VersionStore {
  get(key: VersionKey): Promise<number | undefined>;
  /** Records `sequence` if it is higher than the stored one. */
  record(key: VersionKey, sequence: number): Promise<void>;
}

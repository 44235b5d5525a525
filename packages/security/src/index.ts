// Public API of @fayger/security (host-neutral). Node-only pieces live in `@fayger/security/node`.

export { nobleDigestProvider } from './digest/noble.js';
export { createWebCryptoDigestProvider } from './digest/webcrypto.js';
export type { WebCryptoDigestOptions, SubtleDigest } from './digest/webcrypto.js';
export { detectDigestProvider } from './digest/detect.js';

export type { Ed25519Backend } from './ed25519/backend.js';
export { nobleEd25519Backend } from './ed25519/noble.js';
export { createWebCryptoEd25519Backend, webCryptoSupportsEd25519 } from './ed25519/webcrypto.js';
export { detectEd25519Backend } from './ed25519/detect.js';
export { checkEd25519PublicKey, checkEd25519SignatureEncoding } from './ed25519/policy.js';
export { ed25519KeyId } from './ed25519/key-id.js';
export {
  verifyEd25519,
  createEd25519Signer,
  generateEd25519KeyPair,
  ed25519PublicKeyFromSecret,
} from './ed25519/sign-verify.js';
export type { Ed25519Options, Ed25519KeyPair } from './ed25519/sign-verify.js';

export { TrustedRootsSchema, TrustedKeyEntrySchema, PublisherScopeSchema } from './roots/schema.js';
export type { TrustedRootsDocument, TrustedKeyEntry } from './roots/schema.js';
export { parseTrustedRoots, trustedRootEntry, publisherInScope, artifactIdInScope } from './roots/parse.js';
export type { TrustedRoots, TrustedRootsInput, TrustedKey, TrustedRootEntryOptions } from './roots/parse.js';

export type { TrustPolicy } from './trust/policy.js';
export { createTrustVerifier } from './trust/verifier.js';
export type { TrustVerifierOptions, RejectedSignature } from './trust/verifier.js';

export { createMemoryVersionStore } from './versions/memory.js';

export { formatSecretKeyFile, parseSecretKeyFile } from './keys/secret-key-file.js';
export type { SecretKeyFile, LoadedSecretKey } from './keys/secret-key-file.js';

export { bytesToHex, hexToBytes, bytesToBase64, base64ToBytes } from './bytes.js';

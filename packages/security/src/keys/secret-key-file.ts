import { FaygerError } from '@fayger/contracts';
import { base64ToBytes, bytesEqual, bytesToBase64 } from '../bytes.js';
import { ed25519KeyId } from '../ed25519/key-id.js';
import { noblePublicKeyFromSecret } from '../ed25519/noble.js';

/** On-disk form of an Ed25519 secret key (written by `fayger keygen`, mode 0600). */
export interface SecretKeyFile {
  type: 'fayger-ed25519-secret-key';
  version: 1;
  keyId: string;
  /** base64 of the 32-byte seed. */
  secretKey: string;
  /** base64 of the 32-byte public key (checked against the seed on load). */
  publicKey: string;
  /**
   * The publisher scopes the key was created for (its trusted-roots entry's `publishers`), so a signing tool can
   * refuse an artifact the key will not be trusted for. Absent in files written before it was recorded.
   */
  publishers?: string[];
}

export function formatSecretKeyFile(secretKey: Uint8Array, options: { publishers?: readonly string[] } = {}): string {
  const publicKey = noblePublicKeyFromSecret(secretKey);
  const file: SecretKeyFile = {
    type: 'fayger-ed25519-secret-key',
    version: 1,
    keyId: ed25519KeyId(publicKey),
    secretKey: bytesToBase64(secretKey),
    publicKey: bytesToBase64(publicKey),
    ...(options.publishers ? { publishers: [...options.publishers] } : {}),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface LoadedSecretKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  keyId: string;
  /** The publisher scopes recorded in the file (absent in older files). */
  publishers?: string[];
}

export function parseSecretKeyFile(text: string): LoadedSecretKey {
  const bad = (field: string, expected: string, found: string) =>
    new FaygerError({
      code: 'SECURITY_KEY_INVALID',
      phase: 'key-file',
      what: `reading a secret key file (field ${field})`,
      expected,
      found,
      details: { field },
    });
  let doc: Partial<SecretKeyFile>;
  try {
    doc = JSON.parse(text) as Partial<SecretKeyFile>;
  } catch {
    throw bad('(document)', 'JSON written by `fayger keygen`', 'unparsable text');
  }
  if (typeof doc !== 'object' || doc === null || doc.type !== 'fayger-ed25519-secret-key') {
    throw bad('type', '"fayger-ed25519-secret-key"', JSON.stringify((doc as { type?: unknown } | null)?.type));
  }
  if (doc.version !== 1) throw bad('version', '1', JSON.stringify(doc.version));
  const secretKey = typeof doc.secretKey === 'string' ? base64ToBytes(doc.secretKey) : undefined;
  if (secretKey?.length !== 32) throw bad('secretKey', 'base64 of 32 bytes', typeof doc.secretKey);
  const publicKey = noblePublicKeyFromSecret(secretKey);
  const stated = typeof doc.publicKey === 'string' ? base64ToBytes(doc.publicKey) : undefined;
  if (!stated || !bytesEqual(stated, publicKey))
    throw bad('publicKey', 'the public key of secretKey', 'a different or malformed key');
  const keyId = ed25519KeyId(publicKey);
  if (doc.keyId !== keyId) throw bad('keyId', keyId, JSON.stringify(doc.keyId));
  if (
    doc.publishers !== undefined &&
    (!Array.isArray(doc.publishers) ||
      doc.publishers.length === 0 ||
      !doc.publishers.every((p) => typeof p === 'string' && p.length > 0))
  ) {
    throw bad('publishers', 'a non-empty array of publisher scopes', JSON.stringify(doc.publishers));
  }
  return { secretKey, publicKey, keyId, ...(doc.publishers ? { publishers: [...doc.publishers] } : {}) };
}

import { sha256 } from '@noble/hashes/sha2.js';
import { FaygerError } from '@fayger/contracts';
import { bytesToBase64 } from '../bytes.js';

/**
 * Key id of an Ed25519 public key: `ed25519:` + base64url (no padding) of the first 16 bytes of
 * SHA-256(public key). 128 bits keep ids short while collisions stay infeasible; the id is derived, never
 * chosen, so one key cannot appear under two ids (which would defeat distinct-key thresholds).
 */
export function ed25519KeyId(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new FaygerError({
      code: 'SECURITY_KEY_INVALID',
      phase: 'key-id',
      what: 'deriving an Ed25519 key id',
      expected: 'a 32-byte public key',
      found: publicKey instanceof Uint8Array ? `${publicKey.length} bytes` : typeof publicKey,
    });
  }
  return `ed25519:${bytesToBase64(sha256(publicKey).subarray(0, 16), true)}`;
}

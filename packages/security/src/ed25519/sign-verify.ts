import { ed25519 } from '@noble/curves/ed25519.js';
import { FaygerError, type Signer } from '@fayger/contracts';
import type { Ed25519Backend } from './backend.js';
import { detectEd25519Backend } from './detect.js';
import { ed25519KeyId } from './key-id.js';
import { noblePublicKeyFromSecret } from './noble.js';
import { checkEd25519PublicKey, checkEd25519SignatureEncoding } from './policy.js';

export interface Ed25519Options {
  /** Overrides the auto-detected backend. */
  backend?: Ed25519Backend;
}

/**
 * Strict Ed25519 verification (policy in the README and policy.ts). Returns false for any signature that
 * does not verify, including malformed ones; never throws for bad signature bytes.
 */
export async function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: Ed25519Options = {},
): Promise<boolean> {
  if (!(message instanceof Uint8Array)) return false;
  if (checkEd25519PublicKey(publicKey) !== undefined) return false;
  if (checkEd25519SignatureEncoding(signature) !== undefined) return false;
  return (options.backend ?? detectEd25519Backend()).verify(publicKey, message, signature);
}

export interface Ed25519KeyPair {
  /** 32-byte RFC 8032 secret key (seed). Keep it private. */
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  keyId: string;
}

/** Fresh key pair from the host CSPRNG (crypto.getRandomValues). */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { secretKey, publicKey, keyId: ed25519KeyId(publicKey) };
}

export function ed25519PublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  assertSecretKey(secretKey);
  return noblePublicKeyFromSecret(secretKey);
}

function assertSecretKey(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new FaygerError({
      code: 'SECURITY_KEY_INVALID',
      phase: 'sign',
      what: 'loading an Ed25519 secret key',
      expected: 'a 32-byte secret key (seed)',
      found: secretKey instanceof Uint8Array ? `${secretKey.length} bytes` : typeof secretKey,
    });
  }
}

/** A `Signer` (contracts) over a 32-byte Ed25519 secret key. */
export function createEd25519Signer(secretKey: Uint8Array, options: Ed25519Options = {}): Signer {
  assertSecretKey(secretKey);
  const seed = secretKey.slice();
  const publicKey = noblePublicKeyFromSecret(seed);
  const backend = options.backend ?? detectEd25519Backend();
  return {
    keyId: ed25519KeyId(publicKey),
    algorithm: 'ed25519',
    publicKey,
    async sign(message: Uint8Array) {
      if (!(message instanceof Uint8Array)) {
        throw new FaygerError({
          code: 'INVALID_ARGUMENT',
          phase: 'sign',
          what: 'signing',
          expected: 'a Uint8Array message',
          found: typeof message,
        });
      }
      return new Uint8Array(await backend.sign(seed, message));
    },
  };
}

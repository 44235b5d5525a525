import { bytesToHex } from '../bytes.js';
import { BoundedCache, pkcs8FromSeed, type Ed25519Backend } from './backend.js';

const ALG = { name: 'Ed25519' } as const;

/** Ed25519 through WebCrypto (Chrome 137+, Firefox 129+, Safari 17+, Node ≥ 20). */
export function createWebCryptoEd25519Backend(
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Ed25519Backend {
  if (!subtle) throw new Error('createWebCryptoEd25519Backend: this host has no crypto.subtle');
  const keys = new BoundedCache<Promise<CryptoKey>>();
  return {
    name: 'webcrypto',
    async verify(publicKey, message, signature) {
      const hex = bytesToHex(publicKey);
      let key = keys.get(hex);
      if (!key) {
        key = keys.set(hex, subtle.importKey('raw', publicKey as BufferSource, ALG, false, ['verify']));
        // A failed import must not poison the cache for later, valid calls.
        key.catch(() => keys.set(hex, undefined as never));
      }
      try {
        return await subtle.verify(ALG, await key, signature as BufferSource, message as BufferSource);
      } catch {
        return false;
      }
    },
    async sign(secretKey, message) {
      const key = await subtle.importKey('pkcs8', pkcs8FromSeed(secretKey) as BufferSource, ALG, false, ['sign']);
      return new Uint8Array(await subtle.sign(ALG, key, message as BufferSource));
    },
  };
}

/** True when the host's WebCrypto implements Ed25519 (older browsers throw NotSupportedError). */
export async function webCryptoSupportsEd25519(
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<boolean> {
  if (!subtle) return false;
  try {
    // Base point encoding: a valid public key that any implementation must import.
    const base = new Uint8Array(32);
    base[0] = 0x58;
    base.fill(0x66, 1);
    await subtle.importKey('raw', base, ALG, false, ['verify']);
    return true;
  } catch {
    return false;
  }
}

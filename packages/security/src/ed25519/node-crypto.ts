import { bytesToBase64, bytesToHex } from '../bytes.js';
import { BoundedCache, pkcs8FromSeed, type Ed25519Backend } from './backend.js';

/** The slice of `node:crypto` used for Ed25519 (structural: this file never imports `node:crypto`). */
export interface NodeSignModule {
  createPublicKey(input: { key: Record<string, string>; format: 'jwk' }): unknown;
  createPrivateKey(input: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): unknown;
  verify(algorithm: null, data: Uint8Array, key: never, signature: Uint8Array): boolean;
  sign(algorithm: null, data: Uint8Array, key: never): Uint8Array;
}

export function createNodeCryptoEd25519Backend(crypto: NodeSignModule): Ed25519Backend {
  const keys = new BoundedCache<unknown>();
  return {
    name: 'node:crypto',
    verify(publicKey, message, signature) {
      const hex = bytesToHex(publicKey);
      let key = keys.get(hex);
      if (key === undefined) {
        try {
          key = crypto.createPublicKey({
            key: { kty: 'OKP', crv: 'Ed25519', x: bytesToBase64(publicKey, true) },
            format: 'jwk',
          });
        } catch {
          return false;
        }
        keys.set(hex, key);
      }
      try {
        return crypto.verify(null, message, key as never, signature);
      } catch {
        return false;
      }
    },
    sign(secretKey, message) {
      const key = crypto.createPrivateKey({ key: pkcs8FromSeed(secretKey), format: 'der', type: 'pkcs8' });
      return new Uint8Array(crypto.sign(null, message, key as never));
    },
  };
}

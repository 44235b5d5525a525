/**
 * One Ed25519 implementation. Backends only compute RFC 8032 verification and signing; the strict policy
 * checks (canonical S, canonical non-small-order R, strict public keys) run before a backend is asked,
 * in `verifyEd25519`, so every backend gives the same verdict on the same input.
 */
export interface Ed25519Backend {
  /** e.g. "noble", "node:crypto", "webcrypto". */
  readonly name: string;
  /** Cofactorless RFC 8032 check `[S]B = R + [k]A`, R compared by its encoding. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
  /** Signs with a 32-byte secret key (the RFC 8032 seed). */
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** PKCS#8 prefix for a raw 32-byte Ed25519 seed (RFC 8410); native APIs import private keys in this form. */
export const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export function pkcs8FromSeed(seed: Uint8Array): Uint8Array {
  const out = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  out.set(PKCS8_ED25519_PREFIX, 0);
  out.set(seed, PKCS8_ED25519_PREFIX.length);
  return out;
}

/** Small bounded cache: trusted roots hold few keys, but an attacker may present many unknown ones. */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit = 256) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): V {
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
    return value;
  }
}

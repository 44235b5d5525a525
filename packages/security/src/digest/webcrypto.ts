import type { DigestProvider } from '@fayger/contracts';
import { assertBytes, assertDigestAlgorithm } from './algorithm.js';

/** The part of SubtleCrypto the digest provider needs (structural, so no DOM types are required). */
export interface SubtleDigest {
  digest(algorithm: string, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

export interface WebCryptoDigestOptions {
  /** Defaults to `globalThis.crypto.subtle`. */
  subtle?: SubtleDigest;
  /**
   * WebCrypto hashes only one-shot and asynchronously. When given, `digestSync` and `createHasher`
   * delegate to this provider (the auto-detected provider uses noble here).
   */
  syncFallback?: DigestProvider;
}

/** SHA-256 through WebCrypto (`crypto.subtle.digest`). */
export function createWebCryptoDigestProvider(options: WebCryptoDigestOptions = {}): DigestProvider {
  const subtle = options.subtle ?? (globalThis.crypto?.subtle as SubtleDigest | undefined);
  if (!subtle) throw new Error('createWebCryptoDigestProvider: this host has no crypto.subtle');
  const fb = options.syncFallback;
  const provider: DigestProvider = {
    name: 'webcrypto',
    async digest(algorithm, data) {
      assertDigestAlgorithm(algorithm, 'webcrypto');
      assertBytes(data, 'hashing with the webcrypto digest provider');
      return new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
    },
  };
  if (fb?.digestSync) provider.digestSync = fb.digestSync.bind(fb);
  if (fb?.createHasher) provider.createHasher = fb.createHasher.bind(fb);
  return provider;
}

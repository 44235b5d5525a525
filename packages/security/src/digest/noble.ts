import { sha256 } from '@noble/hashes/sha2.js';
import type { DigestProvider, Hasher } from '@fayger/contracts';
import { assertBytes, assertDigestAlgorithm } from './algorithm.js';

class NobleHasher implements Hasher {
  private readonly h = sha256.create();
  update(data: Uint8Array): this {
    assertBytes(data, 'feeding the noble sha256 hasher');
    this.h.update(data);
    return this;
  }
  digest(): Uint8Array {
    return this.h.digest();
  }
}

/** Pure-JS SHA-256 (@noble/hashes): works on every host, including JS engines without crypto.subtle. */
export const nobleDigestProvider: DigestProvider = {
  name: 'noble',
  async digest(algorithm, data) {
    return this.digestSync!(algorithm, data);
  },
  digestSync(algorithm, data) {
    assertDigestAlgorithm(algorithm, 'noble');
    assertBytes(data, 'hashing with the noble digest provider');
    return sha256(data);
  },
  createHasher(algorithm) {
    assertDigestAlgorithm(algorithm, 'noble');
    return new NobleHasher();
  },
};

import type { DigestProvider, Hasher } from '@fayger/contracts';
import { assertBytes, assertDigestAlgorithm } from './algorithm.js';

/**
 * The slice of `node:crypto` used for hashing. Typed structurally so this file never imports `node:crypto`:
 * the main entry reaches the module only at run time (process.getBuiltinModule), `@fayger/security/node` imports it.
 */
export interface NodeHashModule {
  createHash(algorithm: string): { update(data: Uint8Array): unknown; digest(): Uint8Array };
}

class NodeHasher implements Hasher {
  constructor(private readonly h: ReturnType<NodeHashModule['createHash']>) {}
  update(data: Uint8Array): this {
    assertBytes(data, 'feeding the node:crypto sha256 hasher');
    this.h.update(data);
    return this;
  }
  digest(): Uint8Array {
    const b = this.h.digest();
    // A Buffer may share a pooled ArrayBuffer; hand out a plain, exact Uint8Array.
    return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
}

export function createNodeCryptoDigestProvider(crypto: NodeHashModule): DigestProvider {
  return {
    name: 'node:crypto',
    async digest(algorithm, data) {
      return this.digestSync!(algorithm, data);
    },
    digestSync(algorithm, data) {
      assertDigestAlgorithm(algorithm, 'node:crypto');
      assertBytes(data, 'hashing with the node:crypto digest provider');
      return new NodeHasher(crypto.createHash('sha256')).update(data).digest();
    },
    createHasher(algorithm) {
      assertDigestAlgorithm(algorithm, 'node:crypto');
      return new NodeHasher(crypto.createHash('sha256'));
    },
  };
}

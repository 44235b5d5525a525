import { FaygerError, type DigestAlgorithm } from '@fayger/contracts';

/** Every provider funnels the algorithm through here so a typo fails the same way everywhere. */
export function assertDigestAlgorithm(algorithm: unknown, provider: string): asserts algorithm is DigestAlgorithm {
  if (algorithm !== 'sha256') {
    throw new FaygerError({
      code: 'SECURITY_UNSUPPORTED_ALGORITHM',
      phase: 'digest',
      what: `hashing with the ${provider} digest provider`,
      expected: 'algorithm "sha256"',
      found: JSON.stringify(algorithm),
      details: { algorithm, provider },
    });
  }
}

export function assertBytes(data: unknown, what: string): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'digest',
      what,
      expected: 'a Uint8Array',
      found: data === null ? 'null' : typeof data,
    });
  }
}

import { FaygerError, type VersionKey } from '@fayger/contracts';

export function assertVersionKey(key: unknown): asserts key is VersionKey {
  const k = key as Partial<VersionKey> | null;
  if (
    typeof k !== 'object' ||
    k === null ||
    typeof k.publisher !== 'string' ||
    k.publisher.length === 0 ||
    typeof k.artifactId !== 'string' ||
    k.artifactId.length === 0
  ) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'rollback',
      what: 'using the version store',
      expected: 'a key { publisher, artifactId } of two non-empty strings',
      found:
        typeof key === 'string'
          ? `the bare id ${JSON.stringify(key)} (version stores are keyed by publisher and id)`
          : (JSON.stringify(key) ?? String(key)),
    });
  }
}

export function assertSequence(seq: unknown): asserts seq is number {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'rollback',
      what: 'using the version store',
      expected: 'a sequence that is a non-negative safe integer',
      found: String(seq),
    });
  }
}

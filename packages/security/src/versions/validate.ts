import { FaygerError } from '@fayger/contracts';

export function assertArtifactId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'rollback', what: 'using the version store', expected: 'a non-empty artifact id', found: JSON.stringify(id) });
  }
}

export function assertSequence(seq: unknown): asserts seq is number {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'rollback', what: 'using the version store', expected: 'a sequence that is a non-negative safe integer', found: String(seq) });
  }
}

import { FaygerError } from '@fayger/contracts';

/** The error codes of taking or restoring an engine snapshot. */
export type SnapshotErrorCode =
  | 'SNAPSHOT_MALFORMED'
  | 'SNAPSHOT_UNSUPPORTED'
  | 'SNAPSHOT_NOT_SUSPENDED'
  | 'SNAPSHOT_ENGINE_MISMATCH';

/**
 * A snapshot error of either engine: restoring (SNAPSHOT_MALFORMED, SNAPSHOT_ENGINE_MISMATCH) fails in the
 * `instantiate` phase, taking a snapshot (SNAPSHOT_UNSUPPORTED, SNAPSHOT_NOT_SUSPENDED) in the `execute` phase.
 */
export function snapshotError(
  code: SnapshotErrorCode,
  what: string,
  expected: string,
  found: string,
  details: Record<string, unknown> = {},
): FaygerError {
  return new FaygerError({
    code,
    phase: code === 'SNAPSHOT_MALFORMED' || code === 'SNAPSHOT_ENGINE_MISMATCH' ? 'instantiate' : 'execute',
    what,
    expected,
    found,
    details,
  });
}

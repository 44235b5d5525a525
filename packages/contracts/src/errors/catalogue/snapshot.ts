import type { ErrorCodeInfo } from '../types.js';

/**
 * Codes raised while snapshotting a running instance and resuming it elsewhere (docs/spec/snapshot-v1.md): the
 * engine capture and restore (runtime / interpreter), the snapshot artifact's encoding and verification (loader).
 */
export const snapshotCodes = {
  SNAPSHOT_NOT_SUSPENDED: {
    layer: 'runtime',
    title: 'A snapshot was asked of an instance that is not stopped at a fuel-slice boundary or a pending host call.',
    remedy:
      'Suspend the instance first (a fuel slice ending, or `suspend()`), then snapshot it; a running, terminated or failed instance cannot be captured.',
  },
  SNAPSHOT_UNSUPPORTED: {
    layer: 'runtime',
    title:
      'The instance holds state that cannot leave this process (a live host object reference, an engine without snapshot support).',
    remedy:
      'Snapshot at a point where no externref or host object is live, or run the app on an engine that supports snapshots (`--engine interpreter` or `--engine transpiler`).',
  },
  SNAPSHOT_MALFORMED: {
    layer: 'loader',
    title: 'The snapshot artifact could not be decoded: a header, section or field is not what snapshot v1 defines.',
    remedy:
      'The snapshot is damaged or not a snapshot; take a new one from the running app. The details name the part that failed.',
  },
  SNAPSHOT_DIGEST_MISMATCH: {
    layer: 'loader',
    title: 'A snapshot section does not hash to the digest its index records (the snapshot was altered or truncated).',
    remedy: 'Do not resume it: take a new snapshot, or copy the file again from its origin.',
  },
  SNAPSHOT_UNTRUSTED: {
    layer: 'security',
    title: 'The snapshot is unsigned, or signed by a key that is not among the trusted roots of the resuming host.',
    remedy:
      'Add the snapshotting host key to the trusted roots (`--trusted-roots`), or re-take the snapshot with a trusted key; never resume an unverified snapshot.',
  },
  SNAPSHOT_CODE_MISMATCH: {
    layer: 'runtime',
    title: 'The snapshot was taken of different code than the BuF it is resumed with (its code digest differs).',
    remedy: 'Resume with the exact BuF (same version and build) the snapshot was taken from.',
  },
  SNAPSHOT_ENGINE_MISMATCH: {
    layer: 'runtime',
    title: 'The snapshot state was written by an engine, or an engine state version, that cannot read it here.',
    remedy:
      'Resume with the engine named in the snapshot (see `fayger inspect`), or upgrade Fayger to a version that reads it.',
  },
  SNAPSHOT_CAPABILITY_REVOKED: {
    layer: 'runtime',
    title:
      'The resuming host does not grant a capability the snapshot depends on (its pending host call or an open resource).',
    remedy:
      'Grant the named capability on the resuming host (policy or flags), or resume on a host that offers it; a snapshot never gains capabilities.',
  },
  SNAPSHOT_RESOURCE_UNAVAILABLE: {
    layer: 'runtime',
    title:
      'A host resource recorded in the snapshot (an open file, socket or timer) cannot be recreated on the resuming host.',
    remedy:
      'Make the recorded path available under the same grant, or snapshot at a point where the resource is closed; the details name it.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

import { FaygerError } from '@fayger/contracts';

/** Process exit codes of `fayger`. Stable: scripts branch on them. */
export const EXIT_CODES = {
  /** Success. */
  OK: 0,
  /** Bad command line (unknown option, missing argument), or a refusal to overwrite / drop signatures. */
  USAGE: 1,
  /** The artifact failed verification: signature, trust policy, rollback, expiry, or a digest mismatch (tampering). */
  VERIFICATION_FAILED: 2,
  /** Malformed input: not a BuF, corrupt structure, bad manifest, pack config, key file or trusted-roots file. */
  MALFORMED_INPUT: 3,
  /** A file could not be read or written, or the reader of stdout/stderr went away (EPIPE). */
  IO_ERROR: 4,
  /** Understood but unsupported: newer format major, unknown algorithm, Runtime_Interface range not met, command not available. */
  UNSUPPORTED: 5,
  /** `run`: the guest failed — a trap, a quota breach, a link or ABI error (the instance ended Failed). */
  GUEST_FAILED: 6,
  /** `run`: a capability the manifest marks required was not granted (adapter or host policy). */
  CAPABILITY_MISSING: 7,
  /** A bug in Fayger (INTERNAL or an unexpected exception). */
  INTERNAL: 10,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const VERIFICATION = new Set<string>([
  'SECURITY_UNSIGNED',
  'SECURITY_SIGNATURE_MALFORMED',
  'SECURITY_UNKNOWN_KEY',
  'SECURITY_SIGNATURE_INVALID',
  'SECURITY_KEY_OUT_OF_SCOPE',
  'SECURITY_ID_OUT_OF_SCOPE',
  'SECURITY_KEY_NOT_YET_VALID',
  'SECURITY_KEY_EXPIRED',
  'SECURITY_KEY_REVOKED',
  'SECURITY_THRESHOLD_NOT_MET',
  'SECURITY_MANIFEST_EXPIRED',
  'SECURITY_ROLLBACK',
  'LOADER_UNSIGNED',
  'LOADER_ROOT_DIGEST_MISMATCH',
  'LOADER_SECTION_DIGEST_MISMATCH',
  'LOADER_IPFS_BLOCK_INVALID',
  'SNAPSHOT_UNTRUSTED',
  'SNAPSHOT_DIGEST_MISMATCH',
]);
const USAGE = new Set<string>([
  'CLI_USAGE',
  'CLI_OUTPUT_EXISTS',
  'CLI_SIGNATURES_DROPPED',
  'CLI_KEY_OUT_OF_SCOPE',
  'INVALID_ARGUMENT',
  'FAYGER_MOUNT_INVALID',
  'FAYGER_SOURCE_UNSUPPORTED',
  'ADAPTER_NOT_FOUND',
  'ADAPTER_HOST_UNDETECTED',
  'CLI_MODULE_NOT_LOCAL',
]);
const IO = new Set<string>([
  'CLI_IO',
  'LOADER_SOURCE_IO',
  'SECURITY_VERSION_STORE_IO',
  'FAYGER_TRUST_ROOTS_UNREADABLE',
  'ADAPTER_STREAM_CLOSED',
]);
// Reading from the network or a store: S3, IPFS, HTTP failures and `fayger push`.
const SOURCE_IO =
  /^(LOADER_(S3|HTTP)_|LOADER_IPFS_(BLOCK_MISSING|PATH_NOT_FOUND)$|LOADER_SOURCE_CHANGED$|CLI_PUSH_FAILED$)/;
const UNSUPPORTED = new Set<string>([
  'LOADER_FORMAT_UNSUPPORTED',
  'LOADER_DIGEST_ALGORITHM_UNSUPPORTED',
  'LOADER_INTERFACE_UNSUPPORTED',
  'SECURITY_UNSUPPORTED_ALGORITHM',
  'SECURITY_BACKEND_UNAVAILABLE',
  'CLI_NOT_AVAILABLE',
  'LOADER_SOURCE_UNSUPPORTED',
  'RUNTIME_NO_IMPLEMENTATION',
  'RUNTIME_ASYNC_UNSUPPORTED',
  'FAYGER_ENGINE_UNAVAILABLE',
  'SNAPSHOT_ENGINE_MISMATCH',
  'SNAPSHOT_UNSUPPORTED',
  'SNAPSHOT_NOT_SUSPENDED',
]);

/** The exit code for a thrown value (see EXIT_CODES). */
export function exitCodeFor(err: unknown): ExitCode {
  if (!FaygerError.is(err)) return EXIT_CODES.INTERNAL;
  const code = err.code;
  if (VERIFICATION.has(code)) return EXIT_CODES.VERIFICATION_FAILED;
  if (USAGE.has(code)) return EXIT_CODES.USAGE;
  if (IO.has(code) || SOURCE_IO.test(code)) return EXIT_CODES.IO_ERROR;
  if (UNSUPPORTED.has(code)) return EXIT_CODES.UNSUPPORTED;
  if (code === 'CAPABILITY_REQUIRED_MISSING' || code === 'SNAPSHOT_CAPABILITY_REVOKED')
    return EXIT_CODES.CAPABILITY_MISSING;
  if (code === 'SNAPSHOT_RESOURCE_UNAVAILABLE') return EXIT_CODES.IO_ERROR;
  if (/^(TRAP|QUOTA|WASM|WASI|RUNTIME)_/.test(code) || code === 'CAPABILITY_DENIED') return EXIT_CODES.GUEST_FAILED;
  // SNAPSHOT_MALFORMED, SNAPSHOT_CODE_MISMATCH (a snapshot of other code than the BuF given) land here too.
  if (/^(LOADER|SECURITY|CLI|SNAPSHOT)_/.test(code) || code === 'FAYGER_MODULE_INVALID')
    return EXIT_CODES.MALFORMED_INPUT;
  return EXIT_CODES.INTERNAL;
}

/**
 * Exit codes of `fayger run`, whose exit status is normally the guest's own. Fayger's failures use 111–120,
 * which real programs rarely use (the authoring commands' code + 110), so a script can tell them from a
 * guest's 1, 2 or 42; a trap exits 134 as under wasmtime (128 + SIGABRT).
 */
export const RUN_EXIT_CODES = {
  /** Bad command line for `run` (unknown option, bad --dir/--env/--quota value, a .wasm URL). */
  USAGE: 111,
  /** The BuF failed verification (signature, trust policy, rollback, expiry, tampering, unsigned). */
  VERIFICATION_FAILED: 112,
  /** Malformed input: not a BuF or wasm module, corrupt structure, bad manifest or trusted-roots file. */
  MALFORMED_INPUT: 113,
  /** A file could not be read (the artifact, the trusted roots, a mount). */
  IO_ERROR: 114,
  /** Unsupported: newer format, unknown algorithm, no fitting runtime implementation. */
  UNSUPPORTED: 115,
  /** Fayger stopped or could not start the guest: quota breach, link error, strict denial, host-side failure. */
  GUEST_STOPPED: 116,
  /** A capability the manifest marks required was not granted. */
  CAPABILITY_MISSING: 117,
  /** The guest exited with a code outside 0–255 (reported on stderr and in --json, not truncated). */
  GUEST_EXIT_OUT_OF_RANGE: 119,
  /** A bug in Fayger. */
  INTERNAL: 120,
  /** The guest trapped (unreachable, out-of-bounds access, division by zero, stack exhaustion…). */
  TRAP: 134,
} as const;

/** True for an error that is the guest's own trap (exit 134), not a failure of Fayger. */
export function isGuestTrap(err: unknown): boolean {
  return FaygerError.is(err) && err.code.startsWith('TRAP_') && err.code !== 'TRAP_HOST_ERROR';
}

/** The `fayger run` exit code for a Fayger-side failure or a guest trap (see RUN_EXIT_CODES). */
export function runExitCodeFor(err: unknown): number {
  if (isGuestTrap(err)) return RUN_EXIT_CODES.TRAP;
  switch (exitCodeFor(err)) {
    case EXIT_CODES.USAGE:
      return RUN_EXIT_CODES.USAGE;
    case EXIT_CODES.VERIFICATION_FAILED:
      return RUN_EXIT_CODES.VERIFICATION_FAILED;
    case EXIT_CODES.MALFORMED_INPUT:
      return RUN_EXIT_CODES.MALFORMED_INPUT;
    case EXIT_CODES.IO_ERROR:
      return RUN_EXIT_CODES.IO_ERROR;
    case EXIT_CODES.UNSUPPORTED:
      return RUN_EXIT_CODES.UNSUPPORTED;
    case EXIT_CODES.GUEST_FAILED:
      return RUN_EXIT_CODES.GUEST_STOPPED;
    case EXIT_CODES.CAPABILITY_MISSING:
      return RUN_EXIT_CODES.CAPABILITY_MISSING;
    default:
      return RUN_EXIT_CODES.INTERNAL;
  }
}

// The CLI speaks in flags: an error whose catalogue remedy names a library option (`allowUnsigned: true`,
// `quotas.fuel`, `LoadProfile.byteBudget`…) is printed with the flag that does it instead.
import { FaygerError, errorCodeInfo, type ErrorCode } from '@fayger/contracts';

const quota = (key: string) =>
  `Raise the host's limit with \`--quota ${key}=N\` (or \`--quota ${key}=unlimited\`); the guest gets min(its manifest's quotas.${key}, that value), so a lower manifest quota must be raised and the artifact rebuilt.`;

/** Remedies in the CLI's own words, per error code; `command` is the command that failed. */
const CLI_HINTS: Partial<Record<ErrorCode, (command: string) => string>> = {
  SECURITY_UNSIGNED: (c) =>
    `Sign the artifact (\`fayger sign app.buf --key <key file>\`), or pass \`--allow-unsigned\` to \`fayger ${c === 'verify' ? 'verify' : 'run'}\` if unsigned artifacts are acceptable to you (development only).`,
  LOADER_UNSIGNED: (c) =>
    `Sign the artifact (\`fayger sign app.buf --key <key file>\`), or pass \`--allow-unsigned\` to \`fayger ${c === 'verify' ? 'verify' : 'run'}\` (development only).`,
  SECURITY_ROLLBACK: (c) =>
    `Use the newer artifact; pass \`--allow-rollback\` to \`fayger ${c === 'verify' ? 'verify' : 'run'}\` only for a deliberate downgrade (\`--no-version-store\` skips rollback protection altogether).`,
  SECURITY_THRESHOLD_NOT_MET: () =>
    'Add signatures from further distinct trusted keys (`fayger sign app.buf --key a.key.json --key b.key.json`).',
  LOADER_REQUIRED_OVER_BUDGET: () =>
    'Raise the byte budget with `--profile budget=<bytes>` by at least the amount in the message, or make sections optional in the pack config.',
  LOADER_HTTP_RANGE_UNSUPPORTED: () =>
    'Serve the artifact from a server that supports byte ranges, or download it and run the local file.',
  LOADER_HTTP_TIMEOUT: () => 'Check connectivity, or download the artifact and run the local file.',
  QUOTA_FUEL_EXCEEDED: () => quota('fuel'),
  QUOTA_MEMORY_EXCEEDED: () => quota('memoryPages'),
  QUOTA_WALL_TIME_EXCEEDED: () => quota('wallTimeMs'),
  QUOTA_CALL_DEPTH_EXCEEDED: () => quota('callDepth'),
  QUOTA_HOST_CALL_RATE_EXCEEDED: () => quota('hostCallsPerSecond'),
  QUOTA_TABLE_ELEMENTS_EXCEEDED: () => quota('tableElements'),
  QUOTA_OUTPUT_EXCEEDED: () => quota('outputBytes'),
  RUNTIME_HOST_CALL_TOO_LARGE: () =>
    'Split the data into several calls below the per-call cap (16 MiB); the CLI has no flag to raise it.',
  WASI_UNSUPPORTED_IMPORT: () =>
    'Avoid the function (docs/abi.md lists the supported WASI subset); the CLI links strictly.',
};

/** The CLI's remedy for a code, when it differs from the catalogue's (which speaks of library options). */
export function cliHint(code: string, command: string): string | undefined {
  return CLI_HINTS[code as ErrorCode]?.(command);
}

/**
 * The error as the CLI prints it: when its message ends with the catalogue remedy and the CLI has its own, the
 * remedy is swapped for the CLI's (same code, phase, details and cause).
 */
export function forCli(err: FaygerError, command: string): FaygerError {
  const hint = cliHint(err.code, command);
  const remedy = errorCodeInfo(err.code)?.remedy;
  if (!hint || !remedy || !err.message.endsWith(remedy)) return err;
  return new FaygerError({
    code: err.code,
    message: `${err.message.slice(0, err.message.length - remedy.length)}${hint}`,
    phase: err.phase,
    layer: err.layer,
    details: err.details,
    retryable: err.retryable,
    ...(err.cause !== undefined ? { cause: err.cause } : {}),
  });
}

/** BuF container format version this build reads and writes (major.minor, see docs/spec/buf-v1.md). */
export const BUF_FORMAT_VERSION = { major: 1, minor: 0 } as const;

/** Runtime_Interface version implemented by this build (semver; the manifest requests a range). */
export const RUNTIME_INTERFACE_VERSION = '1.0.0';

/** Version of the contracts themselves (instruction catalogue, event names, ports). */
export const CONTRACTS_VERSION = '1.0.0';

// Public API of @fayger/cli: the `fayger` command as a function, for embedding and tests.
export { runCli, mainHelp } from './cli.js';
export { EXIT_CODES, exitCodeFor } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';
export { nodeIo } from './io.js';
export type { CliIo } from './io.js';
export { PackConfigSchema, PackSectionSchema } from './pack-config.js';
export type { PackConfig, PackSection } from './pack-config.js';

import type { ErrorCodeInfo } from '../types.js';
import { adapterCodes } from './adapter.js';
import { coreCodes } from './core.js';
import { loaderCodes } from './loader.js';
import { securityCodes } from './security.js';
import { runtimeCodes } from './runtime.js';
import { interpreterCodes } from './interpreter.js';
import { cliCodes } from './cli.js';
import { faygerCodes } from './fayger.js';
import { snapshotCodes } from './snapshot.js';

/**
 * Fayger's own error-code catalogue. Each area keeps its codes in its own file; this object joins them.
 * Adapters (first-party ones too) register their own codes with `registerErrorCodes`; none are listed here.
 * Codes are stable strings and are never reused for a different meaning. docs/errors.md is generated from this
 * object and the first-party adapters' registered codes (`pnpm --filter @fayger/error-docs docs:errors`), and a
 * test checks they agree.
 */
export const errorCatalogue = {
  ...coreCodes,
  ...adapterCodes,
  ...loaderCodes,
  ...securityCodes,
  ...runtimeCodes,
  ...interpreterCodes,
  ...cliCodes,
  ...faygerCodes,
  ...snapshotCodes,
} as const satisfies Record<string, ErrorCodeInfo>;

/** The codes Fayger itself defines (third parties add theirs with `registerErrorCodes`). */
export type BuiltinErrorCode = keyof typeof errorCatalogue;

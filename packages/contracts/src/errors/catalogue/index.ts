import type { ErrorCodeInfo } from '../types.js';
import { adapterCodes } from './adapter.js';
import { browserCodes } from './browser.js';
import { coreCodes } from './core.js';
import { loaderCodes } from './loader.js';
import { securityCodes } from './security.js';
import { runtimeCodes } from './runtime.js';
import { interpreterCodes } from './interpreter.js';
import { inAppCodes } from './in-app.js';
import { cliCodes } from './cli.js';
import { desktopCodes } from './desktop.js';
import { faygerCodes } from './fayger.js';
import { snapshotCodes } from './snapshot.js';

/**
 * The one error-code catalogue. Each area keeps its codes in its own file; this object joins them.
 * Codes are stable strings and are never reused for a different meaning. docs/errors.md is generated
 * from this object (`pnpm --filter @fayger/contracts docs:errors`) and a test checks the two agree.
 */
export const errorCatalogue = {
  ...coreCodes,
  ...adapterCodes,
  ...loaderCodes,
  ...securityCodes,
  ...runtimeCodes,
  ...interpreterCodes,
  ...browserCodes,
  ...inAppCodes,
  ...cliCodes,
  ...desktopCodes,
  ...faygerCodes,
  ...snapshotCodes,
} as const satisfies Record<string, ErrorCodeInfo>;

/** The codes Fayger itself defines (third parties add theirs with `registerErrorCodes`). */
export type BuiltinErrorCode = keyof typeof errorCatalogue;

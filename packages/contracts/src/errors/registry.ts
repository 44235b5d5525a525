import { errorCatalogue, type BuiltinErrorCode } from './catalogue/index.js';
import type { ErrorCodeInfo } from './types.js';

/**
 * Codes registered by packages outside @fayger/contracts (third-party adapters, and first-party ones that own
 * their codes). Declare yours for the type checker next to the `registerErrorCodes` call:
 *
 *   declare module '@fayger/contracts' { interface RegisteredErrorCodes { KIOSK_PRINTER_OFFLINE: true } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface so that adapter packages can augment it (a type alias cannot be)
export interface RegisteredErrorCodes {}

/** Every error code: Fayger's own catalogue plus the registered ones. */
export type ErrorCode = BuiltinErrorCode | (keyof RegisteredErrorCodes & string);

// Shared by every copy of @fayger/contracts in one realm, like the FaygerError brand: a code registered through
// one bundled copy is known to all.
const KEY = Symbol.for('@fayger/contracts.errorCodes.v1');
/** The registered codes (internal: register.ts adds to it). */
export function codeRegistry(): Map<string, ErrorCodeInfo> {
  const g = globalThis as unknown as Record<symbol, Map<string, ErrorCodeInfo> | undefined>;
  return (g[KEY] ??= new Map());
}

/** True for a code of Fayger's catalogue or a registered one. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorCatalogue, code) || codeRegistry().has(code);
}

/** The catalogue entry of a code (built-in or registered), or undefined. */
export function errorCodeInfo(code: string): ErrorCodeInfo | undefined {
  if (Object.prototype.hasOwnProperty.call(errorCatalogue, code))
    return (errorCatalogue as Record<string, ErrorCodeInfo>)[code];
  return codeRegistry().get(code);
}

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

const NAMESPACED_CODE = /^([A-Z][A-Z0-9]{1,23})_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;
// Prefixes of Fayger's own codes belong to Fayger: a third party registering ADAPTER_X would look like core's.
const RESERVED = new Set(Object.keys(errorCatalogue).map((c) => c.split('_')[0]!));

// Shared by every copy of @fayger/contracts in one realm, like the FaygerError brand: a code registered through
// one bundled copy is known to all.
const KEY = Symbol.for('@fayger/contracts.errorCodes.v1');
function registry(): Map<string, ErrorCodeInfo> {
  const g = globalThis as unknown as Record<symbol, Map<string, ErrorCodeInfo> | undefined>;
  return (g[KEY] ??= new Map());
}

const same = (a: ErrorCodeInfo, b: ErrorCodeInfo) =>
  a.layer === b.layer &&
  a.title === b.title &&
  a.remedy === b.remedy &&
  (a.retryable ?? false) === (b.retryable ?? false);

/**
 * Adds a package's own error codes to the catalogue, so `new FaygerError({ code })` accepts them and
 * `FaygerError.fromJSON` keeps them. A code is namespaced by its first word (`KIOSK_PRINTER_OFFLINE`: namespace
 * `KIOSK`), which must not be one of Fayger's own (`ADAPTER`, `CAPABILITY`, `LOADER`…). Registering the same
 * entry again is harmless (two bundled copies of one adapter); a different entry for a registered code throws.
 * Returns the entries, so `renderErrorCatalogue` can document them the way docs/errors.md is generated.
 */
export function registerErrorCodes<const T extends Record<string, ErrorCodeInfo>>(entries: T): T {
  const reg = registry();
  for (const [code, info] of Object.entries(entries)) {
    const m = NAMESPACED_CODE.exec(code);
    if (!m)
      throw new TypeError(
        `registerErrorCodes: ${JSON.stringify(code)} is not a namespaced code; expected NAMESPACE_WHAT in upper case (e.g. KIOSK_PRINTER_OFFLINE)`,
      );
    if (Object.prototype.hasOwnProperty.call(errorCatalogue, code))
      throw new TypeError(`registerErrorCodes: ${code} is one of Fayger's own codes; pick your own namespace`);
    if (RESERVED.has(m[1]!)) {
      throw new TypeError(
        `registerErrorCodes: the namespace ${m[1]} of ${code} belongs to Fayger's own codes; use your package's own prefix (e.g. ACME_…)`,
      );
    }
    if (!info || typeof info.title !== 'string' || typeof info.remedy !== 'string' || typeof info.layer !== 'string') {
      throw new TypeError(`registerErrorCodes: ${code} needs a layer, a title and a remedy`);
    }
    const prev = reg.get(code);
    if (prev && !same(prev, info))
      throw new TypeError(
        `registerErrorCodes: ${code} is already registered with a different meaning; codes are never reused`,
      );
    reg.set(code, info);
  }
  return entries;
}

/** True for a code of Fayger's catalogue or a registered one. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorCatalogue, code) || registry().has(code);
}

/** The catalogue entry of a code (built-in or registered), or undefined. */
export function errorCodeInfo(code: string): ErrorCodeInfo | undefined {
  if (Object.prototype.hasOwnProperty.call(errorCatalogue, code))
    return (errorCatalogue as Record<string, ErrorCodeInfo>)[code];
  return registry().get(code);
}

import { errorCatalogue } from './catalogue/index.js';
import { FaygerError } from './fayger-error.js';
import { codeRegistry } from './registry.js';
import type { ErrorCodeInfo } from './types.js';

const NAMESPACED_CODE = /^([A-Z][A-Z0-9]{1,23})_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;
// Prefixes of Fayger's own codes belong to Fayger: a third party registering ADAPTER_X would look like core's.
const RESERVED = new Set(Object.keys(errorCatalogue).map((c) => c.split('_')[0]!));

/**
 * Namespaces of first-party packages that register their own codes, and the package that owns each. Only the
 * owner registers codes in them (passing `{ owner }`): a third party's `BROWSER_X` is refused when it registers,
 * not only when it meets the browser adapter. Names only — contracts imports no adapter.
 */
export const RESERVED_ERROR_NAMESPACES: Readonly<Record<string, string>> = Object.freeze({
  BROWSER: '@fayger/adapter-browser',
  DESKTOP: '@fayger/adapter-desktop',
  BRIDGE: '@fayger/adapter-in-app',
  INAPP: '@fayger/adapter-in-app',
});

export interface RegisterErrorCodesOptions {
  /** The registering package's name (e.g. "@acme/fayger-kiosk"); required for a namespace reserved to it. */
  owner?: string;
}

const same = (a: ErrorCodeInfo, b: ErrorCodeInfo) =>
  a.layer === b.layer &&
  a.title === b.title &&
  a.remedy === b.remedy &&
  (a.retryable ?? false) === (b.retryable ?? false);

function taken(code: string, namespace: string, owner: string, claimedBy: string | undefined): FaygerError {
  return new FaygerError({
    code: 'INVALID_ARGUMENT',
    phase: 'register',
    what: `registering the error code ${code}`,
    expected: `a namespace of your own: ${namespace} belongs to ${owner}`,
    found: claimedBy === undefined ? `${code} registered without an owner` : `${code} registered by ${claimedBy}`,
    hint: `Use your package's own prefix (e.g. ACME_${code.slice(namespace.length + 1)}); only ${owner} registers ${namespace}_ codes.`,
    details: { code, namespace, owner, ...(claimedBy !== undefined ? { claimedBy } : {}) },
  });
}

/**
 * Adds a package's own error codes to the catalogue, so `new FaygerError({ code })` accepts them and
 * `FaygerError.fromJSON` keeps them. A code is namespaced by its first word (`KIOSK_PRINTER_OFFLINE`: namespace
 * `KIOSK`), which must not be one of Fayger's own (`ADAPTER`, `CAPABILITY`, `LOADER`…) nor one reserved to a
 * first-party package (`RESERVED_ERROR_NAMESPACES`: `BROWSER`, `DESKTOP`, `BRIDGE`, `INAPP`) unless `owner` is
 * that package; either is refused with INVALID_ARGUMENT (phase `register`). Registering the same entry again is
 * harmless (two bundled copies of one adapter); a different entry for a registered code throws. Returns the
 * entries, so `renderErrorCatalogue` can document them the way docs/errors.md is generated.
 */
export function registerErrorCodes<const T extends Record<string, ErrorCodeInfo>>(
  entries: T,
  options: RegisterErrorCodesOptions = {},
): T {
  const reg = codeRegistry();
  for (const [code, info] of Object.entries(entries)) {
    const m = NAMESPACED_CODE.exec(code);
    if (!m)
      throw new TypeError(
        `registerErrorCodes: ${JSON.stringify(code)} is not a namespaced code; expected NAMESPACE_WHAT in upper case (e.g. KIOSK_PRINTER_OFFLINE)`,
      );
    if (Object.prototype.hasOwnProperty.call(errorCatalogue, code))
      throw new TypeError(`registerErrorCodes: ${code} is one of Fayger's own codes; pick your own namespace`);
    const ns = m[1]!;
    if (RESERVED.has(ns)) throw taken(code, ns, "Fayger's own codes (@fayger/contracts)", options.owner);
    const owner = Object.prototype.hasOwnProperty.call(RESERVED_ERROR_NAMESPACES, ns)
      ? RESERVED_ERROR_NAMESPACES[ns]
      : undefined;
    if (owner !== undefined && options.owner !== owner) throw taken(code, ns, owner, options.owner);
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

import { FaygerError, registerErrorCodes, type ErrorCodeInfo, type FaygerErrorInit } from '@fayger/contracts';

/** One of an adapter's own codes: what it means and what to do. `layer` defaults to 'adapter'. */
export type AdapterErrorEntry = Omit<ErrorCodeInfo, 'layer'> & { layer?: ErrorCodeInfo['layer'] };

/** An adapter's registered codes, and the way to raise them. */
export interface AdapterErrors<C extends string> {
  /** The entries as registered (layer filled in): export them for docs (`renderErrorCatalogue`). */
  readonly codes: { readonly [K in C]: ErrorCodeInfo };
  /**
   * A FaygerError (with one of these codes, or a catalogue code). Raise your codes through it: it keeps the
   * registration in every bundle (an adapter package has no side effects a bundler must keep otherwise).
   */
  error(init: FaygerErrorInit): FaygerError;
}

/**
 * Registers an adapter package's namespaced error codes with the catalogue, at import (`registerErrorCodes` with
 * the package as owner, layer 'adapter' unless an entry says otherwise), and returns them with `error`. Tell the
 * type checker about the codes with `declare module '@fayger/contracts' { interface RegisteredErrorCodes … }`.
 *
 * ```ts
 * const kiosk = defineAdapterErrors('@acme/fayger-adapter-kiosk', {
 *   KIOSK_PRINTER_OFFLINE: { title: 'The printer is offline.', remedy: 'Switch it on.', retryable: true },
 * });
 * throw kiosk.error({ code: 'KIOSK_PRINTER_OFFLINE', phase: 'notify.send', what: 'printing a receipt' });
 * ```
 */
export function defineAdapterErrors<const T extends Record<string, AdapterErrorEntry>>(
  owner: string,
  entries: T,
): AdapterErrors<keyof T & string> {
  const full = Object.fromEntries(
    Object.entries(entries).map(([code, e]) => [code, { ...e, layer: e.layer ?? 'adapter' } as ErrorCodeInfo]),
  ) as { [K in keyof T & string]: ErrorCodeInfo };
  const codes = registerErrorCodes(full, { owner });
  return { codes, error: (init) => new FaygerError(init) };
}

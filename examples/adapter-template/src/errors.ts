import { defineAdapterErrors } from '@fayger/adapter-core';

/** This package's own error codes, namespaced KIOSK_ (registered with the catalogue on import, layer 'adapter'). */
export const kioskErrors = defineAdapterErrors('@acme/fayger-adapter-kiosk', {
  KIOSK_PRINTER_OFFLINE: {
    title: 'The kiosk receipt printer is offline or out of paper, so notify.send could not print.',
    remedy: 'Switch the printer on and load paper; the app may retry.',
    retryable: true,
  },
});
export const kioskErrorCodes = kioskErrors.codes;

// Tells the type checker that FaygerError accepts the code.
declare module '@fayger/contracts' {
  interface RegisteredErrorCodes {
    KIOSK_PRINTER_OFFLINE: true;
  }
}

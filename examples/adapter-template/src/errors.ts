import { registerErrorCodes } from '@fayger/contracts';

/** This package's own error codes, namespaced KIOSK_ (registered with the catalogue on import). */
export const kioskErrorCodes = registerErrorCodes({
  KIOSK_PRINTER_OFFLINE: {
    layer: 'adapter',
    title: 'The kiosk receipt printer is offline or out of paper, so notify.send could not print.',
    remedy: 'Switch the printer on and load paper; the app may retry.',
    retryable: true,
  },
});

// Tells the type checker that FaygerError accepts the code.
declare module '@fayger/contracts' {
  interface RegisteredErrorCodes {
    KIOSK_PRINTER_OFFLINE: true;
  }
}

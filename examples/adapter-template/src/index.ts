import {
  baselineHandlers,
  createAdapter,
  kvHandlers,
  memoryKvStore,
  type AdapterCandidate,
  type LogOptions,
} from '@fayger/adapter-core';
import type { EventSink, HostProbe, PlatformAdapter } from '@fayger/contracts';
import { kioskErrorCodes, kioskErrors } from './errors.js';

export { kioskErrorCodes };

/** A receipt printer: the kiosk's own hardware, reached through whatever SDK the kiosk vendor ships. */
export interface KioskPrinter {
  /** Prints one receipt; false when offline or out of paper. */
  print(title: string, body: string): boolean;
}

export interface KioskAdapterOptions {
  /** Guest logs (default: the console). */
  log?: LogOptions;
  /** The diagnostics channel: failed host calls as `adapter.host.error` events. */
  diagnostics?: EventSink;
  /** The receipt printer behind notify.send (default: none, and notify is not offered). */
  printer?: KioskPrinter;
}

/** This host: a kiosk exposes `acmeKiosk` on its global object. Read only the probe, never the real globals. */
export function detectKiosk(probe: HostProbe): number {
  return probe.global.acmeKiosk !== undefined ? 5 : 0;
}

/**
 * The kiosk Platform_Adapter (hostKind `acme:kiosk`): the baseline (log, clock, random, timer), kv in memory,
 * and notify.send printed as a receipt. Offers are derived from the handlers, so they cannot lie.
 */
export function createKioskAdapter(options: KioskAdapterOptions = {}): PlatformAdapter {
  const base = baselineHandlers(options.log ? { log: options.log } : {});
  // kv.* in memory: swap memoryKvStore() for a KvStore over the kiosk's own storage.
  const kv = kvHandlers(memoryKvStore());
  const printer = options.printer;
  return createAdapter({
    id: 'kiosk',
    hostKind: 'acme:kiosk',
    detect: detectKiosk,
    ...(options.diagnostics ? { diagnostics: options.diagnostics } : {}),
    handlers: {
      ...base.handlers,
      // kvHandlers confines namespaces to the grant: the bus checks them too, an adapter again under any bus.
      ...kv.handlers,
      ...(printer
        ? {
            'notify.send': async (a: { title: string; body?: string }) => {
              if (printer.print(a.title, a.body ?? '')) return {};
              throw kioskErrors.error({
                code: 'KIOSK_PRINTER_OFFLINE',
                phase: 'notify.send',
                what: 'printing a receipt',
                expected: 'a printer online with paper',
                found: 'offline',
              });
            },
          }
        : {}),
    },
    dispose: (instanceId) => base.dispose(instanceId),
  });
}

/** The kiosk adapter as a lazy candidate for `createFayger({ adapter: { candidates } })`. */
export function kioskAdapterCandidate(options: KioskAdapterOptions = {}): AdapterCandidate {
  return { id: 'kiosk', hostKind: 'acme:kiosk', detect: detectKiosk, create: () => createKioskAdapter(options) };
}

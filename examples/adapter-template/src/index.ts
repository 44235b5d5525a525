import {
  baselineHandlers,
  confineNamespace,
  createAdapter,
  type AdapterCandidate,
  type LogOptions,
} from '@fayger/adapter-core';
import { FaygerError, type EventSink, type HostProbe, type PlatformAdapter } from '@fayger/contracts';
import { kioskErrorCodes } from './errors.js';

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
  const kv = new Map<string, Map<string, Uint8Array>>();
  const ns = (name: string) => kv.get(name) ?? kv.set(name, new Map()).get(name)!;
  const printer = options.printer;
  return createAdapter({
    id: 'kiosk',
    hostKind: 'acme:kiosk',
    detect: detectKiosk,
    ...(options.diagnostics ? { diagnostics: options.diagnostics } : {}),
    handlers: {
      ...base.handlers,
      // The bus checks namespaces too; an adapter confines again so it is safe under any bus.
      'kv.get': async (a, ctx) => ({
        value:
          ns(confineNamespace('kv.get', a.namespace, ctx.scope))
            .get(a.key)
            ?.slice() ?? null,
      }),
      'kv.set': async (a, ctx) => (
        ns(confineNamespace('kv.set', a.namespace, ctx.scope)).set(a.key, a.value.slice()), {}
      ),
      'kv.delete': async (a, ctx) => (ns(confineNamespace('kv.delete', a.namespace, ctx.scope)).delete(a.key), {}),
      'kv.list': async (a, ctx) => ({
        keys: [...ns(confineNamespace('kv.list', a.namespace, ctx.scope)).keys()]
          .filter((k) => k.startsWith(a.prefix ?? ''))
          .sort()
          .slice(0, a.limit ?? 10_000),
      }),
      ...(printer
        ? {
            'notify.send': async (a: { title: string; body?: string }) => {
              if (printer.print(a.title, a.body ?? '')) return {};
              throw new FaygerError({
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

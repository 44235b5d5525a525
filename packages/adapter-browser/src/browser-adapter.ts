import {
  baselineHandlers,
  createAdapter,
  kvHandlers,
  parseOpenableUrl as parseUrl,
  probeHost,
  reportHostError,
  type LogOptions,
} from '@fayger/adapter-core';
import { DomUiHost } from '@fayger/adapter-core/dom';
import type { CapabilityOffer, EventSink, HostEventInput, HostProbe, PlatformAdapter } from '@fayger/contracts';
import { browserError } from './errors.js';
import { clipboardOf, useClipboard } from './extras/clipboard.js';
import { openIndexedDbKv, type KvStore } from './kv/indexeddb-kv.js';
import { createLocalStorageKv } from './kv/local-storage-kv.js';
import { fetchHttp, type BrowserHttpOptions } from './net/fetch-http.js';

export interface BrowserKvOptions {
  /** `auto` (default): IndexedDB, falling back to localStorage when IndexedDB is missing or will not open. */
  backend?: 'auto' | 'indexeddb' | 'localstorage';
  /** IndexedDB database name / localStorage key prefix (default `fayger-kv`). Use one per app to keep apps apart. */
  databaseName?: string;
}

export interface BrowserAdapterOptions {
  /** Adapter id (default `browser`). */
  id?: string;
  /** The window to drive (default the global one). */
  window?: Window & typeof globalThis;
  /**
   * Where UIs render: an element, or a function giving one per instance. Each instance renders into its own
   * `<div data-fayger-instance>` inside it. Default: a `<div data-fayger-ui>` appended to `document.body`.
   */
  container?: Element | ((instanceId: string) => Element);
  /** Inject the small default layout stylesheet (default true; zero specificity, so page CSS wins). */
  styles?: boolean;
  /** net.http options, or `false` to not offer net.http. */
  http?: BrowserHttpOptions | false;
  /** kv options, or `false` to not offer kv. */
  kv?: BrowserKvOptions | false;
  /** Guest logs (default: the console; `output: false` silences it, `onRecord` receives every record). */
  log?: LogOptions;
  /** The diagnostics channel: failed host calls are reported as `adapter.host.error` events. */
  diagnostics?: EventSink;
  /** Offer clipboard.* (default: when navigator.clipboard exists). */
  clipboard?: boolean;
  /** Offer url.open (default true where window.open exists). */
  openUrl?: boolean;
  /** Send app.lifecycle events on page visibility changes and page hide (default true). */
  lifecycle?: boolean;
}

export interface BrowserAdapter extends PlatformAdapter {
  readonly hostKind: 'browser';
  /** The kv backend in use once kv has been touched (`undefined` before). */
  kvBackend(): 'indexeddb' | 'localstorage' | undefined;
  /** The element an instance renders into, if it has rendered. */
  uiRoot(instanceId: string): HTMLElement | undefined;
}

const noDom = (op: string, found: string, expected: string) =>
  browserError('BROWSER_NO_DOM', op, `${op} in the browser adapter`, found, { expected });

/** Checks that `url` is an absolute http(s) URL (adapter-core's shared rule) and returns it normalised. */
export const parseOpenableUrl = (url: string): string => parseUrl(url, 'BROWSER_URL_REJECTED');

/** A web page: a DOM. In-app WebViews have one too, and their adapter scores higher where its bridge is present. */
export function detectBrowser(probe: HostProbe): number {
  return probeHost(probe).dom ? 1 : 0;
}

/**
 * The browser Platform_Adapter (hostKind `browser`): ui.* as DOM, net.http via fetch (granted origins, final URL
 * re-checked), kv in IndexedDB (localStorage fallback), log to the console, clock, random
 * (crypto.getRandomValues), timers, clipboard, url.open and app.lifecycle from page visibility. It never offers
 * fs.*, net.listen, env or stdio. Creating it needs no DOM; the ops that use one fail BROWSER_NO_DOM without it.
 */
export function createBrowserAdapter(options: BrowserAdapterOptions = {}): BrowserAdapter {
  const id = options.id ?? 'browser';
  const g = globalThis as unknown as Partial<Window & typeof globalThis>;
  const win: (Window & typeof globalThis) | undefined =
    options.window ?? (typeof g.window !== 'undefined' ? (g.window as Window & typeof globalThis) : undefined);
  const doc: Document | undefined = win?.document;
  const dbName = (options.kv === false ? undefined : options.kv)?.databaseName ?? 'fayger-kv';
  const base = baselineHandlers({ ...(options.log ? { log: options.log } : {}), logDefault: { output: 'console' } });
  const emitters = new Map<string, (e: HostEventInput) => void>();
  const clip = () => clipboardOf(win?.navigator);

  const ui = new DomUiHost(doc, {
    ...(options.container ? { container: options.container } : {}),
    invalidTreeCode: 'BROWSER_UI_TREE_INVALID',
    styles: options.styles !== false,
    unavailable: (op, found) => noDom(op, found, 'a web page, and an Element from it as container'),
  });

  // Opened on first use; a failed open is retried on the next call rather than cached forever.
  const kv = kvHandlers<KvStore>(async () => {
    const backend = (options.kv === false ? undefined : options.kv)?.backend ?? 'auto';
    const idb: IDBFactory | undefined = win ? win.indexedDB : (g.indexedDB as IDBFactory | undefined);
    const ls = (): Storage | undefined => {
      try {
        return win?.localStorage ?? undefined;
      } catch {
        // Reading window.localStorage throws when site data is blocked.
        return undefined;
      }
    };
    if (backend !== 'localstorage' && idb) {
      try {
        return await openIndexedDbKv(idb, dbName);
      } catch (e) {
        if (backend === 'indexeddb' || !ls()) throw e;
        reportHostError(options.diagnostics, id, 'kv.open', e);
      }
    }
    const storage = backend === 'indexeddb' ? undefined : ls();
    if (storage) return createLocalStorageKv(storage, `${dbName}:`);
    const found = backend === 'indexeddb' ? 'no IndexedDB' : 'neither IndexedDB nor localStorage';
    throw browserError('BROWSER_STORAGE_FAILED', 'kv', 'opening browser storage for kv', found, {
      expected: 'IndexedDB or localStorage',
      details: { backend },
    });
  });

  let lifecycle: AbortController | undefined;
  const installLifecycle = () => {
    if (lifecycle || options.lifecycle === false || !doc || !win) return;
    const on = { signal: (lifecycle = new AbortController()).signal };
    const broadcast = (state: 'foreground' | 'background' | 'terminating') => {
      for (const emit of emitters.values()) emit({ type: 'app.lifecycle', data: { state } });
    };
    const onVisibility = () => broadcast(doc.visibilityState === 'hidden' ? 'background' : 'foreground');
    doc.addEventListener('visibilitychange', onVisibility, on);
    // persisted: the page goes into the back/forward cache and may come back; otherwise it is being unloaded.
    win.addEventListener('pagehide', (e) => e.persisted || broadcast('terminating'), on);
  };

  const offers = (): CapabilityOffer[] => {
    const out: CapabilityOffer[] = [...base.offers];
    if (options.http !== false && typeof (win?.fetch ?? g.fetch) === 'function') out.push({ name: 'net.http' });
    if (options.kv !== false && (win?.indexedDB !== undefined || win?.localStorage !== undefined))
      out.push({ name: 'kv' });
    if (doc) out.push({ name: 'ui' });
    if (options.clipboard ?? clip() !== undefined) out.push({ name: 'clipboard' });
    if (options.openUrl !== false && typeof win?.open === 'function') out.push({ name: 'open-url' });
    return out;
  };
  let offerCache: CapabilityOffer[] | undefined;

  const dispose = (instanceId: string) => {
    base.dispose(instanceId);
    ui.dispose(instanceId);
    emitters.delete(instanceId);
  };

  return createAdapter(
    {
      id,
      hostKind: 'browser',
      offers: () => (offerCache ??= offers()),
      detect: detectBrowser,
      ...(options.diagnostics ? { diagnostics: options.diagnostics } : {}),
      onCall: (_ins, ctx) => {
        // The emitter of the latest call is the one kept: it stays valid until the instance is disposed.
        emitters.set(ctx.instanceId, ctx.emit);
        installLifecycle();
      },
      handlers: {
        ...base.handlers,
        'net.http': (a, ctx) => fetchHttp(a, ctx, options.http || {}),
        ...kv.handlers,
        ...ui.handlers,
        'clipboard.read': async () => ({ text: await useClipboard('clipboard.read', clip(), (c) => c.readText()) }),
        'clipboard.write': (a) => useClipboard('clipboard.write', clip(), (c) => c.writeText(a.text)).then(() => ({})),
        'url.open': async (a) => {
          const href = parseOpenableUrl(a.url);
          if (!win) throw noDom('url.open', 'no window in this environment', 'a web page');
          // Opened blank first so a popup blocker shows (a `noopener` window always reads as null), then cut
          // from its opener (it cannot reach back into this page) and sent to the URL.
          const w = win.open('about:blank', '_blank');
          if (!w) {
            const found = 'window.open returned null';
            const what = `opening ${new URL(href).origin}`;
            throw browserError('BROWSER_POPUP_BLOCKED', 'url.open', what, found, {
              expected: 'a new window',
              details: { url: href },
            });
          }
          w.opener = null;
          w.location.href = href;
          return {};
        },
      },
      dispose,
      close() {
        for (const iid of new Set([...emitters.keys(), ...(base.timers?.instanceIds() ?? [])])) dispose(iid);
        lifecycle?.abort();
        lifecycle = undefined;
        kv.close();
        ui.close();
      },
    },
    {
      hostKind: 'browser' as const,
      kvBackend: () => kv.store()?.backend,
      uiRoot: (instanceId: string) => ui.get(instanceId)?.root,
    },
  );
}

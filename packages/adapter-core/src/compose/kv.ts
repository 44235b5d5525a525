import type { OpHandlers } from '../define.js';
import { confineNamespace } from '../scope/confine.js';

/**
 * The storage behind kv.*: an adapter implements these calls over its host's storage (IndexedDB,
 * localStorage, files, a native store) and `kvHandlers` does the rest. Namespaces arrive confined to the grant.
 */
export interface KvStore {
  get(namespace: string, key: string): Promise<Uint8Array | null> | Uint8Array | null;
  set(namespace: string, key: string, value: Uint8Array): Promise<void> | void;
  delete(namespace: string, key: string): Promise<void> | void;
  /** Keys of `namespace` starting with `prefix`, sorted by UTF-16 code units, at most `limit`. */
  list(namespace: string, prefix: string, limit: number): Promise<string[]> | string[];
  close?(): void;
}

export interface KvHandlers<S extends KvStore> {
  /** kv.get, kv.set, kv.delete and kv.list, each confining its namespace to the grant (`confineNamespace`). */
  handlers: Pick<OpHandlers, 'kv.get' | 'kv.set' | 'kv.delete' | 'kv.list'>;
  /** The store, once opened. */
  store(): S | undefined;
  /** Closes the store if open; a later call opens it again. */
  close(): void;
}

/**
 * kv.* over a `KvStore`, or over a function that opens one on first use (a failed open is retried on the next
 * call rather than cached; a store that opens after `close()` is closed at once).
 */
export function kvHandlers<S extends KvStore>(store: S | (() => S | Promise<S>)): KvHandlers<S> {
  let opened = typeof store === 'function' ? undefined : store;
  let opening: Promise<S> | undefined;
  const open = (): S | Promise<S> => {
    if (opened) return opened;
    if (!opening) {
      const p = Promise.resolve().then(store as () => S | Promise<S>);
      opening = p;
      p.then(
        (s) => {
          if (opening === p) opened = s;
          else s.close?.();
        },
        () => {
          if (opening === p) opening = undefined;
        },
      );
    }
    return opening;
  };
  return {
    handlers: {
      'kv.get': async (a, ctx) => ({
        value: (await (await open()).get(confineNamespace('kv.get', a.namespace, ctx.scope), a.key)) ?? null,
      }),
      'kv.set': async (a, ctx) => {
        await (await open()).set(confineNamespace('kv.set', a.namespace, ctx.scope), a.key, a.value);
        return {};
      },
      'kv.delete': async (a, ctx) => {
        await (await open()).delete(confineNamespace('kv.delete', a.namespace, ctx.scope), a.key);
        return {};
      },
      'kv.list': async (a, ctx) => ({
        keys: await (await open()).list(
          confineNamespace('kv.list', a.namespace, ctx.scope),
          a.prefix ?? '',
          a.limit ?? 10_000,
        ),
      }),
    },
    store: () => opened,
    close() {
      if (typeof store !== 'function') return store.close?.();
      opened?.close?.();
      opened = undefined;
      opening = undefined;
    },
  };
}

/** A KvStore in memory (tests, sandboxes, hosts without storage): values are copied in and out. */
export function memoryKvStore(): KvStore {
  const spaces = new Map<string, Map<string, Uint8Array>>();
  const ns = (name: string) => spaces.get(name) ?? spaces.set(name, new Map()).get(name)!;
  return {
    get: (n, key) => ns(n).get(key)?.slice() ?? null,
    set: (n, key, value) => void ns(n).set(key, value.slice()),
    delete: (n, key) => void ns(n).delete(key),
    list: (n, prefix, limit) =>
      [...ns(n).keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .slice(0, limit),
  };
}

import { FaygerError } from '@fayger/contracts';
import { browserError, describeThrown } from '../errors.js';
import type { KvStore as CoreKvStore } from '@fayger/adapter-core';

/** The storage behind kv.* (adapter-core's `kvHandlers` drives it): one over IndexedDB, one over localStorage. */
export type KvStore = CoreKvStore & { readonly backend: 'indexeddb' | 'localstorage'; close(): void };

const STORE = 'kv';

/** A storage failure (quota, blocked, disabled) as BROWSER_STORAGE_FAILED naming the backend and op. */
export function storageFailed(op: string, e: unknown, backend = 'indexeddb') {
  const what = `${backend === 'indexeddb' ? 'IndexedDB' : 'localStorage'} ${op}`;
  return browserError('BROWSER_STORAGE_FAILED', op, what, describeThrown(e), {
    cause: e,
    retryable: true,
    details: { backend },
  });
}

function request<T>(op: string, r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(storageFailed(op, r.error));
  });
}

function done(op: string, tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageFailed(op, tx.error));
    tx.onabort = () => reject(storageFailed(op, tx.error ?? new Error('transaction aborted')));
  });
}

/** Opens (creating if needed) the kv database. Rejects BROWSER_STORAGE_FAILED when IndexedDB is unusable. */
export async function openIndexedDbKv(factory: IDBFactory, name: string): Promise<KvStore> {
  let db: IDBDatabase;
  try {
    const open = factory.open(name, 1);
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
    };
    db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(storageFailed('open', open.error));
      open.onblocked = () =>
        reject(storageFailed('open', new Error(`database ${name} is blocked by another tab holding an older version`)));
    });
  } catch (e) {
    throw FaygerError.is(e) ? e : storageFailed('open', e);
  }
  // Another tab upgrading the database must not hang on us.
  db.onversionchange = () => db.close();

  // Keys are [namespace, key]. Arrays sort after every string in IndexedDB order, so [ns, []] bounds a namespace.
  const run = async <T>(op: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    try {
      const tx = db.transaction(STORE, mode);
      const [value] = await Promise.all([request(op, fn(tx.objectStore(STORE))), done(op, tx)]);
      return value;
    } catch (e) {
      throw FaygerError.is(e) ? e : storageFailed(op, e);
    }
  };

  return {
    backend: 'indexeddb',
    async get(ns, key) {
      const v = await run('kv.get', 'readonly', (s) => s.get([ns, key]) as IDBRequest<unknown>);
      return v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : null;
    },
    async set(ns, key, value) {
      // A copy: the guest's buffer may be a view into its memory that changes after the call.
      await run('kv.set', 'readwrite', (s) => s.put(new Uint8Array(value), [ns, key]));
    },
    async delete(ns, key) {
      await run('kv.delete', 'readwrite', (s) => s.delete([ns, key]));
    },
    async list(ns, prefix, limit) {
      // The keys from [ns, prefix] on are sorted, so those starting with `prefix` come first: take `limit` of them.
      const range = IDBKeyRange.bound([ns, prefix], [ns, []], false, true);
      const keys = await run('kv.list', 'readonly', (s) => s.getAllKeys(range, limit));
      return (keys as Array<[string, string]>)
        .map((k) => k[1])
        .filter((k) => k.startsWith(prefix))
        .slice(0, limit);
    },
    close() {
      db.close();
    },
  };
}

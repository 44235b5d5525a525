import { FaygerError } from '@fayger/contracts';
import { browserError, describeThrown } from '../errors.js';
import type { KvStore } from './kv-store.js';

const STORE = 'kv';

function storageFailed(op: string, e: unknown) {
  return browserError('BROWSER_STORAGE_FAILED', op, `IndexedDB ${op}`, describeThrown(e), {
    cause: e,
    retryable: true,
    details: { backend: 'indexeddb' },
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
      const keys: string[] = [];
      try {
        const tx = db.transaction(STORE, 'readonly');
        const finished = done('kv.list', tx);
        const cursor = tx.objectStore(STORE).openKeyCursor(IDBKeyRange.bound([ns, prefix], [ns, []], false, true));
        await new Promise<void>((resolve, reject) => {
          cursor.onerror = () => reject(storageFailed('kv.list', cursor.error));
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) return resolve();
            const k = (c.key as [string, string])[1];
            if (!k.startsWith(prefix) || keys.length >= limit) return resolve();
            keys.push(k);
            c.continue();
          };
        });
        await finished;
      } catch (e) {
        throw FaygerError.is(e) ? e : storageFailed('kv.list', e);
      }
      return keys;
    },
    close() {
      db.close();
    },
  };
}

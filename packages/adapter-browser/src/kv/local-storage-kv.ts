import { base64ToBytes, bytesToBase64 } from '@fayger/adapter-core';
import { storageFailed, type KvStore } from './indexeddb-kv.js';

function fromBase64(b64: string): Uint8Array {
  const bytes = base64ToBytes(b64);
  // Another script wrote to our prefix, or the entry was cut short: not a value this store wrote.
  if (!bytes) throw new TypeError(`the stored entry is not canonical base64 (${b64.length} characters)`);
  return bytes;
}

// An entry this store wrote ([namespace, key] as JSON), or undefined for another script's.
function parseEntry(text: string): [string, string] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' ? [v[0], v[1]] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * kv over localStorage, for pages where IndexedDB is missing or refuses to open. localStorage holds strings
 * only, so values are base64; entries are `<prefix>` + JSON `[namespace, key]`, which keeps any namespace or key
 * (colons, NULs) unambiguous. Quota errors (about 5 MB per origin) surface as BROWSER_STORAGE_FAILED.
 */
export function createLocalStorageKv(storage: Storage, prefix: string): KvStore {
  const entry = (ns: string, key: string) => `${prefix}${JSON.stringify([ns, key])}`;
  const guard = <T>(op: string, fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(storageFailed(op, e, 'localstorage'));
    }
  };
  return {
    backend: 'localstorage',
    get: (ns, key) =>
      guard('kv.get', () => {
        const v = storage.getItem(entry(ns, key));
        return v === null ? null : fromBase64(v);
      }),
    set: (ns, key, value) => guard('kv.set', () => storage.setItem(entry(ns, key), bytesToBase64(value))),
    delete: (ns, key) => guard('kv.delete', () => storage.removeItem(entry(ns, key))),
    list: (ns, keyPrefix, limit) =>
      guard('kv.list', () => {
        const keys: string[] = [];
        for (let i = 0; i < storage.length; i++) {
          const k = storage.key(i);
          const entry = k?.startsWith(prefix) ? parseEntry(k.slice(prefix.length)) : undefined;
          if (entry?.[0] === ns && entry[1].startsWith(keyPrefix)) keys.push(entry[1]);
        }
        return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
      }),
    close() {},
  };
}

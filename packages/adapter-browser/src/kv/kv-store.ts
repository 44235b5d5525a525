import type { KvStore as CoreKvStore } from '@fayger/adapter-core';

/** The storage behind kv.* (adapter-core's `kvHandlers` drives it): one over IndexedDB, one over localStorage. */
export interface KvStore extends CoreKvStore {
  readonly backend: 'indexeddb' | 'localstorage';
  close(): void;
}

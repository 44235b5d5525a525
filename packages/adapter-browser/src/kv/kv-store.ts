/** The storage behind kv.*: one implementation over IndexedDB, one over localStorage. */
export interface KvStore {
  readonly backend: 'indexeddb' | 'localstorage';
  get(namespace: string, key: string): Promise<Uint8Array | null>;
  set(namespace: string, key: string, value: Uint8Array): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  /** Keys of `namespace` starting with `prefix`, sorted by UTF-16 code units, at most `limit`. */
  list(namespace: string, prefix: string, limit: number): Promise<string[]>;
  close(): void;
}

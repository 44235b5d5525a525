import type { VersionStore } from '@fayger/contracts';
import { assertSequence, assertVersionKey } from './validate.js';

/**
 * Highest sequence per (publisher, artifact id), kept in memory (per process; tests, browsers without storage).
 * `initial` is `{ "<publisher>": { "<artifact id>": sequence } }`.
 */
export function createMemoryVersionStore(initial?: Record<string, Record<string, number>>): VersionStore {
  // Keyed by JSON [publisher, id]: no separator a publisher or id could contain can make two keys collide.
  const map = new Map<string, number>();
  const k = (publisher: string, artifactId: string) => JSON.stringify([publisher, artifactId]);
  for (const [publisher, ids] of Object.entries(initial ?? {})) {
    for (const [artifactId, seq] of Object.entries(ids)) {
      assertVersionKey({ publisher, artifactId });
      assertSequence(seq);
      map.set(k(publisher, artifactId), seq);
    }
  }
  return {
    async get(key) {
      assertVersionKey(key);
      return map.get(k(key.publisher, key.artifactId));
    },
    async record(key, sequence) {
      assertVersionKey(key);
      assertSequence(sequence);
      const id = k(key.publisher, key.artifactId);
      const prev = map.get(id);
      if (prev === undefined || sequence > prev) map.set(id, sequence);
    },
  };
}

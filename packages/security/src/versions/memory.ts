import type { VersionStore } from '@fayger/contracts';
import { assertArtifactId, assertSequence } from './validate.js';

/** Highest sequence per artifact id, kept in memory (per process; tests, browsers without storage). */
export function createMemoryVersionStore(initial?: Record<string, number>): VersionStore {
  const map = new Map<string, number>();
  for (const [id, seq] of Object.entries(initial ?? {})) {
    assertArtifactId(id);
    assertSequence(seq);
    map.set(id, seq);
  }
  return {
    async get(artifactId) {
      assertArtifactId(artifactId);
      return map.get(artifactId);
    },
    async record(artifactId, sequence) {
      assertArtifactId(artifactId);
      assertSequence(sequence);
      const prev = map.get(artifactId);
      if (prev === undefined || sequence > prev) map.set(artifactId, sequence);
    },
  };
}

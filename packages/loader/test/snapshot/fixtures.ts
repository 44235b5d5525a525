// Snapshot fixtures: hand-built InstanceSnapshot objects shaped like the runtime's, real host keys and trusted roots.
import type { InstanceSnapshot, TrustVerifier } from '@fayger/contracts';
import { createEd25519Signer, createTrustVerifier, trustedRootEntry } from '@fayger/security';
import { SNAPSHOT_PUBLISHER } from '../../src/index.js';

export const PAGE = 65_536;

/** A deterministic host key (secret seed = 32 × seedByte). */
export function hostKey(seedByte: number) {
  return createEd25519Signer(new Uint8Array(32).fill(seedByte));
}

/** Trusted roots holding these host keys, scoped to snapshots as `fayger keygen -p fayger.snapshot` would. */
export function trustHostKeys(keys: { publicKey: Uint8Array }[], publishers = [SNAPSHOT_PUBLISHER]): TrustVerifier {
  return createTrustVerifier({
    roots: { version: 1, keys: keys.map((k) => trustedRootEntry(k.publicKey, { publishers })) },
    policy: {},
  });
}

/** A memory of `pages` pages with the given pages filled by a seeded pattern (never all zero). */
export function memory(pages: number, touched: readonly number[], seed = 1) {
  const bytes = new Uint8Array(pages * PAGE);
  let x = seed >>> 0 || 1;
  for (const p of touched) {
    for (let i = p * PAGE; i < (p + 1) * PAGE; i += 97) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = (x >>> 16) & 0xff;
    }
    bytes[p * PAGE + 5] = 1;
  }
  return { pages, bytes };
}

export function snapshot(over: Partial<InstanceSnapshot> = {}, engineOver: Partial<InstanceSnapshot['engine']> = {}) {
  const state = new Uint8Array(300);
  for (let i = 0; i < state.length; i++) state[i] = (i * 31 + 7) & 0xff;
  const s: InstanceSnapshot = {
    version: 1,
    app: { id: 'com.example.counter', version: '1.4.0' },
    codeDigest: 'a3'.repeat(32),
    entry: '_start',
    engine: {
      engine: 'fayger-interpreter',
      stateVersion: 2,
      memories: [memory(17, [0, 1, 2, 9, 16])],
      state,
      fuelUsed: 1_234_567,
      calls: [{ export: '_start', waiting: true }],
      ...engineOver,
    },
    grants: [
      { name: 'stdio' },
      { name: 'fs.read', scope: { roots: ['/data'] }, quota: { calls: 1000, bytes: 1 << 20 } },
      { name: 'clock' },
    ],
    pending: { op: 'fs.read', capability: 'fs.read' },
    resources: [
      { kind: 'wasi.fd', handle: 3, capability: 'fs.read', data: { path: '/data', preopen: true } },
      {
        kind: 'wasi.fd',
        handle: 4,
        capability: 'fs.read',
        data: { path: '/data/input.txt', offset: 4096, rights: ['read', 'seek'] },
      },
    ],
    origin: { hostKind: 'server', takenAt: '2026-12-03T10:45:00.000Z' },
    ...over,
  };
  return s;
}

/** The smallest realistic snapshot: one empty page of memory, a tiny state, no resources (the spec's worked example). */
export function tinySnapshot(): InstanceSnapshot {
  const mem = new Uint8Array(2 * PAGE);
  mem.set([0x68, 0x69], PAGE + 16); // "hi" in page 1
  return {
    version: 1,
    app: { id: 'com.example.hi', version: '1.0.0' },
    codeDigest: '93a44bbb96c751218e4c00d479e4c14358122a389acca16205b1e4d0dc5f9476',
    entry: '_start',
    engine: {
      engine: 'fayger-interpreter',
      stateVersion: 2,
      memories: [{ pages: 2, bytes: mem }],
      state: Uint8Array.of(1, 0, 0, 0, 42),
      fuelUsed: 5000,
      calls: [{ export: '_start', waiting: false }],
    },
    grants: [{ name: 'log' }],
    resources: [],
    origin: { hostKind: 'server', takenAt: '2026-12-03T12:00:00.000Z' },
  };
}

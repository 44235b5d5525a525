// Snapshot sizes and encode/load times for a few memory shapes (docs/spec/snapshot-v1.md §5.2).
// Run: pnpm --filter @fayger/loader bench:snapshot   (times are machine-dependent; sizes are exact)
import type { InstanceSnapshot } from '@fayger/contracts';
import { createEd25519Signer, createTrustVerifier, trustedRootEntry } from '@fayger/security';
import { nodeDigestProvider } from '@fayger/security/node';
import { encodeSnapshot, openSnapshot } from '../src/index.js';

const PAGE = 65_536;
const key = createEd25519Signer(new Uint8Array(32).fill(1));
const trust = createTrustVerifier({
  roots: { version: 1, keys: [trustedRootEntry(key.publicKey, { publishers: ['fayger.snapshot'] })] },
  policy: {},
});

function snap(pages: number, touched: number[], stateBytes = 2048): InstanceSnapshot {
  const bytes = new Uint8Array(pages * PAGE);
  for (const p of touched) bytes.fill(0x5a, p * PAGE, p * PAGE + 4096);
  return {
    version: 1,
    app: { id: 'com.example.bench', version: '1.0.0' },
    codeDigest: '00'.repeat(32),
    entry: '_start',
    engine: {
      engine: 'fayger-interpreter',
      stateVersion: 1,
      memories: [{ pages, bytes }],
      state: new Uint8Array(stateBytes).fill(1),
      fuelUsed: 1e6,
      calls: [{ export: '_start', waiting: false }],
    },
    grants: [{ name: 'stdio' }],
    resources: [],
    origin: { hostKind: 'server', takenAt: '2026-12-03T12:00:00Z' },
  };
}

const cases: [string, InstanceSnapshot][] = [
  ['1 page (64 KiB), 1 touched', snap(1, [0])],
  ['17 pages (1.06 MiB), 5 touched', snap(17, [0, 1, 2, 9, 16])],
  ['256 pages (16 MiB), untouched', snap(256, [])],
  ['4096 pages (256 MiB), 3 touched', snap(4096, [10, 11, 4000])],
  [
    '4096 pages (256 MiB), 512 touched',
    snap(
      4096,
      Array.from({ length: 512 }, (_, i) => i * 8),
    ),
  ],
];
console.log('memory                                   file bytes   encode ms   load+verify ms');
for (const [name, s] of cases) {
  // Warm-up pass (JIT), then the measured one.
  await encodeSnapshot(s, { digest: nodeDigestProvider, signer: key });
  let t = performance.now();
  const bytes = await encodeSnapshot(s, { digest: nodeDigestProvider, signer: key });
  const enc = performance.now() - t;
  t = performance.now();
  const loaded = await openSnapshot(bytes, { digest: nodeDigestProvider, trust });
  const load = performance.now() - t;
  if (!loaded.verified) throw new Error('not verified');
  console.log(
    `${name.padEnd(40)} ${String(bytes.length).padStart(10)}   ${enc.toFixed(0).padStart(9)}   ${load.toFixed(0).padStart(14)}`,
  );
}

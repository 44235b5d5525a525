// Ad-hoc: phase timings of a lazy open with many sections (not part of the bench JSON).
import { nodeDigestProvider } from '@fayger/security/node';
import { MemorySource, loadBuf, packBuf } from '../src/index.js';

const n = Number(process.env.N ?? 10000);
const sections = [];
for (let i = 0; i < n; i++)
  sections.push({
    name: `section-${i}`,
    kind: (i ? 'data' : 'code') as 'data',
    data: new Uint8Array(1 + (i % 7)),
    locales: i % 10 === 0 ? ['en', 'fr'] : [],
    dependsOn: i > 1 && i % 5 === 0 ? [i - 1] : [],
    priority: i % 13,
  });
const m = {
  id: 'b',
  version: '1.0.0',
  publisher: 'b',
  runtime: { interface: '^1' },
  entry: { section: 'section-0', export: 'x' },
  capabilities: [],
  quotas: {},
  security: { sequence: 1 },
};
const bytes = await packBuf(m, sections, { digest: nodeDigestProvider });
for (let r = 0; r < 3; r++) {
  const ph: Record<string, number> = {};
  await loadBuf(new MemorySource(bytes), {
    digest: nodeDigestProvider,
    trust: { allowUnsigned: true },
    profile: { host: 'server', locales: ['en'] },
    supportedInterfaceVersions: ['1.0.0'],
    events: {
      emit: (e) => {
        if (e.name === 'loader.phase.end') ph[e.phase ?? e.name] = Math.round(e.data.durationMs * 10) / 10;
      },
    },
  });
  console.log(ph);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '@fayger/contracts';
import { MemorySource, canonicalJson, loadBuf, packBuf, serializeBuf, type SectionInput } from '../src/index.js';
import { fuzzSeed, nodeDigest, testSigner, testVerifier } from './helpers.js';

const ident = fc.stringMatching(/^[a-z0-9_][a-z0-9_.:/@+-]{0,12}$/);
const signer = testSigner('prop', 11);

const manifestArb: fc.Arbitrary<Manifest> = fc.record(
  {
    id: ident,
    version: fc.tuple(fc.nat(50), fc.nat(50), fc.nat(50)).map(([a, b, c]) => `${a}.${b}.${c}`),
    publisher: ident,
    runtime: fc.record(
      {
        interface: fc.constantFrom('^1.0.0', '~1.0', '1.x', '>=1.0.0 <2', '*', '^0.9 || ^1'),
        implementation: fc.record(
          {
            preferred: fc.uniqueArray(ident, { maxLength: 3 }),
            requiredFeatures: fc.uniqueArray(ident, { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['interface'] },
    ),
    entry: fc.record({ section: fc.constant('main'), export: fc.string({ minLength: 1, maxLength: 20 }) }),
    capabilities: fc.uniqueArray(
      fc.record(
        {
          name: fc.constantFrom('log', 'clock', 'fs.read', 'net.http', 'ui', 'kv'),
          required: fc.boolean(),
          reason: fc.string({ maxLength: 30 }),
        },
        { requiredKeys: ['name', 'required'] },
      ),
      { selector: (c) => c.name, maxLength: 4 },
    ),
    quotas: fc.record(
      {
        fuel: fc.nat(),
        memoryPages: fc.nat(65536),
        wallTimeMs: fc.nat(),
        callDepth: fc.integer({ min: 1, max: 100000 }),
      },
      { requiredKeys: [] },
    ),
    security: fc.record(
      { sequence: fc.nat(), expires: fc.constantFrom('2099-01-01T00:00:00Z', '2100-12-31T23:59:59.5Z') },
      { requiredKeys: ['sequence'] },
    ),
    extensions: fc.dictionary(ident, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
  },
  { requiredKeys: ['id', 'version', 'publisher', 'runtime', 'entry', 'capabilities', 'quotas', 'security'] },
) as fc.Arbitrary<Manifest>;

const sectionsArb: fc.Arbitrary<SectionInput[]> = fc
  .uniqueArray(
    fc.record({
      name: ident,
      kind: fc.constantFrom('code', 'data', 'assets', 'custom') as fc.Arbitrary<SectionInput['kind']>,
      data: fc.uint8Array({ maxLength: 9000 }),
      required: fc.boolean(),
      hosts: fc.uniqueArray(fc.constantFrom('server', 'browser', 'desktop', 'in-app'), { maxLength: 2 }),
      features: fc.uniqueArray(ident, { maxLength: 2 }),
      locales: fc.uniqueArray(fc.constantFrom('en', 'fr', 'de-CH'), { maxLength: 2 }),
      priority: fc.integer({ min: -1000, max: 1000 }),
      chunk: fc.boolean(),
      dep: fc.nat(),
    }),
    { selector: (s) => s.name, maxLength: 6 },
  )
  .map((raw) => {
    const named = raw.filter((r) => r.name !== 'main');
    const all = [
      { ...(raw[0] ?? named[0] ?? { data: new Uint8Array(3) }), name: 'main', kind: 'code' as const },
      ...named,
    ];
    return all.map((r, i) => ({
      name: r.name,
      kind: r.kind,
      data: r.data,
      required: r.required,
      hosts: r.hosts,
      features: r.features,
      locales: r.locales,
      priority: r.priority,
      // Depend only on earlier sections: acyclic by construction.
      dependsOn: i > 0 && r.dep % 3 === 0 ? [all[r.dep % i]!.name] : [],
      chunkSize: r.chunk && r.data.length > 0 ? 4096 : 0,
    })) as SectionInput[];
  });

describe('builder → bytes → reader round trip (property)', () => {
  it('any manifest and sections load back equal and re-serialize byte-identically', async () => {
    await fc.assert(
      fc.asyncProperty(
        manifestArb,
        sectionsArb,
        fc.constantFrom(1, 2, 8, 64, 4096),
        fc.boolean(),
        async (m, sections, alignment, signed) => {
          const bytes = await packBuf(m, sections, { digest: nodeDigest, alignment, signers: signed ? [signer] : [] });
          const again = await packBuf(m, sections, { digest: nodeDigest, alignment, signers: signed ? [signer] : [] });
          expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
          const loaded = await loadBuf(new MemorySource(bytes), {
            digest: nodeDigest,
            trust: signed ? testVerifier([signer]) : { allowUnsigned: true },
            profile: { host: 'server', locales: ['en'] },
            strategy: 'eager',
            supportedInterfaceVersions: ['1.0.0', '1.5.0'],
          });
          expect(canonicalJson(loaded.manifest)).toBe(canonicalJson(m));
          expect(loaded.sections.map((s) => s.name)).toEqual(sections.map((s) => s.name));
          for (const s of sections) {
            const info = loaded.sections.find((x) => x.name === s.name)!;
            expect(info.rawLength).toBe(s.data.length);
            if (loaded.has(s.name))
              expect(Buffer.from(await loaded.section(s.name)).equals(Buffer.from(s.data))).toBe(true);
          }
          const out = await serializeBuf(loaded);
          expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
        },
      ),
      // Bounded by a run count; a fresh seed each run (printed) unless FAYGER_FUZZ_SEED is set.
      { numRuns: 150, seed: fuzzSeed('pack → load round trip (fast-check)') | 0 },
    );
  }, 60_000);
});

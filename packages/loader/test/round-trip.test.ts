import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { BufBuilder, MemorySource, builderFromLoaded, loadBuf, packBuf, serializeBuf } from '../src/index.js';
import { asyncDigest, bytes, manifest, nodeDigest, testSigner, testVerifier } from './helpers.js';

const alice = testSigner('alice', 1);
const bob = testSigner('bob', 2);

async function sample(signers = [alice]) {
  return packBuf(
    manifest(),
    [
      { name: 'main', kind: 'code', data: bytes('\0asm\x01\0\0\0'), required: true },
      { name: 'strings.en', kind: 'data', data: bytes('hello'), locales: ['en'] },
      { name: 'strings.fr', kind: 'data', data: bytes('bonjour'), locales: ['fr'] },
      {
        name: 'ui',
        kind: 'assets',
        data: new Uint8Array(5000).fill(7),
        hosts: ['browser', 'desktop'],
        dependsOn: ['strings.en'],
      },
    ],
    { digest: nodeDigest, signers },
  );
}

const base = { digest: nodeDigest, supportedInterfaceVersions: ['1.0.0', '1.4.0', '2.0.0'] };

describe('pack → load → serialize', () => {
  it('is deterministic and round-trips byte-identically (eager and lazy)', async () => {
    const a = await sample();
    const b = await sample();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    for (const strategy of ['eager', 'lazy'] as const) {
      const loaded = await loadBuf(new MemorySource(a), {
        ...base,
        trust: testVerifier([alice]),
        profile: { host: 'browser', locales: ['en'] },
        strategy,
      });
      expect(loaded.version.runtimeInterface).toBe('1.4.0');
      expect(loaded.signature.result.verifiedKeyIds).toEqual(['alice']);
      expect(new TextDecoder().decode(await loaded.section('strings.en'))).toBe('hello');
      const out = await serializeBuf(loaded);
      expect(Buffer.from(out).equals(Buffer.from(a))).toBe(true);
    }
  });

  it('builderFromLoaded re-packs byte-identically and re-signs with other keys', async () => {
    const original = await packBuf(
      manifest(),
      [
        { name: 'main', kind: 'code', data: bytes('\0asm'), required: true, infoFlags: 0x42, id: 7 },
        {
          name: 'big',
          kind: 'data',
          data: new Uint8Array(10_000).fill(3),
          chunkSize: 4096,
          hosts: ['desktop'],
          priority: -3,
        },
      ],
      { digest: nodeDigest, signers: [alice], alignment: 64, optionalFlags: 5 },
    );
    const loaded = await loadBuf(new MemorySource(original), {
      ...base,
      trust: { allowUnsigned: true },
      profile: { host: 'server' },
    });
    expect(loaded.sections[0]!.infoFlags).toBe(0x42);
    const same = await (await builderFromLoaded(loaded)).build({ digest: nodeDigest, signers: [alice] });
    expect(Buffer.from(same).equals(Buffer.from(original))).toBe(true);
    const resigned = await (await builderFromLoaded(loaded)).build({ digest: nodeDigest, signers: [alice, bob] });
    const again = await loadBuf(new MemorySource(resigned), {
      ...base,
      trust: testVerifier([alice, bob], { threshold: 2 }),
      profile: { host: 'desktop' },
      strategy: 'eager',
    });
    expect(again.signature.keyIds).toEqual(['alice', 'bob']);
    expect(Buffer.from(await again.section('big')).equals(Buffer.from(new Uint8Array(10_000).fill(3)))).toBe(true);
  });

  it('signs with several signers in a canonical order', async () => {
    const x = await sample([bob, alice]);
    const y = await sample([alice, bob]);
    expect(Buffer.from(x).equals(Buffer.from(y))).toBe(true);
    const loaded = await loadBuf(new MemorySource(x), {
      ...base,
      trust: testVerifier([alice, bob], { threshold: 2 }),
      profile: { host: 'server' },
    });
    expect(loaded.signature.keyIds).toEqual(['alice', 'bob']);
  });

  it('selects by profile and reports why', async () => {
    const loaded = await loadBuf(new MemorySource(await sample()), {
      ...base,
      trust: testVerifier([alice]),
      profile: { host: 'server', locales: ['fr'] },
    });
    const r = Object.fromEntries(loaded.selection.entries.map((e) => [e.name, [e.included, e.reason]]));
    expect(r).toEqual({
      main: [true, 'entry'],
      'strings.en': [false, 'locale-mismatch'],
      'strings.fr': [true, 'selected'],
      ui: [false, 'host-mismatch'],
    });
    await expect(loaded.section('ui')).rejects.toMatchObject({ code: 'LOADER_SECTION_NOT_SELECTED' });
    await expect(loaded.section('nope')).rejects.toMatchObject({ code: 'LOADER_SECTION_NOT_FOUND' });
  });

  it('works with an async-only digest provider and unsigned artifacts when allowed', async () => {
    const a = await packBuf(manifest(), [{ name: 'main', kind: 'code', data: bytes('x') }], { digest: asyncDigest });
    const loaded = await loadBuf(new MemorySource(a), {
      ...base,
      digest: asyncDigest,
      trust: { allowUnsigned: true },
      profile: { host: 'server' },
      strategy: 'eager',
    });
    expect(loaded.signature.result.unsigned).toBe(true);
    await expect(
      loadBuf(new MemorySource(a), { ...base, trust: testVerifier([alice]), profile: { host: 'server' } }),
    ).rejects.toSatisfy((e) => FaygerError.is(e));
    expect(Buffer.from(await serializeBuf(loaded)).equals(Buffer.from(a))).toBe(true);
  });

  it('builder rejects bad input with LOADER_BUILD_INVALID', async () => {
    const b = new BufBuilder(manifest())
      .addSection({ name: 'main', kind: 'code', data: bytes('a') })
      .addSection({ name: 'main', kind: 'data', data: bytes('b') });
    await expect(b.build({ digest: nodeDigest })).rejects.toMatchObject({ code: 'LOADER_BUILD_INVALID' });
    const cyc = new BufBuilder(manifest())
      .addSection({ name: 'main', kind: 'code', data: bytes('a'), dependsOn: ['x'] })
      .addSection({ name: 'x', kind: 'data', data: bytes('b'), dependsOn: ['main'] });
    await expect(cyc.build({ digest: nodeDigest })).rejects.toMatchObject({
      code: 'LOADER_BUILD_INVALID',
      message: expect.stringContaining('cycle main → x → main'),
    });
    const noEntry = new BufBuilder(manifest()).addSection({ name: 'main', kind: 'data', data: bytes('a') });
    await expect(noEntry.build({ digest: nodeDigest })).rejects.toMatchObject({ code: 'LOADER_BUILD_INVALID' });
  });
});

import { describe, expect, it } from 'vitest';
import type { AnyFaygerEvent } from '@fayger/contracts';
import { MemorySource, loadBuf, packBuf } from '../src/index.js';
import { GuardedSource, bytes, manifest, nodeDigest, testSigner, testVerifier } from './helpers.js';

const alice = testSigner('alice', 1);
const trust = testVerifier([alice]);
const base = { digest: nodeDigest, trust, supportedInterfaceVersions: ['1.0.0'] };

const artifact = () =>
  packBuf(
    manifest(),
    [
      { name: 'main', kind: 'code', data: bytes('\0asm'), required: true, dependsOn: ['lib'] },
      { name: 'lib', kind: 'code', data: new Uint8Array(1000).fill(1) },
      { name: 'a', kind: 'data', data: new Uint8Array(400).fill(2), priority: 1 },
      { name: 'b', kind: 'data', data: new Uint8Array(300).fill(3), priority: 5, dependsOn: ['c'] },
      { name: 'c', kind: 'data', data: new Uint8Array(200).fill(4), features: ['never'] },
      { name: 'big', kind: 'assets', data: new Uint8Array(50_000).map((_, i) => i % 251), chunkSize: 4096 },
    ],
    { digest: nodeDigest, signers: [alice] },
  );

describe('loadBuf phases', () => {
  it('emits start/end events with timing for every phase, in order', async () => {
    const events: AnyFaygerEvent[] = [];
    await loadBuf(new MemorySource(await artifact()), {
      ...base,
      profile: { host: 'server' },
      strategy: 'eager',
      events: { emit: (e) => events.push(e) },
    });
    // Contract events (one model for every layer): name, layer, phase, typed data.
    expect(events.every((e) => e.layer === 'loader')).toBe(true);
    const phaseEnds = events.filter((e) => e.name === 'loader.phase.end') as Array<
      AnyFaygerEvent & { data: { phase: string; durationMs: number; bytes?: number } }
    >;
    expect(phaseEnds.map((e) => e.phase)).toEqual([
      'read',
      'parse',
      'verify-structure',
      'verify-digest',
      'verify-signature',
      'negotiate-version',
      'select',
      'resolve-dependencies',
      'read-bodies',
      'hand-off',
    ]);
    expect(phaseEnds.map((e) => e.data.phase)).toEqual(phaseEnds.map((e) => e.phase));
    expect(phaseEnds.every((e) => typeof e.data.durationMs === 'number' && e.data.durationMs >= 0)).toBe(true);
    expect(events.some((e) => e.name === 'loader.section.read')).toBe(true);
    expect(events[0]).toMatchObject({ name: 'loader.load.start', data: { strategy: 'eager' } });
    expect(events.at(-1)).toMatchObject({
      name: 'loader.load.end',
      data: { artifactId: 'com.example.hello', sectionsSelected: 6, sectionsSkipped: 0 },
    });
    expect((events.at(-1)!.data as { bytesRead: number }).bytesRead > 50_000).toBe(true);
    expect(phaseEnds.find((e) => e.phase === 'read')!.data.bytes).toBeGreaterThan(64);
  });

  it('tags failures with their phase and emits an error event', async () => {
    const events: AnyFaygerEvent[] = [];
    const err = await loadBuf(new MemorySource(await artifact()), {
      ...base,
      supportedInterfaceVersions: ['2.0.0', '0.9.0'],
      profile: { host: 'server' },
      events: { emit: (e) => events.push(e) },
    }).catch((e) => e);
    expect(err.code).toBe('LOADER_INTERFACE_UNSUPPORTED');
    expect(err.phase).toBe('negotiate-version');
    expect(err.message).toContain('^1.0.0');
    expect(err.message).toContain('2.0.0, 0.9.0');
    expect(events.at(-2)).toMatchObject({
      name: 'loader.phase.error',
      phase: 'negotiate-version',
      data: { phase: 'negotiate-version', error: { code: 'LOADER_INTERFACE_UNSUPPORTED' } },
    });
    expect(events.at(-1)).toMatchObject({
      name: 'loader.load.error',
      phase: 'negotiate-version',
      data: { error: { code: 'LOADER_INTERFACE_UNSUPPORTED' } },
    });
  });

  it('selects by priority within the byte budget, pulling dependencies in, and reports it', async () => {
    const loaded = await loadBuf(new MemorySource(await artifact()), {
      ...base,
      profile: { host: 'server', byteBudget: 1004 + 500 + 400 },
    });
    const r = Object.fromEntries(loaded.selection.entries.map((e) => [e.name, `${e.included ? '+' : '-'}${e.reason}`]));
    expect(r).toEqual({
      main: '+entry',
      lib: '+dependency',
      a: '+selected',
      b: '+selected',
      c: '+dependency',
      big: '-over-budget',
    });
    expect(loaded.selection.includedBytes).toBe(4 + 1000 + 400 + 300 + 200);
    // Dependencies come first in the load order.
    const order = loaded.selection.loadOrder.map((id) => loaded.sections.find((s) => s.id === id)!.name);
    expect(order.indexOf('lib')).toBeLessThan(order.indexOf('main'));
    expect(order.indexOf('c')).toBeLessThan(order.indexOf('b'));
    const low = await loadBuf(new MemorySource(await artifact()), {
      ...base,
      profile: { host: 'server', byteBudget: 1004 + 450, priorities: { a: 10 } },
    });
    expect(low.selection.entries.find((e) => e.name === 'a')!.included).toBe(true);
    expect(low.selection.entries.find((e) => e.name === 'b')!.reason).toBe('over-budget');
  });

  it('says by how much the required sections exceed the budget', async () => {
    const err = await loadBuf(new MemorySource(await artifact()), {
      ...base,
      profile: { host: 'server', byteBudget: 1000 },
    }).catch((e) => e);
    expect(err.code).toBe('LOADER_REQUIRED_OVER_BUDGET');
    expect(err.details).toMatchObject({ budget: 1000, required: 1004, over: 4 });
  });

  it('lazy open reads only header, manifest, index and signature; first reads are shared and verified', async () => {
    const bytesIn = await artifact();
    const src = new GuardedSource(new MemorySource(bytesIn), bytesIn.length);
    const loaded = await loadBuf(src, { ...base, profile: { host: 'server' }, strategy: 'lazy' });
    const bodies = loaded.sections.reduce((n, s) => n + s.storedLength, 0);
    expect(src.bytesRead).toBeLessThan(bytesIn.length - bodies + 64);
    expect(src.reads).toBe(3);
    const before = src.reads;
    const [x, y, z] = await Promise.all([
      loaded.section('big'),
      loaded.section('big'),
      loaded.section(loaded.sections.find((s) => s.name === 'big')!.id),
    ]);
    expect(x).toBe(y);
    expect(y).toBe(z);
    expect(src.reads - before).toBe(1);
    const slice = await loaded.sectionRange('big', 10_000, 5);
    expect([...slice]).toEqual([10_000 % 251, 10_001 % 251, 10_002 % 251, 10_003 % 251, 10_004 % 251]);
    await expect(loaded.sectionRange('big', 49_999, 2)).rejects.toMatchObject({ code: 'LOADER_RANGE_INVALID' });
  });

  it('lazy range reads of a chunked section fetch and verify only the touched chunks', async () => {
    const bytesIn = await artifact();
    const src = new GuardedSource(new MemorySource(bytesIn), bytesIn.length);
    const loaded = await loadBuf(src, { ...base, profile: { host: 'server' } });
    const before = src.bytesRead;
    await loaded.sectionRange('big', 4096 * 3 + 10, 100);
    expect(src.bytesRead - before).toBe(4096);
    // Corrupt one chunk: a range over it fails, a range elsewhere still verifies.
    const big = loaded.sections.find((s) => s.name === 'big')!;
    const bad = bytesIn.slice();
    bad[big.offset + 4096 * 5 + 1]! ^= 1;
    const l2 = await loadBuf(new MemorySource(bad), { ...base, profile: { host: 'server' } });
    await expect(l2.sectionRange('big', 4096 * 5, 10)).rejects.toMatchObject({
      code: 'LOADER_SECTION_DIGEST_MISMATCH',
    });
    expect((await l2.sectionRange('big', 0, 10)).length).toBe(10);
    await expect(l2.section('big')).rejects.toMatchObject({ code: 'LOADER_SECTION_DIGEST_MISMATCH' });
  });

  it('a failed lazy read is not cached: a later read retries the source', async () => {
    const bytesIn = await artifact();
    let fail = true;
    const inner = new MemorySource(bytesIn);
    const flaky = {
      size: () => inner.size(),
      describe: () => 'flaky',
      read: async (o: number, l: number) => {
        const b = await inner.read(o, l);
        if (l > 40_000 && fail) {
          fail = false;
          const c = b.slice();
          c[7]! ^= 1;
          return c;
        }
        return b;
      },
    };
    const loaded = await loadBuf(flaky, { ...base, profile: { host: 'server' } });
    await expect(loaded.section('big')).rejects.toMatchObject({
      code: 'LOADER_SECTION_DIGEST_MISMATCH',
      phase: 'section-read',
    });
    expect((await loaded.section('big')).length).toBe(50_000);
  });

  it('honours an aborted signal and rejects non-BufSource input', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      loadBuf(new MemorySource(await artifact()), { ...base, profile: { host: 'server' }, signal: ac.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(loadBuf({} as never, { ...base, profile: { host: 'server' } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('a source returning the wrong number of bytes is LOADER_SOURCE_SHORT_READ', async () => {
    const inner = new MemorySource(await artifact());
    const short = {
      size: () => inner.size(),
      describe: () => 'short',
      read: async (o: number, l: number) => (await inner.read(o, l)).subarray(0, l - 1),
    };
    await expect(loadBuf(short, { ...base, profile: { host: 'server' } })).rejects.toMatchObject({
      code: 'LOADER_SOURCE_SHORT_READ',
      phase: 'read',
    });
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { createMemoryVersionStore } from '../../src/index.js';
import { createFileVersionStore } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fayger-vs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('version stores', () => {
  const key = (artifactId: string, publisher = 'com.p') => ({ publisher, artifactId });

  it('memory store keeps the highest sequence per (publisher, id)', async () => {
    const s = createMemoryVersionStore({ 'com.p': { a: 3 } });
    expect(await s.get(key('a'))).toBe(3);
    await s.record(key('a'), 2);
    expect(await s.get(key('a'))).toBe(3);
    await s.record(key('a'), 9);
    expect(await s.get(key('a'))).toBe(9);
    expect(await s.get(key('b'))).toBeUndefined();
    expect(await s.get(key('a', 'com.q'))).toBeUndefined();
    await expect(s.record(key('a'), -1)).rejects.toSatisfy((e) => FaygerError.is(e, 'INVALID_ARGUMENT'));
    await expect(s.get('a' as never)).rejects.toSatisfy((e) => FaygerError.is(e, 'INVALID_ARGUMENT'));
  });

  it('file store persists across instances, keeps the highest per (publisher, id), leaves no temp files', async () => {
    const path = join(dir, 'sub', 'versions.json');
    const s = createFileVersionStore(path);
    expect(await s.get(key('x'))).toBeUndefined();
    await Promise.all([
      s.record(key('x'), 4),
      s.record(key('x'), 2),
      s.record(key('y'), 1),
      s.record(key('x'), 3),
      s.record(key('x', 'com.q'), 1),
    ]);
    const again = createFileVersionStore(path);
    expect(await again.get(key('x'))).toBe(4);
    expect(await again.get(key('y'))).toBe(1);
    expect(await again.get(key('x', 'com.q'))).toBe(1);
    expect(await again.get(key('__proto__'))).toBeUndefined();
    expect(await again.get(key('x', '__proto__'))).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 2,
      apps: { 'com.p': { x: 4, y: 1 }, 'com.q': { x: 1 } },
      legacy: {},
    });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['versions.json']);
  });

  it('a format-1 file (keyed by id alone) is read: its entries stay floors for every publisher, and it is rewritten as format 2', async () => {
    const path = join(dir, 'v1.json');
    writeFileSync(path, JSON.stringify({ version: 1, sequences: { x: 5 } }));
    const s = createFileVersionStore(path);
    expect(await s.get(key('x'))).toBe(5);
    expect(await s.get(key('x', 'com.q'))).toBe(5);
    await s.record(key('x'), 7);
    expect(await s.get(key('x'))).toBe(7);
    expect(await s.get(key('x', 'com.q'))).toBe(5);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 2,
      apps: { 'com.p': { x: 7 } },
      legacy: { x: 5 },
    });
  });

  it('a corrupted file is a typed error, not a silent reset', async () => {
    for (const content of [
      '{oops',
      '',
      '{"version":1,"sequences":{"x":-4}}',
      '{"version":2,"sequences":{}}',
      '{"version":2,"apps":{"p":{"x":1.5}}}',
      '{"version":3,"apps":{}}',
      '[]',
    ]) {
      const path = join(dir, `corrupt-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(path, content);
      const s = createFileVersionStore(path);
      await expect(s.get(key('x'))).rejects.toSatisfy((e) => FaygerError.is(e, 'SECURITY_VERSION_STORE_CORRUPT'));
      await expect(s.record(key('x'), 1)).rejects.toSatisfy((e) => FaygerError.is(e, 'SECURITY_VERSION_STORE_CORRUPT'));
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });

  it('an unreadable path is SECURITY_VERSION_STORE_IO', async () => {
    const path = join(dir, 'is-a-dir');
    rmSync(path, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path);
    await expect(createFileVersionStore(path).get(key('x'))).rejects.toSatisfy((e) =>
      FaygerError.is(e, 'SECURITY_VERSION_STORE_IO'),
    );
  });
});

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
  it('memory store keeps the highest sequence', async () => {
    const s = createMemoryVersionStore({ a: 3 });
    expect(await s.get('a')).toBe(3);
    await s.record('a', 2);
    expect(await s.get('a')).toBe(3);
    await s.record('a', 9);
    expect(await s.get('a')).toBe(9);
    expect(await s.get('b')).toBeUndefined();
    await expect(s.record('a', -1)).rejects.toSatisfy((e) => FaygerError.is(e, 'INVALID_ARGUMENT'));
  });

  it('file store persists across instances, keeps the highest, leaves no temp files', async () => {
    const path = join(dir, 'sub', 'versions.json');
    const s = createFileVersionStore(path);
    expect(await s.get('x')).toBeUndefined();
    await Promise.all([s.record('x', 4), s.record('x', 2), s.record('y', 1), s.record('x', 3)]);
    const again = createFileVersionStore(path);
    expect(await again.get('x')).toBe(4);
    expect(await again.get('y')).toBe(1);
    expect(await again.get('__proto__')).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, sequences: { x: 4, y: 1 } });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['versions.json']);
  });

  it('a corrupted file is a typed error, not a silent reset', async () => {
    for (const content of ['{oops', '', '{"version":1,"sequences":{"x":-4}}', '{"version":2,"sequences":{}}', '[]']) {
      const path = join(dir, `corrupt-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(path, content);
      const s = createFileVersionStore(path);
      await expect(s.get('x')).rejects.toSatisfy((e) => FaygerError.is(e, 'SECURITY_VERSION_STORE_CORRUPT'));
      await expect(s.record('x', 1)).rejects.toSatisfy((e) => FaygerError.is(e, 'SECURITY_VERSION_STORE_CORRUPT'));
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });

  it('an unreadable path is SECURITY_VERSION_STORE_IO', async () => {
    const path = join(dir, 'is-a-dir');
    rmSync(path, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path);
    await expect(createFileVersionStore(path).get('x')).rejects.toSatisfy((e) => FaygerError.is(e, 'SECURITY_VERSION_STORE_IO'));
  });
});

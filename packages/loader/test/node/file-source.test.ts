import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/node.js';
import { loadBuf, packBuf, serializeBuf } from '../../src/index.js';
import { bytes, manifest, nodeDigest } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fayger-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileSource', () => {
  it('loads from a file with positional reads and round-trips', async () => {
    const b = await packBuf(manifest(), [{ name: 'main', kind: 'code', data: bytes('hello file') }], {
      digest: nodeDigest,
    });
    const path = join(dir, 'a.buf');
    writeFileSync(path, b);
    const src = await FileSource.open(path);
    try {
      const loaded = await loadBuf(src, {
        digest: nodeDigest,
        trust: { allowUnsigned: true },
        profile: { host: 'server' },
        supportedInterfaceVersions: ['1.0.0'],
      });
      expect(new TextDecoder().decode(await loaded.section('main'))).toBe('hello file');
      expect(Buffer.from(await serializeBuf(loaded)).equals(Buffer.from(b))).toBe(true);
      expect(src.describe()).toContain('a.buf');
    } finally {
      await src.close();
    }
  });

  it('a missing file is LOADER_SOURCE_IO; a file that shrinks after open is LOADER_SOURCE_CHANGED', async () => {
    await expect(FileSource.open(join(dir, 'missing.buf'))).rejects.toMatchObject({ code: 'LOADER_SOURCE_IO' });
    const path = join(dir, 'b.buf');
    writeFileSync(path, new Uint8Array(1000));
    const src = await FileSource.open(path);
    truncateSync(path, 10);
    await expect(src.read(500, 100)).rejects.toMatchObject({ code: 'LOADER_SOURCE_CHANGED' });
    await src.close();
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { devKeyPaths, ensureDevKey, packExample, verifyExampleBuf } from '@fayger/build-examples';
import { I32, moduleWithImports } from './support.js';

let repo: string;
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'fayger-build-examples-'));
  await writeFile(join(repo, 'pnpm-workspace.yaml'), 'packages: []\n');
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('dev key and packing', () => {
  it('creates one dev key when many builds race for it', async () => {
    const keys = await Promise.all(Array.from({ length: 6 }, () => ensureDevKey(repo)));
    const texts = await Promise.all(keys.map((k) => readFile(k.keyFile, 'utf8')));
    expect(new Set(texts).size).toBe(1);
    const roots = JSON.parse(await readFile(devKeyPaths(repo).rootsFile, 'utf8'));
    expect(roots.keys).toHaveLength(1);
    expect(roots.keys[0].publishers).toEqual(['dev.fayger.examples']);
  });

  it('refuses a .fayger-dev directory without the key instead of overwriting it', async () => {
    const other = await mkdtemp(join(tmpdir(), 'fayger-build-examples-'));
    await writeFile(join(other, 'pnpm-workspace.yaml'), '');
    await mkdir(join(other, '.fayger-dev'));
    await expect(ensureDevKey(other)).rejects.toThrow(/delete .*\.fayger-dev/);
    await rm(other, { recursive: true, force: true });
  });

  it('packs an example into dist/<name>.buf that verifies; tampering is caught', async () => {
    const dir = join(repo, 'examples', 'tiny');
    await mkdir(join(dir, 'dist'), { recursive: true });
    const wasm = moduleWithImports([{ module: 'fayger', name: 'exit', params: [I32], results: [] }]);
    await writeFile(join(dir, 'dist', 'tiny.wasm'), wasm);
    const manifest = {
      id: 'dev.fayger.examples.tiny',
      version: '0.1.0',
      publisher: 'dev.fayger.examples',
      runtime: { interface: '^1.0.0' },
      entry: { section: 'main', export: '_start' },
      capabilities: [],
      quotas: {},
      security: { sequence: 1 },
    };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(
      join(dir, 'fayger.pack.json'),
      JSON.stringify({ manifest: 'manifest.json', sections: [{ name: 'main', kind: 'code', file: 'dist/tiny.wasm' }] }),
    );
    const out = await packExample(dir);
    expect(out).toBe(join(dir, 'dist', 'tiny.buf'));
    const loaded = await verifyExampleBuf(out, devKeyPaths(repo).rootsFile);
    expect(loaded.manifest.id).toBe('dev.fayger.examples.tiny');
    expect(Buffer.from(await loaded.section('main')).equals(Buffer.from(wasm))).toBe(true);

    const bytes = new Uint8Array(await readFile(out));
    bytes[bytes.length - 20] ^= 1;
    await writeFile(out, bytes);
    const err = await verifyExampleBuf(out, devKeyPaths(repo).rootsFile).catch((e: unknown) => e);
    expect(FaygerError.is(err)).toBe(true);
  });

  it('a publisher outside the dev key scope is refused when packing, before any host would reject it', async () => {
    const dir = join(repo, 'examples', 'foreign');
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'dist', 'foreign.wasm'), moduleWithImports([]));
    const manifest = {
      id: 'com.other.app',
      version: '1.0.0',
      publisher: 'com.other',
      runtime: { interface: '^1.0.0' },
      entry: { section: 'main', export: '_start' },
      capabilities: [],
      quotas: {},
      security: { sequence: 1 },
    };
    await writeFile(
      join(dir, 'fayger.pack.json'),
      JSON.stringify({ manifest, sections: [{ name: 'main', kind: 'code', file: 'dist/foreign.wasm' }] }),
    );
    // `--force` only overwrites the output: signing outside the key's scopes would need --any-scope, which the
    // example builder never passes (every host trusting the dev key for its scope would refuse the artifact).
    await expect(packExample(dir)).rejects.toThrow(/CLI_KEY_OUT_OF_SCOPE/);
    expect(existsSync(join(dir, 'dist', 'foreign.buf'))).toBe(false);
  });

  it('a bad pack config fails the build with the CLI error', async () => {
    const dir = join(repo, 'examples', 'broken');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'fayger.pack.json'), '{"sections":[]}');
    await expect(packExample(dir)).rejects.toThrow(/CLI_PACK_CONFIG_INVALID/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts', 'bin', 'fayger.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function fayger(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'fayger-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const MANIFEST = {
  id: 'com.example.apps.hello',
  version: '1.2.3',
  publisher: 'com.example.apps',
  runtime: { interface: '^1.0.0' },
  entry: { section: 'main', export: '_start' },
  capabilities: [],
  quotas: {},
  security: { sequence: 4 },
};

/** A small app directory: manifest, a code section, a locale asset and a host-specific data section. */
export function writeApp(dir: string, manifest: Record<string, unknown> = MANIFEST, extraBytes = 0): string {
  const app = join(dir, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'manifest.json'), JSON.stringify(manifest, null, 2));
  // "\0asm" + version 1: an empty WebAssembly module.
  writeFileSync(join(app, 'main.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(app, 'fr.json'), JSON.stringify({ hello: 'bonjour' }));
  writeFileSync(join(app, 'server.bin'), Buffer.alloc(5000 + extraBytes, 7));
  writeFileSync(
    join(app, 'fayger.pack.json'),
    JSON.stringify({
      manifest: 'manifest.json',
      sections: [
        { name: 'main', kind: 'code', file: 'main.wasm', required: true },
        { name: 'fr', kind: 'assets', file: 'fr.json', locales: ['fr'] },
        {
          name: 'server-data',
          kind: 'data',
          file: 'server.bin',
          hosts: ['server'],
          priority: 3,
          dependsOn: ['main'],
          chunkSize: 4096,
        },
      ],
    }),
  );
  return app;
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'tsup';

const out = mkdtempSync(join(tmpdir(), 'fayger-sec-browser-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('browser bundle of the main entry', () => {
  it('bundles for platform=browser without any node: module', async () => {
    // tsup leaves unresolvable builtins external instead of failing, so the output is scanned for them.
    await build({
      entry: { main: join(__dirname, '..', 'src', 'index.ts') },
      outDir: out,
      format: ['esm'],
      platform: 'browser',
      target: 'es2022',
      noExternal: [/.*/],
      silent: true,
      dts: false,
      config: false,
      esbuildOptions(o) {
        o.conditions = ['@fayger/source'];
      },
    });
    const code = readFileSync(join(out, 'main.js'), 'utf8');
    const nodeImport =
      /from\s*["'](node:[a-z_/]+|crypto|fs(\/promises)?|path|os)["']|import\(["']node:|require\(["'](node:)?[a-z]/;
    expect(code).not.toMatch(nodeImport);
    // The same scan does catch the Node-only entry's imports (so the check above can fail).
    expect('import * as nodeCrypto from "crypto";').toMatch(nodeImport);
    expect(code).toContain('getBuiltinModule');
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { BUNDLES, bundleApp, nodeImports } from '../bench/bundle-app.mjs';

// The browser bundle an app builds (platform browser, ESM, tree-shaken, minified) must not pull in a Node
// builtin: no `node:*`, no bare fs/path/crypto/… Checked on the esbuild metafile of the same build `pnpm bench`
// measures, from the workspace sources (no package build needed).
describe('browser bundle of loader + runtime + interpreter + adapter-browser', () => {
  it.each(['loader+runtime+interpreter+adapter-browser', 'whole browser app (+ adapter-core bus, security)'])(
    '%s: no node: import and no bare builtin in the metafile',
    async (name) => {
      const b = await bundleApp(BUNDLES[name]!, { source: true });
      const inputs = Object.keys(b.metafile.inputs);
      // The graph really holds the four packages (a wrong entry would make the check vacuous).
      for (const p of ['packages/loader/', 'packages/runtime/', 'packages/interpreter/', 'packages/adapter-browser/']) {
        expect(
          inputs.some((f) => f.includes(p)),
          `${p} in the bundle`,
        ).toBe(true);
      }
      expect(nodeImports(b.metafile)).toEqual([]);
      expect(b.minified).toBeGreaterThan(b.gzip);
    },
  );

  it("the check does catch a Node-only import (the loader's node subpath)", async () => {
    const b = await bundleApp("export { FileSource } from '@fayger/loader/node';", { source: true });
    const found = nodeImports(b.metafile).map((i) => i.path);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.startsWith('node:'))).toBe(true);
  });

  it('a bare builtin (fs) is caught as well', async () => {
    const b = await bundleApp("import { readFileSync } from 'fs'; export const f = readFileSync;");
    expect(nodeImports(b.metafile).map((i) => i.path)).toEqual(['fs']);
  });
});

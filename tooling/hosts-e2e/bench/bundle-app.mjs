// Builds Fayger's browser pieces the way an app would: one ESM entry importing their public APIs, esbuild with
// platform browser, tree-shaken and minified; gzip with node:zlib. Node builtins are marked external so that
// any that slips into the graph shows up in the metafile instead of failing the build.
import { builtinModules } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** What each measured bundle imports (public entry points only). */
export const BUNDLES = {
  loader: "export { loadBuf, HttpRangeSource, MemorySource } from '@fayger/loader';",
  runtime: "export { createRuntime } from '@fayger/runtime';",
  interpreter: "export { createInterpreterImplementation } from '@fayger/interpreter';",
  'adapter-browser': "export { createBrowserAdapter } from '@fayger/adapter-browser';",
  'loader+runtime+interpreter+adapter-browser': [
    "export { loadBuf, HttpRangeSource, MemorySource } from '@fayger/loader';",
    "export { createRuntime } from '@fayger/runtime';",
    "export { createInterpreterImplementation } from '@fayger/interpreter';",
    "export { createBrowserAdapter } from '@fayger/adapter-browser';",
  ].join('\n'),
  'whole browser app (+ adapter-core bus, security)': [
    "export { loadBuf, HttpRangeSource } from '@fayger/loader';",
    "export { createRuntime } from '@fayger/runtime';",
    "export { createInterpreterImplementation } from '@fayger/interpreter';",
    "export { createBrowserAdapter } from '@fayger/adapter-browser';",
    "export { createInstructionBus } from '@fayger/adapter-core';",
    "export { createTrustVerifier, detectDigestProvider, parseTrustedRoots } from '@fayger/security';",
  ].join('\n'),
};

const BUILTINS = [...new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])].filter(
  (m) => !m.startsWith('_'),
);

/**
 * Bundles `contents` (an entry module's text). `source: true` resolves workspace packages to their TypeScript
 * sources (@fayger/source), otherwise to their published dist files as an app would.
 */
export async function bundleApp(contents, { source = false } = {}) {
  const result = await build({
    stdin: { contents, resolveDir: here, sourcefile: 'app-entry.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    treeShaking: true,
    metafile: true,
    conditions: source ? ['@fayger/source'] : [],
    external: BUILTINS,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { code, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, metafile: result.metafile };
}

/** Imports of host builtins in a metafile: `node:*` or a bare builtin name (fs, path, crypto…). */
export function nodeImports(metafile) {
  const found = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) {
      const bare = imp.path.replace(/^node:/, '').split('/')[0];
      if (imp.path.startsWith('node:') || builtinModules.includes(bare)) found.push({ from: file, path: imp.path });
    }
  }
  return found;
}

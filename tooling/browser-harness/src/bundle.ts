import { build } from 'esbuild';

export interface BundleOptions {
  /** Extra esbuild `define`s. */
  define?: Record<string, string>;
  /** Resolve workspace packages to their TypeScript sources (default true). */
  sourceCondition?: boolean;
}

/**
 * Bundles a TypeScript/JavaScript entry for the browser into one ES module string (esbuild, in memory).
 * Workspace packages resolve through the `@fayger/source` export condition, so no package needs a build first.
 */
export async function bundleForBrowser(entry: string, options: BundleOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    conditions: options.sourceCondition === false ? [] : ['@fayger/source'],
    define: options.define ?? {},
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced no output for ${entry}`);
  return out.text;
}

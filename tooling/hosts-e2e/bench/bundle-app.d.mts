import type { Metafile } from 'esbuild';

export const BUNDLES: Record<string, string>;
export function bundleApp(
  contents: string,
  options?: { source?: boolean },
): Promise<{ code: Uint8Array; minified: number; gzip: number; metafile: Metafile }>;
export function nodeImports(metafile: Metafile): { from: string; path: string }[];

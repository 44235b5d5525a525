import type { Metafile } from 'esbuild';

export interface DemoRequest {
  method: string | undefined;
  path: string;
  range: string | null;
  status: number;
  length: number;
}
export interface DemoServer {
  origin: string;
  log: DemoRequest[];
  close(): Promise<void>;
}
export function startDemoServer(options?: { port?: number }): Promise<DemoServer>;
export function bundlePage(options?: { minify?: boolean }): Promise<{ code: string; metafile: Metafile }>;

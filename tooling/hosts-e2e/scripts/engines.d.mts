import type { HostRun } from '../src/run-buf.js';

export type Engine = 'hermes' | 'quickjs';
export interface EngineBundles {
  app: string;
  native?: string;
}
export interface EngineResult {
  run: HostRun;
  prompts: string[][];
  uiSteps: number;
  uiStepsTotal: number;
  nativeLogs: number;
  marks: Record<string, number>;
  stdout: string;
  stderr: string;
  exitCode: number | null;
}
export const HERMES_BABEL_PRESET: [string, Record<string, unknown>];
export const HERMES_FLAGS: string[];
export function hermesBinary(): string | undefined;
export function lowerForHermes(code: string, minify: boolean): Promise<string>;
export function buildEngineBundles(engine: Engine, options?: { minify?: boolean }): Promise<EngineBundles>;
export function bundleEntry(entry: string, engine: Engine, options?: { minify?: boolean }): Promise<string>;
export function sizes(code: string): { minified: number; gzip: number };
export function parseEngineOutput(
  engine: string,
  out: { code: number | null; stdout: string; stderr: string; signal?: string | null },
): EngineResult;
export function quickjsHostFile(): Promise<string>;
export function runInEngine(
  engine: Engine,
  bundles: EngineBundles,
  bufFile: string,
  rootsFile: string,
  options?: { timeoutMs?: number; extraArgs?: string[] },
): Promise<EngineResult>;

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { HostRun } from '../src/run-buf.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The ONE artifact every host runs: the ui-counter example as built and signed by its own build. */
export const uiCounterBuf = join(repoRoot, 'examples/ui-counter/dist/ui-counter.buf');
export const trustedRoots = join(repoRoot, '.fayger-dev/trusted-roots.json');
/** The UI-less example the embedded-engine legs also run (clock, random with a permission prompt, timer). */
export const helloBuf = join(repoRoot, 'examples/hello/dist/hello.buf');
export const helloMissing = !existsSync(helloBuf);
export const HELLO_MISSING_MESSAGE = `needs ${helloBuf}: run \`pnpm turbo run build --filter @fayger/example-hello\``;
export const artifactsDir = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
export const artifactMissing = !existsSync(uiCounterBuf) || !existsSync(trustedRoots);
export const ARTIFACT_MISSING_MESSAGE = `needs ${uiCounterBuf} and ${trustedRoots}: run \`pnpm turbo run build --filter @fayger/example-ui-counter\``;

/** Bundles the Node host entry (and the workspace sources it imports) into one file Node runs as is. */
export async function bundleNodeApp(outDir: string): Promise<string> {
  const outfile = join(outDir, 'node-app.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../src/hosts/node-app.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@fayger/source'],
    outfile,
    logLevel: 'silent',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
}

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(
  execArgv: string[],
  args: string[],
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<ChildRun> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      [...execArgv, ...args],
      { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const code = err ? (((err as { code?: unknown }).code as number | null | undefined) ?? null) : 0;
        ok({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

export async function readRun(file: string): Promise<HostRun & { jitless?: boolean }> {
  return JSON.parse(await readFile(file, 'utf8')) as HostRun & { jitless?: boolean };
}

/** The guest transcript: its log messages in order (levels included: a degraded line must stay "info"). */
export const transcript = (run: Pick<HostRun, 'lines'>): string[] => run.lines.map((l) => `${l.level} ${l.message}`);

/** The scripted user, identical on every UI host: type a name key by key, +1, +1, -1, Quit. */
export const SCRIPT_NAME = 'Ada';
export const EXPECTED_UI_TRANSCRIPT = [
  'info ui-counter: interactive',
  'debug event input name -> count=0 name="A"',
  'debug event input name -> count=0 name="Ad"',
  'debug event input name -> count=0 name="Ada"',
  'debug event click inc -> count=1 name="Ada"',
  'debug event click inc -> count=2 name="Ada"',
  'debug event click dec -> count=1 name="Ada"',
  'debug event click quit -> count=1 name="Ada"',
  'info ui-counter: final state count=1 name="Ada"',
];
export const EXPECTED_DEGRADED_TRANSCRIPT = ['info ui-counter: no ui on this host; state count=0 name=""'];

/** hello's transcript with every number masked (clock readings, the random number, elapsed time differ per run). */
export const maskNumbers = (lines: string[]): string[] => lines.map((l) => l.replace(/\d+/g, '#'));
export const EXPECTED_HELLO_MASKED = [
  'info hello from a Fayger guest (AssemblyScript)',
  'info realtime clock: #.# ms since the Unix epoch',
  'info optional capability random: present',
  'info optional capability timer: present',
  'info a random number: #',
  'info slept # ms (status #), #.# ms since start',
  'info goodbye',
];

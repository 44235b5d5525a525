// The embedded-engine legs (Hermes, QuickJS), Node side: builds the in-app stack the way an app's bundler
// would, runs it inside each engine with a native side that plays the host app, and reads back the run.
//
//  - app bundle (src/engines/app.ts): loader, security (noble providers), runtime, interpreter, adapter-core
//    bus and adapter-in-app, one IIFE script. For Hermes it is then lowered by Babel with the React Native
//    preset (@react-native/babel-preset, `unstable_transformProfile: 'default'`: the profile for Hermes builds
//    without class support, which is what hermes-engine-cli 0.12's VM is), as Metro would.
//  - Hermes: `hermes` (hermes-engine-cli's binary) evaluates the native side (src/engines/hermes-native.ts)
//    then the app bundle, in one VM; the result comes back as one line on stdout.
//  - QuickJS: a Node program (src/engines/quickjs-host.ts, bundled here) embeds quickjs-ng (wasm build from
//    npm) and is the native side itself: the VM sees only the globals it installs.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const pkg = dirname(dirname(fileURLToPath(import.meta.url)));
const src = (p) => join(pkg, 'src', 'engines', p);
const cache = join(pkg, 'node_modules', '.cache', 'hosts-e2e');

/** Babel options for Hermes (documented in the README): the React Native preset, legacy-Hermes profile. */
export const HERMES_BABEL_PRESET = [
  '@react-native/babel-preset',
  { unstable_transformProfile: 'default', enableBabelRuntime: false, disableImportExportTransform: true, dev: false },
];

/** The `hermes` binary of hermes-engine-cli for this platform, or undefined. */
export function hermesBinary() {
  const dir = { linux: 'linux64-bin', darwin: 'osx-bin', win32: 'win64-bin' }[process.platform];
  if (!dir || process.arch !== 'x64') return undefined;
  try {
    const bin = join(
      dirname(require.resolve('hermes-engine-cli/package.json')),
      dir,
      process.platform === 'win32' ? 'hermes.exe' : 'hermes',
    );
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

async function esbundle(entry, { minify, target, platform = 'browser', format = 'iife', outfile, conditions = [] }) {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: Boolean(outfile),
    ...(outfile ? { outfile } : {}),
    format,
    platform,
    // As an app's bundler resolves (Metro: react-native, browser, main): the browser builds of dependencies.
    conditions: ['@fayger/source', ...conditions],
    target,
    minify,
    treeShaking: true,
    logLevel: 'silent',
    ...(platform === 'node' ? { packages: 'external' } : {}),
  });
  return outfile ?? r.outputFiles[0].text;
}

/** Lowers a script with the React Native Babel preset (what Metro does to every module of an RN app). */
export async function lowerForHermes(code, minify) {
  const babel = require('@babel/core');
  const [name, opts] = HERMES_BABEL_PRESET;
  const out = await babel.transformAsync(code, {
    babelrc: false,
    configFile: false,
    sourceType: 'script',
    compact: minify,
    comments: !minify,
    presets: [[require.resolve(name), opts]],
  });
  return out.code;
}

/** The app bundle for an engine (`hermes`: lowered with Babel), plus the Hermes native-side script. */
export async function buildEngineBundles(engine, { minify = false } = {}) {
  if (engine === 'hermes') {
    return {
      app: await bundleEntry('app.ts', engine, { minify }),
      native: await bundleEntry('hermes-native.ts', engine),
    };
  }
  if (engine === 'quickjs') return { app: await bundleEntry('app.ts', engine, { minify }) };
  throw new Error(`unknown engine ${engine}`);
}

/** Any entry of src/engines bundled for an engine as the app bundle is (quickjs also serves node --jitless). */
export async function bundleEntry(entry, engine, { minify = false } = {}) {
  const code = await esbundle(src(entry), {
    minify,
    target: engine === 'hermes' ? 'esnext' : 'es2023',
    conditions: engine === 'hermes' ? ['react-native'] : [],
  });
  return engine === 'hermes' ? lowerForHermes(code, minify) : code;
}

export const sizes = (code) => ({ minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length });

function run(cmd, args, timeoutMs) {
  return new Promise((ok) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      ok({ code, stdout, stderr, signal: err?.signal ?? null });
    });
  });
}

/** Reads the native side's result line; an error line or a crash becomes a thrown Error with the output. */
export function parseEngineOutput(engine, out) {
  const lines = out.stdout.split('\n');
  const line = lines.find((l) => l.startsWith('@@fayger-result '));
  if (!line) {
    const err = lines.find((l) => l.startsWith('@@fayger-error '));
    const why = err ? JSON.parse(err.slice('@@fayger-error '.length)) : 'no result line';
    throw new Error(
      `${engine}: ${why}\nexit ${out.code} ${out.signal ?? ''}\nstdout:\n${out.stdout.slice(-4000)}\nstderr:\n${out.stderr.slice(-4000)}`,
    );
  }
  return {
    ...JSON.parse(line.slice('@@fayger-result '.length)),
    stdout: out.stdout,
    stderr: out.stderr,
    exitCode: out.code,
  };
}

/** Bundles the QuickJS embedder (a Node program) once per process. */
let quickjsHost;
export function quickjsHostFile() {
  quickjsHost ??= (async () => {
    mkdirSync(cache, { recursive: true });
    return esbundle(src('quickjs-host.ts'), {
      minify: false,
      target: 'node20',
      platform: 'node',
      format: 'esm',
      outfile: join(cache, 'quickjs-host.mjs'),
    });
  })();
  return quickjsHost;
}

/**
 * Runs a BuF inside an engine with its native side; resolves with the run as the native side saw it:
 * `{ run: HostRun, prompts, uiSteps, uiStepsTotal, marks, nativeLogs }` (+ stdout, stderr, exitCode).
 */
export async function runInEngine(engine, bundles, bufFile, rootsFile, { timeoutMs = 180_000, extraArgs = [] } = {}) {
  const work = await mkdtemp(join(tmpdir(), `fayger-${engine}-`));
  try {
    const input = {
      host: engine,
      buf: (await readFile(bufFile)).toString('base64'),
      roots: await readFile(rootsFile, 'utf8'),
    };
    if (engine === 'hermes') {
      const bin = hermesBinary();
      if (!bin) throw new Error('hermes-engine-cli has no hermes binary for this platform');
      // The CLI has no OS randomness for the native side: entropy from Node's CSPRNG stands in for the OS's.
      const file = join(work, 'app.js');
      await writeFile(
        file,
        `var __faygerHostInput = ${JSON.stringify({ ...input, entropy: randomBytes(4096).toString('base64') })};\n${bundles.native}\n;\n${bundles.app}\n`,
      );
      return parseEngineOutput(engine, await run(bin, [...HERMES_FLAGS, ...extraArgs, file], timeoutMs));
    }
    const appFile = join(work, 'app.js');
    await writeFile(appFile, bundles.app);
    const host = await quickjsHostFile();
    return parseEngineOutput(
      engine,
      await run(process.execPath, [host, appFile, bufFile, rootsFile, ...extraArgs], timeoutMs),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `hermes` flags: no compiler warnings (every global the bundle probes is one), Proxy and the microtask queue (both on in React Native's Hermes). */
export const HERMES_FLAGS = ['-w', '-Xes6-proxy', '-Xmicrotask-queue'];

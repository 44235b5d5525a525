// The headline test: ONE signed BuF — examples/ui-counter/dist/ui-counter.buf, as its own build signed it with
// the dev key — runs unmodified on (a) the server adapter, (b) the desktop adapter in a real terminal (tmux),
// (c) a browser page (adapter-browser in Chromium), (d) the in-app simulator page without WebAssembly, and
// (e) Node under --jitless, (f) inside the Hermes VM and (g) inside QuickJS (real embedded engines: no
// WebAssembly, no JIT, the app's native side plays the host — scripts/engines.mjs). Every host goes through the same loader → security → runtime (interpreter) →
// bus wiring (src/run-buf.ts, or the browser demo page); the guest-visible transcript (its log lines) is
// compared across hosts at the end: UI hosts against each other, UI-less hosts against each other.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  bundleForBrowser,
  chromiumAvailable,
  CHROMIUM_MISSING_MESSAGE,
  startStaticServer,
  withChromium,
} from '@fayger/browser-harness';
import { startDemoServer } from '@fayger/example-browser-demo/server.mjs';
import type { HostRun } from '../src/run-buf.js';
import {
  buildEngineBundles,
  hermesBinary,
  runInEngine,
  type Engine,
  type EngineBundles,
  type EngineResult,
} from '../scripts/engines.mjs';
import {
  ARTIFACT_MISSING_MESSAGE,
  artifactMissing,
  artifactsDir,
  bundleNodeApp,
  EXPECTED_DEGRADED_TRANSCRIPT,
  EXPECTED_HELLO_MASKED,
  EXPECTED_UI_TRANSCRIPT,
  HELLO_MISSING_MESSAGE,
  helloBuf,
  helloMissing,
  maskNumbers,
  readRun,
  repoRoot,
  runNode,
  SCRIPT_NAME,
  transcript,
  trustedRoots,
  uiCounterBuf,
} from './helpers.js';

/** Every host's run, by host, for the comparison at the end. */
const runs = new Map<string, { ui: boolean; artifactId: string; exit: unknown; transcript: string[] }>();
const record = (host: string, ui: boolean, run: { artifactId: string; exit: unknown; lines: HostRun['lines'] }) =>
  void runs.set(host, { ui, artifactId: run.artifactId, exit: run.exit, transcript: transcript(run) });

// Hosts (a) and (e): the server adapter in a plain Node child, and the same script under `node --jitless`
// (no JIT, so no WebAssembly in V8: the interpreter is the only way the guest can run).
describe.skipIf(artifactMissing)('ui-counter.buf on the server adapter (node, node --jitless)', () => {
  let work = '';
  let app = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'fayger-hosts-e2e-'));
    app = await bundleNodeApp(work);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  // Once per execution strategy: the interpreter, the transpiler (WebAssembly compiled to JavaScript: V8's JIT,
  // or its Ignition bytecode interpreter under --jitless, where new Function still works) and the router (auto).
  it.each([
    ['server', [] as string[], 'interpreter', 'fayger-interpreter'],
    ['server [transpiler]', [] as string[], 'transpiler', 'fayger-transpiler'],
    ['server [auto]', [] as string[], 'auto', 'fayger-transpiler'],
    ['node --jitless', ['--jitless'], 'interpreter', 'fayger-interpreter'],
    ['node --jitless [transpiler]', ['--jitless'], 'transpiler', 'fayger-transpiler'],
  ])(
    '(a, e) %s: ui trimmed by negotiation, the app degrades, logs its state and exits 0',
    async (label, execArgv, engine, implementation) => {
      const out = join(work, `${label.replace(/\W+/g, '-')}.json`);
      const child = await runNode(
        execArgv,
        [app, 'server', uiCounterBuf, trustedRoots, out, join(work, `data-${label.replace(/\W+/g, '-')}`)],
        60_000,
        { FAYGER_ENGINE: engine },
      );
      // Under --jitless Node itself says it turned WebAssembly off; nothing else may reach stderr.
      expect(child.stderr.split('\n').filter((l) => l && !/^Warning: disabling flag --expose_wasm/.test(l))).toEqual(
        [],
      );
      if (execArgv.includes('--jitless')) expect(child.stderr).toMatch(/disabling flag --expose_wasm/);
      expect(child.code).toBe(0);
      const run = await readRun(out);
      expect(run.exit).toEqual({ state: 'Terminated', exitCode: 0 });
      expect(run.implementation).toBe(implementation);
      expect(run.engineReasons).toHaveLength(1);
      expect(run.artifactId).toBe('dev.fayger.examples.ui-counter');
      expect(run.signedBy).toHaveLength(1);
      expect(run.absentOptional).toContain('ui');
      expect(run.granted).not.toContain('ui');
      expect(transcript(run)).toEqual(EXPECTED_DEGRADED_TRANSCRIPT);
      // The server adapter's own output: one JSON log line carrying the same message.
      const logLines = child.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { level: string; msg: string });
      expect(logLines.map((l) => `${l.level} ${l.msg}`)).toEqual(EXPECTED_DEGRADED_TRANSCRIPT);
      expect(run.jitless).toBe(execArgv.includes('--jitless'));
      record(label, false, run);
      if (run.jitless) expect(run.webAssembly).toBe('undefined');
    },
  );
});

if (artifactMissing)
  describe('ui-counter.buf on the server adapter', () => {
    it.skip(ARTIFACT_MISSING_MESSAGE, () => {});
  });

// Host (b): adapter-desktop in a real terminal. A private tmux server (-L) runs the Node host; keys go in
// with `send-keys`, the screen comes out with `capture-pane`.
const tmux = ['/usr/bin/tmux', '/usr/local/bin/tmux', '/bin/tmux'].find((p) => existsSync(p));
const TMUX_MISSING = 'desktop host skipped: tmux not found (apt-get install -y tmux)';
const socket = `fayger-hosts-e2e-${process.pid}`;
const session = 'counter';

const tm = (...args: string[]) =>
  execFileSync(tmux!, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 5000 });
const screen = () => tm('capture-pane', '-p', '-t', session);
const alive = () => spawnSync(tmux!, ['-L', socket, 'has-session', '-t', session]).status === 0;

async function waitScreen(re: RegExp, what: string, ms = 15_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    if (!alive()) throw new Error(`waiting for ${what}: the terminal session ended; last screen:\n${last}`);
    last = screen();
    if (re.test(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`waiting for ${what} (${re}): not on screen after ${ms} ms; last screen:\n${last}`);
}

// Once per execution strategy (the Node host allows new Function): FAYGER_ENGINE picks the node app's engine.
describe.skipIf(!tmux || artifactMissing).each([
  { engine: 'interpreter', label: 'desktop', implementation: 'fayger-interpreter' },
  { engine: 'transpiler', label: 'desktop [transpiler]', implementation: 'fayger-transpiler' },
])('ui-counter.buf on the desktop adapter in a real terminal (tmux), $engine', ({ engine, label, implementation }) => {
  let work = '';
  let out = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'fayger-hosts-e2e-desktop-'));
    out = join(work, 'desktop.json');
    const app = await bundleNodeApp(work);
    const cmd = ['env', `FAYGER_ENGINE=${engine}`, process.execPath, app, 'desktop', uiCounterBuf, trustedRoots, out]
      .map((a) => JSON.stringify(a))
      .join(' ');
    tm('new-session', '-d', '-s', session, '-x', '80', '-y', '24', cmd);
  });
  afterAll(async () => {
    spawnSync(tmux!, ['-L', socket, 'kill-server']);
    await rm(work, { recursive: true, force: true });
  });

  it(`(b) ${label}: keys in, screen out: type a name, +1, +1, -1, Quit; the guest transcript is the scripted one`, {
    timeout: 60_000,
  }, async () => {
    const shots: string[] = [];
    let s = await waitScreen(/Count: 0/, 'the first render');
    shots.push(s);
    expect(s).toContain('Hello, stranger!');
    expect(s).toMatch(/^> .*Your name/m); // focus starts on the input (the first enabled focusable)

    tm('send-keys', '-t', session, '-l', SCRIPT_NAME);
    s = await waitScreen(new RegExp(`Hello, ${SCRIPT_NAME}!`), 'the greeting after typing');
    shots.push(s);

    tm('send-keys', '-t', session, 'Tab'); // "-1" is disabled at 0: focus goes to "+1"
    tm('send-keys', '-t', session, 'Enter');
    s = await waitScreen(/Count: 1/, 'Count: 1');
    tm('send-keys', '-t', session, 'Enter');
    s = await waitScreen(/Count: 2/, 'Count: 2');
    tm('send-keys', '-t', session, 'Left'); // onto "-1", enabled now
    tm('send-keys', '-t', session, 'Enter');
    s = await waitScreen(/Count: 1/, 'Count: 1 again');
    shots.push(s);
    tm('send-keys', '-t', session, 'Right', 'Right', 'Right'); // +1, Reset, Quit
    tm('send-keys', '-t', session, 'Enter');

    const end = Date.now() + 15_000;
    while (alive() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
    await mkdir(artifactsDir, { recursive: true });
    await writeFile(join(artifactsDir, `desktop-${engine}-tmux-screens.txt`), shots.join('\n' + '-'.repeat(80) + '\n'));

    const run = await readRun(out);
    expect(run.exit).toEqual({ state: 'Terminated', exitCode: 0 });
    expect(run.implementation).toBe(implementation);
    expect(run.granted).toEqual(expect.arrayContaining(['log', 'ui', 'app']));
    expect(transcript(run)).toEqual(EXPECTED_UI_TRANSCRIPT);
    record(label, true, run);
  });
});

if (!tmux)
  describe('ui-counter.buf on the desktop adapter', () => {
    it.skip(TMUX_MISSING, () => {});
  });
if (artifactMissing)
  describe('ui-counter.buf on the desktop adapter (artifact)', () => {
    it.skip(ARTIFACT_MISSING_MESSAGE, () => {});
  });

/** The scripted user, in a page: the same interactions the tmux test sends as keys. */
async function playScript(page: Page, shot: (name: string) => Promise<string>, prefix: string): Promise<void> {
  const count = (n: number) => page.getByText(`Count: ${n}`, { exact: true }).waitFor();
  await count(0);
  await page.getByPlaceholder('Your name').pressSequentially(SCRIPT_NAME); // one input event per key
  await page.getByText(`Hello, ${SCRIPT_NAME}!`).waitFor();
  await page.getByRole('button', { name: '+1' }).click();
  await count(1);
  await page.getByRole('button', { name: '+1' }).click();
  await count(2);
  await page.getByRole('button', { name: '-1' }).click();
  await count(1);
  await shot(`${prefix}-before-quit`);
  await page.getByRole('button', { name: 'Quit' }).click();
}

if (!chromiumAvailable()) describe('ui-counter.buf in Chromium', () => it.skip(CHROMIUM_MISSING_MESSAGE, () => {}));
if (artifactMissing)
  describe('ui-counter.buf in Chromium (artifact)', () => it.skip(ARTIFACT_MISSING_MESSAGE, () => {}));

describe.skipIf(!chromiumAvailable() || artifactMissing)('ui-counter.buf in Chromium', () => {
  // Once per execution strategy: the page allows new Function, so `auto` (the default) runs the transpiler.
  it.each([
    { engine: 'auto', label: 'browser', implementation: 'fayger-transpiler' },
    { engine: 'interpreter', label: 'browser [interpreter]', implementation: 'fayger-interpreter' },
  ])(
    '(c) $label page: adapter-browser renders DOM, real clicks and typing drive it, same transcript',
    { timeout: 60_000 },
    async ({ engine, label, implementation }) => {
      const server = await startDemoServer();
      try {
        await withChromium(
          async (s) => {
            await s.page.goto(`${server.origin}/?buf=/bufs/ui-counter.buf&engine=${engine}`);
            await playScript(s.page, s.screenshot, `browser-${engine}`);
            const st = (await (
              await s.page.waitForFunction(
                () => {
                  const d = (window as unknown as { __demo?: { phase: string } }).__demo;
                  return d && (d.phase === 'exited' || d.phase === 'failed') ? d : undefined;
                },
                undefined,
                { timeout: 20_000 },
              )
            ).jsonValue()) as unknown as {
              exit: unknown;
              logs: HostRun['lines'];
              artifactId: string;
              error?: string;
              implementation?: string;
            };
            await s.screenshot(`browser-${engine}-exited`);
            expect(st.error).toBeUndefined();
            expect(st.artifactId).toBe('dev.fayger.examples.ui-counter');
            expect(st.exit).toEqual({ state: 'Terminated', exitCode: 0 });
            expect(st.implementation).toBe(implementation);
            expect(transcript({ lines: st.logs })).toEqual(EXPECTED_UI_TRANSCRIPT);
            record(label, true, { artifactId: st.artifactId, exit: st.exit, lines: st.logs });
            expect(s.errors).toEqual([]);
          },
          { artifactsDir },
        );
        // The very artifact the other hosts run, fetched by Range from serve-static.
        expect(server.log.filter((r) => r.path === '/bufs/ui-counter.buf').every((r) => r.status === 206)).toBe(true);
      } finally {
        await server.close();
      }
    },
  );

  it('(d) in-app simulator page: no WebAssembly, adapter-in-app over the WKWebView bridge, same transcript', {
    timeout: 60_000,
  }, async () => {
    const simDir = join(repoRoot, 'packages/adapter-in-app/simulator');
    const [html, noWasm, page, buf, roots] = await Promise.all([
      readFile(join(simDir, 'index.html'), 'utf8'),
      readFile(join(simDir, 'no-wasm.js'), 'utf8'),
      bundleForBrowser(fileURLToPath(new URL('../src/hosts/in-app-page.ts', import.meta.url))),
      readFile(uiCounterBuf),
      readFile(trustedRoots),
    ]);
    const server = await startStaticServer({
      files: {
        '/index.html': html,
        '/no-wasm.js': noWasm,
        '/page.js': page,
        '/ui-counter.buf': new Uint8Array(buf),
        '/trusted-roots.json': new Uint8Array(roots),
      },
    });
    try {
      await withChromium(
        async (s) => {
          await s.page.goto(`${server.origin}/index.html`);
          await s.page.waitForFunction(() => typeof (window as unknown as { __go?: unknown }).__go === 'function');
          // Before anything runs: this page has no WebAssembly at all.
          expect(await s.page.evaluate(() => typeof (globalThis as { WebAssembly?: unknown }).WebAssembly)).toBe(
            'undefined',
          );
          await s.page.evaluate(() => (window as unknown as { __go: () => void }).__go());
          await playScript(s.page, s.screenshot, 'in-app');
          const result = await (
            await s.page.waitForFunction(
              () => {
                const w = window as unknown as { __hostRun?: unknown; __hostError?: string };
                return w.__hostRun ?? (w.__hostError ? { error: w.__hostError } : undefined);
              },
              undefined,
              { timeout: 20_000 },
            )
          ).jsonValue();
          await s.screenshot('in-app-exited');
          const run = result as HostRun & { error?: string };
          expect(run.error).toBeUndefined();
          expect(run.webAssembly).toBe('undefined');
          expect(run.artifactId).toBe('dev.fayger.examples.ui-counter');
          expect(run.exit).toEqual({ state: 'Terminated', exitCode: 0 });
          expect(run.granted).toEqual(expect.arrayContaining(['log', 'ui', 'app']));
          expect(transcript(run)).toEqual(EXPECTED_UI_TRANSCRIPT);
          // Offered the transpiler first, the router passed it over: the page's CSP refuses new Function.
          expect(run.implementation).toBe('fayger-interpreter');
          expect(run.engineReasons).toEqual([
            expect.stringMatching(
              /^fayger-interpreter: .*passed over fayger-transpiler \(cannot run on this host: this host refuses new Function/,
            ),
          ]);
          record('in-app', true, run);
          // The status bar the simulator draws from the same fact.
          await s.page.getByText(/WebAssembly absent/).waitFor();
          expect(s.errors).toEqual([]);
        },
        { artifactsDir },
      );
    } finally {
      await server.close();
    }
  });
});

// Hosts (f) and (g): the in-app stack inside real embedded engines. Hermes (hermes-engine-cli's `hermes` VM,
// the bundle lowered by the React Native Babel preset; React Native bridge) and QuickJS (quickjs-ng embedded by
// a Node program that is the app's native side; message-passing bridge). Neither engine has WebAssembly; the
// native side answers the permission prompts and plays the same scripted user on its native widgets.
const HERMES_MISSING = `hermes leg skipped: hermes-engine-cli ships no hermes binary for ${process.platform}-${process.arch} (linux/macOS/Windows x64 only)`;
const engineLegs: Array<[Engine, boolean]> = [
  ['hermes', hermesBinary() !== undefined],
  ['quickjs', true],
];
if (!hermesBinary()) describe('ui-counter.buf in Hermes', () => it.skip(HERMES_MISSING, () => {}));
if (helloMissing) describe('hello.buf on the embedded engines', () => it.skip(HELLO_MISSING_MESSAGE, () => {}));

/** hello.buf on the server adapter: the reference transcript (numbers masked) for the engine legs. */
let helloReference: Promise<string[]> | undefined;
function helloOnServer(): Promise<string[]> {
  helloReference ??= (async () => {
    const work = await mkdtemp(join(tmpdir(), 'fayger-hosts-e2e-hello-'));
    try {
      const app = await bundleNodeApp(work);
      const out = join(work, 'hello.json');
      const child = await runNode([], [app, 'server', helloBuf, trustedRoots, out, join(work, 'data')]);
      expect(child.code).toBe(0);
      return transcript(await readRun(out));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  })();
  return helloReference;
}

for (const [engine, available] of engineLegs) {
  describe.skipIf(!available || artifactMissing)(`the in-app stack inside ${engine}`, () => {
    let bundles: EngineBundles;
    const results: EngineResult[] = [];
    beforeAll(async () => {
      bundles = await buildEngineBundles(engine);
    }, 240_000);
    afterAll(async () => {
      await mkdir(artifactsDir, { recursive: true });
      await writeFile(
        join(artifactsDir, `${engine}-runs.json`),
        JSON.stringify(
          results.map(({ stdout: _o, stderr: _e, ...r }) => r),
          null,
          2,
        ),
      );
    });

    it(`(${engine === 'hermes' ? 'f' : 'g'}) ${engine}: ui-counter.buf verified and run with no WebAssembly; the native side answers the ui prompt and plays the scripted user`, {
      timeout: 240_000,
    }, async () => {
      const r = await runInEngine(engine, bundles, uiCounterBuf, trustedRoots);
      results.push(r);
      expect(r.run.webAssembly).toBe('undefined');
      expect(r.run.artifactId).toBe('dev.fayger.examples.ui-counter');
      expect(r.run.signedBy).toHaveLength(1);
      expect(r.run.exit).toEqual({ state: 'Terminated', exitCode: 0 });
      expect(r.run.granted).toEqual(expect.arrayContaining(['log', 'ui', 'app']));
      // `ui` is in the prompt state on this native side: the user was asked once, and allowed it.
      expect(r.prompts).toEqual([['ui']]);
      expect(r.uiSteps).toBe(r.uiStepsTotal);
      expect(transcript(r.run)).toEqual(EXPECTED_UI_TRANSCRIPT);
      // Every guest log line crossed the bridge to the native side.
      expect(r.nativeLogs).toBe(EXPECTED_UI_TRANSCRIPT.length);
      expect((r.run as HostRun & { engine?: unknown }).engine).toEqual({ errorCauseKept: true });
      if (engine === 'hermes') expect(r.stdout).not.toMatch(/Uncaught|TypeError|ReferenceError/);
      record(engine, true, r.run);
    });

    it.skipIf(helloMissing)(
      `(${engine === 'hermes' ? 'f' : 'g'}) ${engine}: hello.buf (clock, random after a prompt, timer) logs what it logs on the server adapter`,
      { timeout: 240_000 },
      async () => {
        const r = await runInEngine(engine, bundles, helloBuf, trustedRoots);
        results.push(r);
        expect(r.run.webAssembly).toBe('undefined');
        expect(r.run.artifactId).toBe('dev.fayger.examples.hello');
        expect(r.run.exit).toEqual({ state: 'Terminated', exitCode: 0 });
        expect(r.run.granted).toEqual(expect.arrayContaining(['log', 'clock', 'random', 'timer']));
        expect(r.prompts).toEqual([['random']]);
        const server = await helloOnServer();
        expect(maskNumbers(transcript(r.run))).toEqual(EXPECTED_HELLO_MASKED);
        expect(maskNumbers(transcript(r.run))).toEqual(maskNumbers(server));
        // The realtime clock the guest read is the native side's Date.now (within ten minutes of ours).
        const realtime = Number(/realtime clock: (\d+)/.exec(transcript(r.run)[1]!)![1]);
        expect(Math.abs(realtime - Date.now())).toBeLessThan(600_000);
      },
    );
  });
}

describe.skipIf(artifactMissing)('the same guest-visible results on every host', () => {
  it('UI hosts share one transcript, UI-less hosts another; same artifact, exit 0 everywhere', async () => {
    await mkdir(artifactsDir, { recursive: true });
    await writeFile(join(artifactsDir, 'transcripts.json'), JSON.stringify(Object.fromEntries(runs), null, 2));
    const ran = [...runs.keys()];
    console.log(`hosts that ran ui-counter.buf: ${ran.join(', ')}`);
    expect(ran).toEqual(
      expect.arrayContaining([
        'server',
        'server [transpiler]',
        'node --jitless',
        'node --jitless [transpiler]',
        'quickjs',
        ...(hermesBinary() ? ['hermes'] : []),
      ]),
    );
    for (const r of runs.values()) {
      expect(r.artifactId).toBe('dev.fayger.examples.ui-counter');
      expect(r.exit).toEqual({ state: 'Terminated', exitCode: 0 });
    }
    const ui = [...runs.values()].filter((r) => r.ui).map((r) => r.transcript);
    const plain = [...runs.values()].filter((r) => !r.ui).map((r) => r.transcript);
    for (const t of ui) expect(t).toEqual(ui[0]);
    for (const t of plain) expect(t).toEqual(plain[0]);
  });
});

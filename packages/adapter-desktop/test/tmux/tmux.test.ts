import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentToolEnv, findTool } from '../../src/index.js';

/**
 * End to end in a real terminal: a demo app drives the desktop adapter inside tmux; the test types with
 * `tmux send-keys`, reads the screen with `tmux capture-pane`, and checks the events the app received.
 * A private tmux server (-L) keeps it away from any tmux the user runs.
 */

const tmux = findTool('tmux', currentToolEnv());
if (!tmux) {
  console.warn('[adapter-desktop] tmux not found on PATH: skipping the real-terminal test (install tmux to run it).');
}

const here = fileURLToPath(new URL('.', import.meta.url));
const socket = `fayger-test-${process.pid}`;
const session = 'demo';
let work = '';
let eventsFile = '';

function tm(...args: string[]): string {
  return execFileSync(tmux!, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 5000 });
}

function screen(): string[] {
  return tm('capture-pane', '-p', '-t', session).split('\n');
}

/** Polls the screen until `pred` holds (bounded); returns the last screen either way for the assertion. */
async function waitScreen(pred: (lines: string[]) => boolean, ms = 10_000): Promise<string[]> {
  const end = Date.now() + ms;
  let last: string[] = [];
  while (Date.now() < end) {
    last = screen();
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

async function waitFor(pred: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pred();
}

const has = (re: RegExp) => (lines: string[]) => lines.some((l) => re.test(l));
const line = (lines: string[], re: RegExp) => lines.find((l) => re.test(l)) ?? '';
const sessionAlive = () => spawnSync(tmux!, ['-L', socket, 'has-session', '-t', session]).status === 0;
const events = (): Array<{ type: string; data: Record<string, unknown> }> =>
  existsSync(eventsFile)
    ? readFileSync(eventsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

describe.skipIf(!tmux)('desktop adapter in a real terminal (tmux)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fayger-desktop-tmux-'));
    eventsFile = join(work, 'events.jsonl');
    // Bundle the TypeScript demo (and the workspace sources it imports) into one file Node can run.
    const bundle = join(work, 'demo-app.mjs');
    await build({
      entryPoints: [join(here, 'fixtures/demo-app.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@fayger/source'],
      outfile: bundle,
      logLevel: 'silent',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    tm(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '80',
      '-y',
      '24',
      `${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)} ${JSON.stringify(eventsFile)}`,
    );
  }, 60_000);

  afterAll(() => {
    spawnSync(tmux!, ['-L', socket, 'kill-server']);
    rmSync(work, { recursive: true, force: true });
  });

  it('draws the UI, moves focus, edits the input and delivers the ui.events', { timeout: 60_000 }, async () => {
    let s = await waitScreen(has(/Fayger tmux demo/));
    expect(s.join('\n')).toContain('Fayger tmux demo');
    // Focus starts on the input (the first focusable), with the marker and the placeholder.
    expect(line(s, /Name:/)).toMatch(/^> Name: \[type here +\]$/);
    expect(line(s, /Greet/)).toMatch(/^ {2}\[ Greet \] +\[ Quit \]$/);

    tm('send-keys', '-t', session, '-l', 'Ada');
    s = await waitScreen(has(/Name: \[Ada /));
    expect(line(s, /Name:/)).toMatch(/^> Name: \[Ada +\]$/);

    tm('send-keys', '-t', session, 'BSpace');
    tm('send-keys', '-t', session, '-l', 'a');
    tm('send-keys', '-t', session, 'Tab');
    s = await waitScreen(has(/^> \[ Greet \]/));
    // The marker left the input and sits on "Greet"; the typed text stays.
    expect(line(s, /Name:/)).toMatch(/^ {2}Name: \[Ada +\]$/);
    expect(line(s, /Greet/)).toMatch(/^> \[ Greet \] +\[ Quit \]$/);

    tm('send-keys', '-t', session, 'Enter');
    s = await waitScreen(has(/Hello, Ada!/));
    expect(s.join('\n')).toContain('Hello, Ada!');

    // Shift-Tab back to the input and submit it.
    tm('send-keys', '-t', session, 'BTab');
    s = await waitScreen(has(/^> Name:/));
    tm('send-keys', '-t', session, 'Enter');
    expect(await waitFor(() => events().some((e) => e.data.kind === 'submit'))).toBe(true);

    // Ctrl-C ends the app: it hears "terminating", gives the terminal back and exits.
    tm('send-keys', '-t', session, 'C-c');
    expect(await waitFor(() => !sessionAlive())).toBe(true);

    expect(events()).toEqual([
      { type: 'ui.event', data: { nodeId: 'name', kind: 'input', value: 'A' } },
      { type: 'ui.event', data: { nodeId: 'name', kind: 'input', value: 'Ad' } },
      { type: 'ui.event', data: { nodeId: 'name', kind: 'input', value: 'Ada' } },
      { type: 'ui.event', data: { nodeId: 'name', kind: 'input', value: 'Ad' } },
      { type: 'ui.event', data: { nodeId: 'name', kind: 'input', value: 'Ada' } },
      { type: 'ui.event', data: { nodeId: 'greet', kind: 'click' } },
      { type: 'ui.event', data: { nodeId: 'name', kind: 'submit', value: 'Ada' } },
      { type: 'app.lifecycle', data: { state: 'terminating' } },
    ]);
  });
});

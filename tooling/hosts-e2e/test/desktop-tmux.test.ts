import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_MISSING_MESSAGE, artifactMissing, artifactsDir, bundleNodeApp, EXPECTED_UI_TRANSCRIPT, readRun, SCRIPT_NAME, transcript, trustedRoots, uiCounterBuf } from './helpers.js';

// Host (b): adapter-desktop in a real terminal. A private tmux server (-L) runs the Node host; keys go in
// with `send-keys`, the screen comes out with `capture-pane`.
const tmux = ['/usr/bin/tmux', '/usr/local/bin/tmux', '/bin/tmux'].find((p) => existsSync(p));
const TMUX_MISSING = 'desktop host skipped: tmux not found (apt-get install -y tmux)';
const socket = `fayger-hosts-e2e-${process.pid}`;
const session = 'counter';

const tm = (...args: string[]) => execFileSync(tmux!, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', timeout: 5000 });
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

describe.skipIf(!tmux || artifactMissing)('ui-counter.buf on the desktop adapter in a real terminal (tmux)', () => {
  let work = '';
  let out = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'fayger-hosts-e2e-desktop-'));
    out = join(work, 'desktop.json');
    const app = await bundleNodeApp(work);
    const cmd = [process.execPath, app, 'desktop', uiCounterBuf, trustedRoots, out].map((a) => JSON.stringify(a)).join(' ');
    tm('new-session', '-d', '-s', session, '-x', '80', '-y', '24', cmd);
  });
  afterAll(async () => {
    spawnSync(tmux!, ['-L', socket, 'kill-server']);
    await rm(work, { recursive: true, force: true });
  });

  it('keys in, screen out: type a name, +1, +1, -1, Quit; the guest transcript is the scripted one', { timeout: 60_000 }, async () => {
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
    await writeFile(join(artifactsDir, 'desktop-tmux-screens.txt'), shots.join('\n' + '-'.repeat(80) + '\n'));

    const run = await readRun(out);
    expect(run.exit).toEqual({ state: 'Terminated', exitCode: 0 });
    expect(run.granted).toEqual(expect.arrayContaining(['log', 'ui', 'app']));
    expect(transcript(run)).toEqual(EXPECTED_UI_TRANSCRIPT);
  });
});

if (!tmux) describe('ui-counter.buf on the desktop adapter', () => {
  it.skip(TMUX_MISSING, () => {});
});
if (artifactMissing) describe('ui-counter.buf on the desktop adapter (artifact)', () => {
  it.skip(ARTIFACT_MISSING_MESSAGE, () => {});
});

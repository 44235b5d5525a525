import { chmodSync } from 'node:fs';
import { FaygerError } from '@fayger/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  detectClipboard,
  detectNotifier,
  detectUrlOpener,
  findTool,
  parseOpenableUrl,
  runTool,
  type ToolEnv,
} from '../../src/index.js';
import { FakeTools } from '../helpers/fake-tools.js';

let tools: FakeTools;
beforeEach(() => {
  tools = new FakeTools();
});
afterEach(() => tools.cleanup());

const linux = (env: Record<string, string> = {}): ToolEnv => ({ platform: 'linux', env: { PATH: tools.dir, ...env } });

async function rejection(p: Promise<unknown>): Promise<FaygerError> {
  try {
    await p;
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('findTool', () => {
  it('finds executables on the given PATH only', () => {
    tools.recorder('xclip');
    tools.add('not-exec', 'true');
    // A plain file without the executable bit does not count.
    chmodSync(`${tools.dir}/not-exec`, 0o644);
    expect(findTool('xclip', linux())).toBe(`${tools.dir}/xclip`);
    expect(findTool('not-exec', linux())).toBeNull();
    expect(findTool('xclip', { platform: 'linux', env: { PATH: '' } })).toBeNull();
  });
});

describe('clipboard', () => {
  const fakeXclip = () =>
    tools.add(
      'xclip',
      // Like the real xclip, "-in" leaves a background process holding the inherited stderr open.
      `case "$*" in
  *-in*) cat > "$STATE/clip"; (sleep 30 & echo $! > "$STATE/bg.pid") ;;
  *-out*) cat "$STATE/clip" ;;
esac`,
    );

  it('is unavailable without a tool or without a display', () => {
    expect(detectClipboard(linux({ DISPLAY: ':0' }))).toBeNull();
    fakeXclip();
    expect(detectClipboard(linux())).toBeNull();
    expect(detectClipboard(linux({ DISPLAY: ':0' }))?.name).toBe('xclip');
  });

  it('prefers wl-clipboard on Wayland, then xclip, then xsel on X11', () => {
    tools.recorder('xsel');
    expect(detectClipboard(linux({ DISPLAY: ':0' }))?.name).toBe('xsel');
    fakeXclip();
    expect(detectClipboard(linux({ DISPLAY: ':0' }))?.name).toBe('xclip');
    tools.recorder('wl-copy');
    tools.recorder('wl-paste');
    expect(detectClipboard(linux({ DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' }))?.name).toBe('wl-clipboard');
    expect(detectClipboard({ platform: 'darwin', env: { PATH: tools.dir } })).toBeNull();
  });

  it('round-trips text, including newlines and non-ASCII, through the tool without waiting for forked helpers', async () => {
    fakeXclip();
    const cb = detectClipboard(linux({ DISPLAY: ':0' }))!;
    const text = 'héllo\n"world" $(rm -rf /) `x`';
    await cb.write(text);
    expect(tools.read('clip')).toBe(text);
    expect(await cb.read()).toBe(text);
  });

  it('passes the selection arguments xsel and wl-paste need', async () => {
    tools.recorder('xsel');
    const cb = detectClipboard(linux({ DISPLAY: ':0' }))!;
    await cb.write('abc');
    expect(tools.args('xsel')).toEqual(['--clipboard', '--input']);
    expect(tools.read('xsel.stdin')).toBe('abc');
  });

  it('reads an empty clipboard as "" where the tool reports emptiness as an error', async () => {
    tools.add('wl-copy', 'cat > /dev/null');
    tools.add('wl-paste', 'echo "Nothing is copied" >&2; exit 1');
    const cb = detectClipboard(linux({ WAYLAND_DISPLAY: 'wayland-0' }))!;
    expect(await cb.read()).toBe('');
  });

  it('a failing tool is DESKTOP_TOOL_FAILED naming the tool and its exit status', async () => {
    tools.add('xclip', 'echo "Error: Can\'t open display" >&2; exit 1');
    const cb = detectClipboard(linux({ DISPLAY: ':0' }))!;
    const e = await rejection(cb.read());
    expect(e.code).toBe('DESKTOP_TOOL_FAILED');
    expect(e.message).toMatch(/xclip.*exit status 1: Error: Can't open display/);
    expect(e.retryable).toBe(true);
  });
});

describe('runTool', () => {
  it('kills a hung tool at its timeout', async () => {
    const hang = tools.add('hang', 'exec sleep 30');
    const e = await rejection(runTool(hang, [], { phase: 'clipboard.read', captureStdout: true, timeoutMs: 200 }));
    expect(e.code).toBe('DESKTOP_TOOL_FAILED');
    expect(e.message).toMatch(/no exit after 200 ms/);
  });

  it('stops at the abort signal with ABORTED', async () => {
    const hang = tools.add('hang', 'exec sleep 30');
    const ac = new AbortController();
    const p = runTool(hang, [], { phase: 'clipboard.read', captureStdout: true, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await rejection(p)).code).toBe('ABORTED');
  });

  it('refuses output beyond the limit', async () => {
    const big = tools.add('big', 'head -c 5000 /dev/zero');
    const e = await rejection(runTool(big, [], { phase: 'clipboard.read', captureStdout: true, maxStdout: 1000 }));
    expect(e.message).toMatch(/more than 1000 bytes/);
  });

  it('a missing executable fails with DESKTOP_TOOL_FAILED, not a crash', async () => {
    const e = await rejection(runTool(`${tools.dir}/nope`, [], { phase: 'notify.send' }));
    expect(e.code).toBe('DESKTOP_TOOL_FAILED');
    expect(e.message).toMatch(/could not start \(ENOENT\)/);
  });
});

describe('notifications', () => {
  it('uses notify-send with "--" so a title cannot become an option', async () => {
    tools.recorder('notify-send');
    const n = detectNotifier(linux({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }))!;
    expect(n.name).toBe('notify-send');
    await n.send('-u critical', 'body $HOME');
    expect(tools.args('notify-send')).toEqual(['--app-name=fayger', '--', '-u critical', 'body $HOME']);
  });

  it('passes title and body to osascript as arguments, never inside the script', async () => {
    tools.recorder('osascript');
    const n = detectNotifier({ platform: 'darwin', env: { PATH: tools.dir } })!;
    await n.send('say "hi"', 'end tell');
    const args = tools.args('osascript')!;
    expect(args.slice(-2)).toEqual(['say "hi"', 'end tell']);
    expect(args.slice(0, -2).join(' ')).not.toContain('say');
  });

  it('has no OS notifier without a tool or a session bus (the terminal fallback is used)', () => {
    expect(detectNotifier(linux({ DBUS_SESSION_BUS_ADDRESS: 'x' }))).toBeNull();
    tools.recorder('notify-send');
    expect(detectNotifier(linux())).toBeNull();
    expect(detectNotifier({ platform: 'win32', env: { PATH: tools.dir } })).toBeNull();
  });
});

describe('open-url', () => {
  it('accepts only absolute http(s) URLs, normalised', () => {
    expect(parseOpenableUrl('https://example.com/a b?q=1')).toBe('https://example.com/a%20b?q=1');
    expect(parseOpenableUrl('HTTP://Example.COM')).toBe('http://example.com/');
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      '/relative',
      'example.com',
      'ftp://x.org',
      'https://x.org/\nrm',
      'mailto:a@b.c',
      'http://',
    ]) {
      let err: unknown;
      try {
        parseOpenableUrl(bad);
      } catch (e) {
        err = e;
      }
      expect(FaygerError.is(err, 'DESKTOP_URL_REJECTED'), bad).toBe(true);
    }
  });

  it('runs xdg-open with the URL as its single argument', async () => {
    tools.recorder('xdg-open');
    const o = detectUrlOpener(linux())!;
    expect(o.name).toBe('xdg-open');
    const href = parseOpenableUrl('https://example.com/?a=1&b=$(id)');
    await o.open(href);
    expect(tools.args('xdg-open')).toEqual(['https://example.com/?a=1&b=$(id)']);
  });

  it('reports an opener failure, and is unavailable without an opener', async () => {
    tools.add('xdg-open', 'echo "no method available" >&2; exit 3');
    const e = await rejection(detectUrlOpener(linux())!.open('https://example.com/'));
    expect(e.code).toBe('DESKTOP_TOOL_FAILED');
    expect(e.message).toMatch(/exit status 3: no method available/);
    expect(detectUrlOpener({ platform: 'linux', env: { PATH: '' } })).toBeNull();
  });

  it('counts an opener still running after the grace period as launched', async () => {
    tools.add('xdg-open', 'echo $$ > "$STATE/bg.pid"; exec sleep 30');
    await detectUrlOpener(linux(), { timeoutMs: 100 })!.open('https://example.com/');
  });
});

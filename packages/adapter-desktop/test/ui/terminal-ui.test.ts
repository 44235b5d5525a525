import { PassThrough } from 'node:stream';
import type { UiNode } from '@fayger/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminalUi, defaultCharset, keyFromKeypress, type UiOutput } from '../../src/index.js';
import { FakeScreen } from '../helpers/screen.js';

const tree: UiNode = {
  type: 'column',
  children: [
    { type: 'text', text: 'Sign in' },
    { type: 'input', id: 'user', text: 'User:', placeholder: 'name' },
    {
      type: 'row',
      children: [
        { type: 'button', id: 'go', text: 'Go' },
        { type: 'button', id: 'quit', text: 'Quit' },
      ],
    },
  ],
};

const open: TerminalUi[] = [];
afterEach(() => {
  for (const ui of open.splice(0)) ui.stop();
});

function setup(columns = 40, rows = 8) {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean };
  const screen = new FakeScreen(columns, rows);
  const events: UiOutput[] = [];
  const ui = new TerminalUi({ input, output: screen, onEvent: (e) => events.push(e), charset: 'ascii' });
  open.push(ui);
  // Keypress events are emitted synchronously per chunk written, but the stream delivers asynchronously.
  const send = async (bytes: string) => {
    input.write(bytes);
    await new Promise((r) => setImmediate(r));
  };
  return { input, screen, events, ui, send };
}

describe('TerminalUi', () => {
  it('draws the tree on the alternate screen with the caret in the focused input', () => {
    const { screen, ui } = setup();
    ui.render(tree);
    expect(screen.altScreen).toBe(true);
    expect(screen.text().slice(0, 3)).toEqual(['Sign in', '> User: [name                ]', '  [ Go ]    [ Quit ]']);
    expect(screen.cursorVisible).toBe(true);
    expect({ row: screen.row, col: screen.col }).toEqual({ row: 1, col: 9 });
  });

  it('decodes real key bytes: typing, Tab, Shift-Tab, Enter, Backspace', async () => {
    const { screen, ui, events, send } = setup();
    ui.render(tree);
    await send('bob');
    expect(screen.text()[1]).toBe('> User: [bob                 ]');
    await send('\x7f'); // Backspace
    await send('\t'); // Tab to "Go"
    expect(screen.text()[1]).toBe('  User: [bo                  ]');
    expect(screen.text()[2]).toBe('> [ Go ]    [ Quit ]');
    expect(screen.cursorVisible).toBe(false);
    await send('\r'); // Enter on Go
    await send('\x1b[Z'); // Shift-Tab back to the input
    await send('\r'); // submit
    expect(events).toEqual([
      { type: 'ui.event', data: { nodeId: 'user', kind: 'input', value: 'b' } },
      { type: 'ui.event', data: { nodeId: 'user', kind: 'input', value: 'bo' } },
      { type: 'ui.event', data: { nodeId: 'user', kind: 'input', value: 'bob' } },
      { type: 'ui.event', data: { nodeId: 'user', kind: 'input', value: 'bo' } },
      { type: 'ui.event', data: { nodeId: 'go', kind: 'click' } },
      { type: 'ui.event', data: { nodeId: 'user', kind: 'submit', value: 'bo' } },
    ]);
  });

  it('repaints only the rows that changed', async () => {
    const { screen, ui, send } = setup();
    ui.render(tree);
    screen.writes.length = 0;
    await send('x');
    const frame = screen.writes.join('');
    expect(frame).toContain('\x1b[2;1H');
    expect(frame).not.toContain('\x1b[1;1H');
    expect(frame).not.toContain('\x1b[3;1H');
  });

  it('re-renders a new tree in place, clearing rows the old one used', () => {
    const { screen, ui } = setup();
    ui.render(tree);
    ui.render({ type: 'text', text: 'Done.' });
    expect(screen.text()).toEqual(['Done.', '', '', '', '', '', '', '']);
  });

  it('scrolls so the focused node stays visible in a short terminal', async () => {
    const { screen, ui, send } = setup(30, 3);
    const long: UiNode = {
      type: 'column',
      children: [
        ...Array.from({ length: 6 }, (_, i) => ({ type: 'text' as const, text: `line ${i}` })),
        { type: 'button', id: 'a', text: 'A' },
        { type: 'button', id: 'b', text: 'B' },
      ],
    };
    ui.render(long);
    expect(screen.text()).toEqual(['line 4', 'line 5', '> [ A ]']);
    await send('\t');
    expect(screen.text()).toEqual(['line 5', '  [ A ]', '> [ B ]']);
  });

  it('redraws at the new width on resize', () => {
    const { screen, ui } = setup(40, 5);
    ui.render({ type: 'text', text: 'one two three four' });
    expect(screen.text()[0]).toBe('one two three four');
    screen.resize(9, 5);
    expect(screen.text().slice(0, 3)).toEqual(['one two', 'three', 'four']);
  });

  it('shows a notification as a status line with a bell, which expires', () => {
    vi.useFakeTimers();
    try {
      const { screen, ui } = setup(30, 4);
      ui.render({ type: 'text', text: 'body' });
      ui.notify('Saved', 'all good');
      expect(screen.bells).toBe(1);
      expect(screen.text()[3]).toBe('! Saved: all good');
      vi.advanceTimersByTime(8001);
      expect(screen.text()[3]).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });

  it('Ctrl-C emits terminating and gives the terminal back', async () => {
    const { screen, ui, events, send } = setup();
    ui.render(tree);
    await send('\x03');
    expect(events).toEqual([{ type: 'app.lifecycle', data: { state: 'terminating' } }]);
    expect(screen.altScreen).toBe(false);
    expect(screen.cursorVisible).toBe(true);
    expect(ui.active).toBe(false);
    expect(() => ui.render(tree)).toThrow(expect.objectContaining({ code: 'DESKTOP_UI_NO_TERMINAL' }));
  });

  it('puts a TTY input into raw mode and restores it on stop', () => {
    const input = new PassThrough() as PassThrough & {
      isTTY: boolean;
      isRaw: boolean;
      setRawMode: (m: boolean) => void;
    };
    input.isTTY = true;
    input.isRaw = false;
    const modes: boolean[] = [];
    input.setRawMode = (m) => {
      modes.push(m);
      input.isRaw = m;
    };
    const ui = new TerminalUi({ input, output: new FakeScreen(), onEvent: () => {}, charset: 'ascii' });
    ui.render(tree);
    ui.stop();
    expect(modes).toEqual([true, false]);
  });

  it('restores the terminal if the process exits while the UI is up, and unhooks when stopped', () => {
    const before = process.listenerCount('exit');
    const { screen, ui } = setup();
    ui.render(tree);
    expect(process.listenerCount('exit')).toBe(before + 1);
    const hook = process.listeners('exit').at(-1) as () => void;
    hook();
    expect(screen.altScreen).toBe(false);
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('an invalid tree is rejected before the terminal is touched', () => {
    const { screen, ui } = setup();
    expect(() => ui.render({ type: 'button', text: 'no id' })).toThrow(
      expect.objectContaining({ code: 'DESKTOP_UI_TREE_INVALID' }),
    );
    expect(screen.writes).toEqual([]);
  });
});

describe('keyFromKeypress', () => {
  it('maps readline key objects to UI keys', () => {
    expect(keyFromKeypress('\r', { name: 'return' })).toEqual({
      name: 'enter',
      ctrl: false,
      meta: false,
      shift: false,
    });
    expect(keyFromKeypress(undefined, { name: 'tab', shift: true })).toMatchObject({ name: 'tab', shift: true });
    expect(keyFromKeypress('A', { name: 'a', shift: true })).toEqual({ name: 'char', ch: 'A' });
    expect(keyFromKeypress('é', undefined)).toEqual({ name: 'char', ch: 'é' });
    expect(keyFromKeypress('\x03', { name: 'c', ctrl: true })).toMatchObject({ name: 'c', ctrl: true });
    expect(keyFromKeypress('\x1b[999~', { name: undefined })).toBeNull();
  });
});

describe('defaultCharset', () => {
  it('uses unicode glyphs only when the locale is UTF-8', () => {
    expect(defaultCharset({ LANG: 'en_US.UTF-8' }, 'linux')).toBe('unicode');
    expect(defaultCharset({ LANG: 'C' }, 'linux')).toBe('ascii');
    expect(defaultCharset({}, 'win32')).toBe('unicode');
  });
});

import { emitKeypressEvents } from 'node:readline';
import type { UiNode } from '@fayger/contracts';
import { keyFromKeypress, type KeypressInfo } from './keys.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS, layoutUi, type Glyphs, type Line, type SegmentStyle } from './layout.js';
import { oneLine, truncate } from './text-width.js';
import { applyKey, clearTree, createUiState, renderTree, type UiOutput, type UiState } from './ui-state.js';
import { desktopError } from '../errors.js';

/** Where the UI is drawn: a TTY write stream or anything with the same shape. */
export interface TerminalOutput {
  columns?: number;
  rows?: number;
  write(chunk: string): unknown;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

/** Where keys come from: a readable stream (raw-mode TTY stdin, or any stream carrying terminal key bytes). */
export interface TerminalInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'keypress', listener: (str: string | undefined, key: KeypressInfo | undefined) => void): unknown;
  off(event: 'keypress', listener: (str: string | undefined, key: KeypressInfo | undefined) => void): unknown;
  resume?(): unknown;
  pause?(): unknown;
}

export type Charset = 'unicode' | 'ascii';

export interface TerminalUiOptions {
  input: TerminalInput;
  output: TerminalOutput;
  /** Called for every ui.event and for the user's Ctrl-C (app.lifecycle terminating). */
  onEvent: (out: UiOutput) => void;
  /** Glyph set; default: unicode when the locale says UTF-8 (or on Windows), else ascii. */
  charset?: Charset;
  /** Draw on the alternate screen so the shell's screen comes back intact on stop (default true). */
  altScreen?: boolean;
  /** How long a status line (notification fallback) stays, in ms (default 8000). */
  statusMs?: number;
}

const CSI = '\x1b[';
const SGR: Record<SegmentStyle, string> = {
  plain: '',
  marker: `${CSI}1m`,
  button: `${CSI}1m`,
  focus: `${CSI}7;1m`,
  dim: `${CSI}2m`,
  field: `${CSI}4m`,
  'field-focus': `${CSI}4;1m`,
  placeholder: `${CSI}2;4m`,
};

export function defaultCharset(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: string = process.platform,
): Charset {
  if (platform === 'win32') return 'unicode';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale) ? 'unicode' : 'ascii';
}

function ansiLine(line: Line): string {
  let s = '';
  for (const seg of line) {
    const sgr = SGR[seg.style];
    s += sgr ? `${sgr}${seg.text}${CSI}0m` : seg.text;
  }
  return s;
}

/**
 * Draws a UI tree in a terminal and turns key presses into ui.events. Keeps no drawing logic of its own
 * beyond diffing frames: layout and key handling are the pure `layoutUi` and `applyKey`.
 */
export class TerminalUi {
  private uiState: UiState = createUiState();
  private readonly glyphs: Glyphs;
  private started = false;
  private closed = false;
  private rawSet = false;
  private prevFrame: string[] = [];
  private scroll = 0;
  private status: string | null = null;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: TerminalUiOptions) {
    this.glyphs = (opts.charset ?? defaultCharset()) === 'ascii' ? ASCII_GLYPHS : UNICODE_GLYPHS;
  }

  /** The current pure state (tree, focus, input values). */
  get state(): UiState {
    return this.uiState;
  }

  get active(): boolean {
    return this.started && !this.closed;
  }

  private readonly onKeypress = (str: string | undefined, key: KeypressInfo | undefined): void => {
    const k = keyFromKeypress(str, key);
    if (k === null) return;
    const { state, events } = applyKey(this.uiState, k);
    this.uiState = state;
    this.paint();
    for (const ev of events) {
      try {
        this.opts.onEvent(ev);
      } catch {
        // A throwing listener must not leave the terminal in raw mode with keys half handled.
      }
    }
    if (state.ended) this.stop();
  };

  // A process that exits while the UI is up (process.exit, an uncaught error) must not leave the user's
  // terminal in raw mode on the alternate screen.
  private readonly onProcessExit = (): void => this.stop();

  private readonly onResize = (): void => {
    this.prevFrame = [];
    this.opts.output.write(`${CSI}2J`);
    this.paint();
  };

  /** Takes over the terminal: raw mode, alternate screen, key listening. Idempotent. */
  start(): void {
    if (this.closed) {
      throw desktopError({
        code: 'DESKTOP_UI_NO_TERMINAL',
        phase: 'ui.render',
        what: 'starting the terminal UI',
        expected: 'a terminal UI that has not been stopped',
        found: 'a stopped one (the user pressed Ctrl-C or the adapter was disposed)',
        hint: 'Create a new TerminalUi (or adapter) to draw again.',
      });
    }
    if (this.started) return;
    const { input, output } = this.opts;
    emitKeypressEvents(input as unknown as NodeJS.ReadableStream);
    if (input.isTTY && typeof input.setRawMode === 'function' && !input.isRaw) {
      input.setRawMode(true);
      this.rawSet = true;
    }
    input.on('keypress', this.onKeypress);
    input.resume?.();
    output.on?.('resize', this.onResize);
    process.once('exit', this.onProcessExit);
    output.write(`${this.opts.altScreen === false ? '' : `${CSI}?1049h`}${CSI}2J${CSI}H${CSI}?25l`);
    this.started = true;
  }

  /** Shows `tree`, keeping focus and typed input where the tree allows. Throws DESKTOP_UI_TREE_INVALID. */
  render(tree: UiNode): void {
    const next = renderTree(this.uiState, tree);
    this.start();
    this.uiState = next;
    this.paint();
  }

  /** Blanks the UI (the terminal stays in UI mode until `stop`). */
  clear(): void {
    this.uiState = clearTree(this.uiState);
    if (this.active) this.paint();
  }

  /** Shows a status line at the bottom (with a bell): the notification fallback. */
  notify(title: string, body?: string): void {
    const text = oneLine(body ? `${title}: ${body}` : title);
    if (!this.active) {
      this.opts.output.write(`\x07${text}\n`);
      return;
    }
    this.status = text;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => {
      this.status = null;
      this.statusTimer = null;
      if (this.active) this.paint();
    }, this.opts.statusMs ?? 8000);
    this.statusTimer.unref?.();
    this.opts.output.write('\x07');
    this.paint();
  }

  /** Gives the terminal back: leaves raw mode and the alternate screen, shows the cursor. Idempotent. */
  stop(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    if (!this.started) return;
    const { input, output } = this.opts;
    input.off('keypress', this.onKeypress);
    output.off?.('resize', this.onResize);
    process.off('exit', this.onProcessExit);
    if (this.rawSet) input.setRawMode?.(false);
    input.pause?.();
    output.write(
      `${CSI}0m${CSI}?25h${this.opts.altScreen === false ? `${CSI}${this.prevFrame.length + 1};1H\n` : `${CSI}?1049l`}`,
    );
  }

  /** The text of the visible frame, one string per terminal row (for diagnostics and tests). */
  frameText(): string[] {
    return this.frame().rows.map((r) => r.text);
  }

  private frame(): { rows: Array<{ text: string; ansi: string }>; cursor: { row: number; col: number } | null } {
    const columns = Math.max(1, this.opts.output.columns ?? 80);
    const height = Math.max(1, this.opts.output.rows ?? 24);
    const { lines, cursor, focusRow } = layoutUi(this.uiState, columns, this.glyphs);
    const viewH = Math.max(1, height - (this.status !== null ? 1 : 0));
    if (focusRow !== null) {
      if (focusRow < this.scroll) this.scroll = focusRow;
      else if (focusRow >= this.scroll + viewH) this.scroll = focusRow - viewH + 1;
    }
    this.scroll = Math.max(0, Math.min(this.scroll, Math.max(0, lines.length - viewH)));
    const rows: Array<{ text: string; ansi: string }> = [];
    for (let i = 0; i < viewH && this.scroll + i < lines.length; i++) {
      const line = lines[this.scroll + i]!;
      rows.push({ text: line.map((s) => s.text).join(''), ansi: ansiLine(line) });
    }
    if (this.status !== null) {
      while (rows.length < viewH) rows.push({ text: '', ansi: '' });
      const text = truncate(`! ${this.status}`, columns, this.glyphs.ellipsis);
      rows.push({ text, ansi: ansiLine([{ text, style: 'focus' }]) });
    }
    let cur: { row: number; col: number } | null = null;
    if (cursor && cursor.row >= this.scroll && cursor.row < this.scroll + viewH)
      cur = { row: cursor.row - this.scroll, col: cursor.col };
    return { rows, cursor: cur };
  }

  private paint(): void {
    if (!this.active) return;
    const { rows, cursor } = this.frame();
    let out = `${CSI}?25l`;
    const n = Math.max(rows.length, this.prevFrame.length);
    const next: string[] = [];
    for (let i = 0; i < n; i++) {
      const ansi = rows[i]?.ansi ?? '';
      next.push(ansi);
      if (this.prevFrame[i] === ansi && i < this.prevFrame.length) continue;
      out += `${CSI}${i + 1};1H${ansi}${CSI}K`;
    }
    this.prevFrame = next.slice(0, rows.length);
    if (cursor) out += `${CSI}${cursor.row + 1};${cursor.col + 1}H${CSI}?25h`;
    this.opts.output.write(out);
  }
}

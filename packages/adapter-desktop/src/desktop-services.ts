import {
  FaygerError,
  type AdapterCallContext,
  type CapabilityOffer,
  type HostEventInput,
  type OpArgs,
  type OpResult,
} from '@fayger/contracts';
import { detectClipboard, type ClipboardBackend } from './extras/clipboard.js';
import { detectNotifier, type Notifier } from './extras/notify.js';
import { detectUrlOpener, parseOpenableUrl, type UrlOpener } from './extras/open-url.js';
import { currentToolEnv, type ToolEnv } from './extras/os-tools.js';
import { TerminalUi, type Charset, type TerminalInput, type TerminalOutput } from './ui/terminal-ui.js';
import { oneLine } from './ui/text-width.js';
import type { UiOutput } from './ui/ui-state.js';
import { desktopError } from './errors.js';

/** The terminal the UI is drawn in. */
export interface DesktopTerminal {
  input: TerminalInput;
  output: TerminalOutput;
}

export interface DesktopServicesOptions {
  /**
   * Terminal for ui.*: default process.stdin/process.stdout when both are TTYs. `null`: no terminal UI
   * (the ui capability is then not offered).
   */
  terminal?: DesktopTerminal | null;
  charset?: Charset;
  /** Where tools are looked up (platform, PATH, DISPLAY…); default: this process. */
  toolEnv?: ToolEnv;
  /** Replace the detected OS tools (null: none). Mainly for tests and unusual desktops. */
  clipboard?: ClipboardBackend | null;
  notifier?: Notifier | null;
  urlOpener?: UrlOpener | null;
  /** Timeout for each OS tool run, ms (default 5000). */
  toolTimeoutMs?: number;
  /**
   * Where a notification goes when there is no OS notifier and no terminal UI on screen (default
   * process.stderr): a bell and one line.
   */
  fallbackOutput?: { write(chunk: string): unknown };
  /** Told when the terminal UI takes the screen (true) and gives it back (false), e.g. to hold logs meanwhile. */
  onUiScreen?: (onScreen: boolean) => void;
}

type Emit = (event: HostEventInput) => void;

/**
 * The desktop-only ops: ui.* in the terminal, clipboard, notify, url.open. The terminal is one shared
 * resource: the instance that rendered last owns it and receives its ui.events.
 */
export class DesktopServices {
  readonly clipboard: ClipboardBackend | null;
  readonly notifier: Notifier | null;
  readonly urlOpener: UrlOpener | null;
  private readonly terminal: DesktopTerminal | null;
  private ui: TerminalUi | null = null;
  private owner: string | null = null;
  private readonly emitters = new Map<string, Emit>();
  /** Instances told the user pressed Ctrl-C: they may not take the terminal back. */
  private readonly interrupted = new Set<string>();

  constructor(private readonly opts: DesktopServicesOptions = {}) {
    const te = opts.toolEnv ?? currentToolEnv();
    const timeouts = { timeoutMs: opts.toolTimeoutMs };
    this.clipboard = opts.clipboard !== undefined ? opts.clipboard : detectClipboard(te, timeouts);
    this.notifier = opts.notifier !== undefined ? opts.notifier : detectNotifier(te, timeouts);
    this.urlOpener = opts.urlOpener !== undefined ? opts.urlOpener : detectUrlOpener(te, timeouts);
    if (opts.terminal !== undefined) this.terminal = opts.terminal;
    else
      this.terminal =
        process.stdin.isTTY && process.stdout.isTTY ? { input: process.stdin, output: process.stdout } : null;
  }

  /** What this desktop can offer beyond the shared Node services. notify is always there (terminal fallback). */
  offers(): CapabilityOffer[] {
    const out: CapabilityOffer[] = [];
    if (this.terminal) out.push({ name: 'ui' });
    if (this.clipboard) out.push({ name: 'clipboard' });
    out.push({ name: 'notify' });
    if (this.urlOpener) out.push({ name: 'open-url' });
    return out;
  }

  /** The terminal UI currently on screen, if any (diagnostics and tests). */
  get terminalUi(): TerminalUi | null {
    return this.ui?.active ? this.ui : null;
  }

  render(args: OpArgs<'ui.render'>, ctx: AdapterCallContext): OpResult<'ui.render'> {
    if (!this.terminal) throw noTerminal('there is no interactive terminal (stdin/stdout are not TTYs)');
    if (this.interrupted.has(ctx.instanceId)) throw noTerminal("the user closed this app's UI with Ctrl-C");
    this.emitters.set(ctx.instanceId, ctx.emit);
    if (!this.ui?.active) {
      this.ui = new TerminalUi({
        input: this.terminal.input,
        output: this.terminal.output,
        ...(this.opts.charset ? { charset: this.opts.charset } : {}),
        onEvent: (out) => this.route(out),
      });
    }
    const ui = this.ui;
    const wasActive = ui.active;
    // A different instance taking the screen starts from a clean slate (focus and typed text belong to the old UI).
    if (this.owner !== null && this.owner !== ctx.instanceId) ui.clear();
    ui.render(args.tree);
    if (!wasActive) this.opts.onUiScreen?.(true);
    this.owner = ctx.instanceId;
    return {};
  }

  clear(_args: OpArgs<'ui.clear'>, ctx: AdapterCallContext): OpResult<'ui.clear'> {
    // Clearing gives the terminal back to the shell (logs become readable); the next render takes it again.
    if (this.owner === ctx.instanceId) this.release();
    return {};
  }

  async clipboardRead(_args: OpArgs<'clipboard.read'>, ctx: AdapterCallContext): Promise<OpResult<'clipboard.read'>> {
    return { text: await this.needClipboard('clipboard.read').read(ctx.signal) };
  }

  async clipboardWrite(args: OpArgs<'clipboard.write'>, ctx: AdapterCallContext): Promise<OpResult<'clipboard.write'>> {
    await this.needClipboard('clipboard.write').write(args.text, ctx.signal);
    return {};
  }

  async notify(args: OpArgs<'notify.send'>, ctx: AdapterCallContext): Promise<OpResult<'notify.send'>> {
    if (this.notifier) {
      try {
        await this.notifier.send(args.title, args.body, ctx.signal);
        return {};
      } catch (e) {
        if (FaygerError.is(e, 'ABORTED')) throw e;
        // The desktop notifier exists but failed (no notification daemon, say): the user still gets told.
      }
    }
    const ui = this.terminalUi;
    if (ui) ui.notify(args.title, args.body);
    else {
      const line = oneLine(`[${args.title}]${args.body ? ` ${args.body}` : ''}`);
      (this.opts.fallbackOutput ?? process.stderr).write(`\x07${line}\n`);
    }
    return {};
  }

  async openUrl(args: OpArgs<'url.open'>, ctx: AdapterCallContext): Promise<OpResult<'url.open'>> {
    const href = parseOpenableUrl(args.url);
    if (!this.urlOpener) {
      throw new FaygerError({
        code: 'ADAPTER_UNSUPPORTED_OP',
        phase: 'url.open',
        what: 'opening a URL',
        expected: 'a URL opener on this host (xdg-open, open, rundll32)',
        found: 'none',
        hint: 'Install xdg-utils, or treat the open-url capability as absent.',
      });
    }
    await this.urlOpener.open(href, ctx.signal);
    return {};
  }

  dispose(instanceId: string): void {
    this.emitters.delete(instanceId);
    this.interrupted.delete(instanceId);
    if (this.owner === instanceId) this.release();
  }

  close(): void {
    this.release();
    this.emitters.clear();
  }

  private release(): void {
    const wasActive = this.ui?.active === true;
    this.ui?.stop();
    this.ui = null;
    this.owner = null;
    if (wasActive) this.opts.onUiScreen?.(false);
  }

  private route(out: UiOutput): void {
    if (out.type === 'ui.event') {
      if (this.owner !== null) this.emitters.get(this.owner)?.({ type: 'ui.event', data: out.data });
      return;
    }
    // Ctrl-C: the user wants the app gone. Every instance with a UI hears it; the terminal is already restored.
    for (const [id, emit] of this.emitters) {
      this.interrupted.add(id);
      emit({ type: 'app.lifecycle', data: { state: 'terminating' } });
    }
    // The TerminalUi stopped itself after reporting Ctrl-C.
    this.ui = null;
    this.owner = null;
    this.opts.onUiScreen?.(false);
  }

  private needClipboard(phase: string): ClipboardBackend {
    if (this.clipboard) return this.clipboard;
    throw desktopError({
      code: 'DESKTOP_CLIPBOARD_UNAVAILABLE',
      phase,
      what: phase,
      expected: 'a clipboard tool for this session',
      found: 'none (the clipboard capability is not offered on this host)',
    });
  }
}

function noTerminal(found: string): FaygerError {
  return desktopError({
    code: 'DESKTOP_UI_NO_TERMINAL',
    phase: 'ui.render',
    what: 'rendering the UI',
    expected: 'an interactive terminal',
    found,
  });
}

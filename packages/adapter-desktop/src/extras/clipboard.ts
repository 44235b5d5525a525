import { FaygerError } from '@fayger/contracts';
import { findTool, runTool, type ToolEnv } from './os-tools.js';

/** A working pair of clipboard tools on this host. */
export interface ClipboardBackend {
  /** Which tool family, e.g. "wl-clipboard", "xclip", "xsel", "pbcopy", "clip.exe". */
  readonly name: string;
  read(signal?: AbortSignal): Promise<string>;
  write(text: string, signal?: AbortSignal): Promise<void>;
}

export interface ToolTimeouts {
  timeoutMs?: number;
}

const MAX_CLIPBOARD = 16 * 1024 * 1024;

interface BackendCodec {
  encode?: (text: string) => string | Uint8Array;
  decode?: (out: Buffer) => string;
  /** The tool's complaint when the clipboard holds no text: that is an empty read, not a failure. */
  empty?: RegExp;
}

function backend(
  name: string,
  readCmd: [string, string[]],
  writeCmd: [string, string[]],
  opts: ToolTimeouts,
  codec: BackendCodec = {},
): ClipboardBackend {
  const encode = codec.encode ?? ((t: string) => t);
  const decode = codec.decode ?? ((b: Buffer) => b.toString('utf8'));
  return {
    name,
    async read(signal) {
      try {
        const out = await runTool(readCmd[0], readCmd[1], {
          phase: 'clipboard.read',
          captureStdout: true,
          maxStdout: MAX_CLIPBOARD,
          timeoutMs: opts.timeoutMs,
          signal,
        });
        return decode(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
      } catch (e) {
        const stderr = FaygerError.is(e, 'DESKTOP_TOOL_FAILED') ? e.details.stderr : undefined;
        if (codec.empty && typeof stderr === 'string' && codec.empty.test(stderr)) return '';
        throw e;
      }
    },
    async write(text, signal) {
      await runTool(writeCmd[0], writeCmd[1], {
        phase: 'clipboard.write',
        input: encode(text),
        timeoutMs: opts.timeoutMs,
        signal,
      });
    },
  };
}

/** clip.exe reads its input in the console code page unless it starts with a UTF-16LE byte-order mark. */
function utf16leWithBom(text: string): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), body]);
}

/** PowerShell's Get-Clipboard ends its output with a newline of its own. */
function stripOneNewline(b: Buffer): string {
  return b.toString('utf8').replace(/\r?\n$/, '');
}

/**
 * The clipboard tools that will work in this session, or null (the clipboard capability is then not
 * offered). X11 and Wayland tools need their display server, so they count only when its variable is set.
 */
export function detectClipboard(te: ToolEnv, opts: ToolTimeouts = {}): ClipboardBackend | null {
  const t = (n: string) => findTool(n, te);
  if (te.platform === 'darwin') {
    const copy = t('pbcopy');
    const paste = t('pbpaste');
    if (copy && paste) return backend('pbcopy', [paste, []], [copy, []], opts);
  }
  if (te.platform === 'linux' || te.platform === 'freebsd' || te.platform === 'openbsd') {
    if (te.env.WAYLAND_DISPLAY) {
      const copy = t('wl-copy');
      const paste = t('wl-paste');
      if (copy && paste)
        return backend('wl-clipboard', [paste, ['--no-newline']], [copy, []], opts, {
          empty: /nothing is copied|no selection|no suitable type/i,
        });
    }
    if (te.env.DISPLAY) {
      const xclip = t('xclip');
      if (xclip) {
        return backend(
          'xclip',
          [xclip, ['-selection', 'clipboard', '-out']],
          [xclip, ['-selection', 'clipboard', '-in']],
          opts,
          {
            empty: /target \S+ not available/i,
          },
        );
      }
      const xsel = t('xsel');
      if (xsel) return backend('xsel', [xsel, ['--clipboard', '--output']], [xsel, ['--clipboard', '--input']], opts);
    }
  }
  // Windows, and WSL where the Windows tools are on the PATH.
  if (te.platform === 'win32' || te.platform === 'linux') {
    const clip = t('clip.exe') ?? (te.platform === 'win32' ? t('clip') : null);
    const ps = t('powershell.exe') ?? (te.platform === 'win32' ? t('powershell') : null);
    if (clip && ps) {
      return backend(
        'clip.exe',
        [
          ps,
          [
            '-NoProfile',
            '-NonInteractive',
            '-Command',
            '[Console]::OutputEncoding=[Text.Encoding]::UTF8; Get-Clipboard -Raw',
          ],
        ],
        [clip, []],
        opts,
        { encode: utf16leWithBom, decode: stripOneNewline },
      );
    }
  }
  return null;
}

import type { ToolTimeouts } from './clipboard.js';
import { findTool, runTool, type ToolEnv } from './os-tools.js';

/** A desktop notification tool. When there is none, the adapter shows a bell and a terminal status line. */
export interface Notifier {
  readonly name: string;
  send(title: string, body: string | undefined, signal?: AbortSignal): Promise<void>;
}

// AppleScript gets title and body as run-handler arguments, never spliced into the script text.
const OSASCRIPT = [
  '-e',
  'on run argv',
  '-e',
  'display notification (item 2 of argv) with title (item 1 of argv)',
  '-e',
  'end run',
];

/** The OS notifier for this session, or null. */
export function detectNotifier(te: ToolEnv, opts: ToolTimeouts = {}): Notifier | null {
  if (te.platform === 'darwin') {
    const osa = findTool('osascript', te);
    if (osa) {
      return {
        name: 'osascript',
        send: async (title, body, signal) => {
          await runTool(osa, [...OSASCRIPT, title, body ?? ''], {
            phase: 'notify.send',
            timeoutMs: opts.timeoutMs,
            signal,
          });
        },
      };
    }
    return null;
  }
  if (te.platform !== 'win32') {
    const ns = findTool('notify-send', te);
    // notify-send talks to the session bus; without one it can only fail.
    if (ns && (te.env.DBUS_SESSION_BUS_ADDRESS || te.env.DISPLAY || te.env.WAYLAND_DISPLAY)) {
      return {
        name: 'notify-send',
        send: async (title, body, signal) => {
          // "--" ends option parsing, so a title such as "-u critical" stays a title.
          await runTool(ns, ['--app-name=fayger', '--', title, ...(body ? [body] : [])], {
            phase: 'notify.send',
            timeoutMs: opts.timeoutMs,
            signal,
          });
        },
      };
    }
  }
  return null;
}

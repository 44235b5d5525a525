import type { PortLike } from '../../src/index.js';
import { createNativeShell, type NativeShell, type NativeShellOptions } from '../../simulator/native-shell.js';

/** A simulator on one end of a MessageChannel, the adapter's port on the other. */
export function shellOverPort(options: NativeShellOptions = {}): { shell: NativeShell; port: PortLike; close(): void } {
  const ch = new MessageChannel();
  const shell = createNativeShell(options);
  shell.attachToPort(ch.port2 as unknown as Parameters<NativeShell['attachToPort']>[0]);
  return {
    shell,
    port: ch.port1 as unknown as PortLike,
    close: () => {
      ch.port1.close();
      ch.port2.close();
    },
  };
}

/** A simulator installed as a fake WKWebView / Android / React Native bridge on a fresh fake window. */
export function shellOnWindow(
  kind: 'webkit' | 'android' | 'react-native',
  options: NativeShellOptions = {},
): { shell: NativeShell; win: Record<string, unknown> } {
  const win = (kind === 'react-native' ? new EventTarget() : {}) as Record<string, unknown>;
  if (kind === 'react-native') win.MessageEvent = MessageEvent;
  const shell = createNativeShell(options);
  shell.attachToWindow(win, kind);
  return { shell, win };
}

import { domPrompt } from './prompt-dialog.js';
import { nativePanelRenderer } from './native-ui.js';
import { createNativeShell, type NativeShell, type NativeShellOptions, type ShellTransport } from './native-shell.js';

export interface SimulatorPage {
  shell: NativeShell;
  transport: ShellTransport;
  /** The adapter's end when the transport is a MessagePort. */
  port?: MessagePort;
  /** Where the "native" UI panel and permission dialogs go. */
  chrome: HTMLElement;
  /** The WebView area the adapter renders into in 'dom' mode. */
  webview: HTMLElement;
}

const STYLE = `
.sim-frame{font:14px system-ui,sans-serif;display:flex;gap:16px;padding:12px}
.sim-phone{width:360px;min-height:560px;border:10px solid #222;border-radius:28px;padding:12px;background:#fff;position:relative}
.sim-status{font-size:12px;color:#555;border-bottom:1px solid #ddd;margin-bottom:8px;padding-bottom:4px}
.sim-native{width:300px;border:2px dashed #36c;padding:8px;background:#eef3ff}
.native-column,.native-list{display:flex;flex-direction:column;gap:4px}.native-row{display:flex;gap:4px}
.sim-native h3{margin:0 0 8px;font-size:13px;color:#36c}
.sim-permission{position:absolute;left:16px;right:16px;top:120px;background:#f7f7f7;border-radius:14px;box-shadow:0 6px 30px #0006;padding:12px}
.sim-permission h2{font-size:15px;margin:0 0 8px}
.sim-permission button{margin:2px}
`;

/**
 * Lays out the simulator page (a phone frame holding the WebView area, a panel for the "native" UI) and
 * installs the native shell on this window with the chosen transport.
 */
export function installSimulator(
  doc: Document,
  transport: ShellTransport,
  options: NativeShellOptions = {},
): SimulatorPage {
  const style = doc.createElement('style');
  style.textContent = STYLE;
  doc.head.appendChild(style);
  const frame = doc.createElement('div');
  frame.className = 'sim-frame';
  const phone = doc.createElement('div');
  phone.className = 'sim-phone';
  const status = doc.createElement('div');
  status.className = 'sim-status';
  status.textContent = `Fayger native-shell simulator · ${transport} bridge · WebAssembly ${typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'undefined' ? 'absent' : 'PRESENT'}`;
  const webview = doc.createElement('div');
  webview.id = 'webview';
  phone.append(status, webview);
  const nativePanel = doc.createElement('div');
  nativePanel.className = 'sim-native';
  const h = doc.createElement('h3');
  h.textContent = 'Native UI (host app widgets)';
  nativePanel.appendChild(h);
  frame.append(phone, nativePanel);
  doc.body.appendChild(frame);

  const shell = createNativeShell({
    prompt: domPrompt(doc, phone),
    renderUi: nativePanelRenderer(nativePanel),
    platform: { os: 'simulator', app: 'Fayger native-shell simulator', version: '1.0' },
    ...options,
  });
  const win = doc.defaultView as unknown as Record<string, unknown>;
  let port: MessagePort | undefined;
  if (transport === 'message-port') {
    const ch = new MessageChannel();
    shell.attachToPort(ch.port2);
    port = ch.port1;
  } else {
    shell.attachToWindow(win, transport);
  }
  return { shell, transport, chrome: phone, webview, ...(port ? { port } : {}) };
}

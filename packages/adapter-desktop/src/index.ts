// Public API of @fayger/adapter-desktop. Every export is listed by name (no `export *`).

export { desktopErrorCodes } from './errors.js';

export { TerminalUi, defaultCharset } from './ui/terminal-ui.js';
export type { TerminalUiOptions, TerminalInput, TerminalOutput, Charset } from './ui/terminal-ui.js';
export {
  createUiState,
  renderTree,
  clearTree,
  applyKey,
  inputValue,
  ROOT_NODE_ID,
  MAX_INPUT_LENGTH,
} from './ui/ui-state.js';
export type { UiState, UiKey, UiOutput, UiEventData, InputState, FocusTarget } from './ui/ui-state.js';
export { layoutUi, lineText, shareWidth, UNICODE_GLYPHS, ASCII_GLYPHS } from './ui/layout.js';
export type { LayoutResult, Line, Segment, SegmentStyle, Glyphs } from './ui/layout.js';
export { keyFromKeypress } from './ui/keys.js';
export type { KeypressInfo } from './ui/keys.js';

export { findTool, runTool, currentToolEnv } from './extras/os-tools.js';
export type { ToolEnv, RunToolOptions } from './extras/os-tools.js';
export { detectClipboard } from './extras/clipboard.js';
export type { ClipboardBackend, ToolTimeouts } from './extras/clipboard.js';
export { detectNotifier } from './extras/notify.js';
export type { Notifier } from './extras/notify.js';
export { detectUrlOpener, parseOpenableUrl } from './extras/open-url.js';
export type { UrlOpener } from './extras/open-url.js';

export { createDesktopAdapter, detectDesktop, desktopAdapterCandidate } from './desktop-adapter.js';
export type { DesktopAdapter, DesktopAdapterOptions, HostServices } from './desktop-adapter.js';
export { DesktopServices } from './desktop-services.js';
export type { DesktopServicesOptions, DesktopTerminal } from './desktop-services.js';
export { createDesktopHostServices, LogHold } from './desktop-host.js';
export type { DesktopHostOptions } from './desktop-host.js';

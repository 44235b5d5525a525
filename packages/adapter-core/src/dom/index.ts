// Public API of @fayger/adapter-core/dom: the DOM renderer the browser and in-app adapters share. It touches only
// the elements it is handed; nothing here reads DOM globals.
export { DomUi } from './dom-ui.js';
export type { DomUiOptions, UiEventData } from './dom-ui.js';
export { DomUiHost } from './dom-ui-host.js';
export type { DomUiHostOptions } from './dom-ui-host.js';

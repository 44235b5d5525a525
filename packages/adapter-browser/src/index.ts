// Public API of @fayger/adapter-browser. Every export is listed by name (no `export *`).

export { createBrowserAdapter } from './browser-adapter.js';
export type { BrowserAdapter, BrowserAdapterOptions, BrowserKvOptions, BrowserLogRecord, BrowserLogLevel } from './browser-adapter.js';
export type { BrowserHttpOptions } from './net/fetch-http.js';
export { parseOpenableUrl } from './extras/open-url.js';

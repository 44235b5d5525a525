// Public API of @fayger/adapter-browser. Every export is listed by name (no `export *`).

export { browserErrorCodes } from './errors.js';

export { createBrowserAdapter, detectBrowser, parseOpenableUrl } from './browser-adapter.js';
export type { BrowserAdapter, BrowserAdapterOptions, BrowserKvOptions } from './browser-adapter.js';
export type { BrowserHttpOptions } from './net/fetch-http.js';

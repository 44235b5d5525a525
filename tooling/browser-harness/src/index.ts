// Node-side API of the real-Chromium harness. The vitest project helper is at `@fayger/browser-harness/vitest`.
export { CHROMIUM_PATH, CHROMIUM_ARGS, CHROMIUM_MISSING_MESSAGE, chromiumAvailable } from './chromium.js';
export { launchChromium, withChromium } from './launch.js';
export type { ChromiumSession, PageRecord, WithChromiumOptions } from './launch.js';
export { startStaticServer } from './static-server.js';
export type { StaticServer, StaticServerOptions } from './static-server.js';
export { startHttpFixture } from './http-fixture.js';
export type { HttpFixture } from './http-fixture.js';
export { bundleForBrowser } from './bundle.js';
export type { BundleOptions } from './bundle.js';
export { runInPage } from './run-in-page.js';
export type { RunInPageOptions, RunInPageResult } from './run-in-page.js';

// Public API of @fayger/adapter-server. Every export is listed by name (no `export *`).

export { createServerAdapter, detectServer, serverAdapterCandidate } from './server-adapter.js';
export type { ServerAdapter, ServerAdapterOptions } from './server-adapter.js';

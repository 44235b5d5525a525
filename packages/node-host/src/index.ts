// Public API of @fayger/node-host. Every export is listed by name (no `export *`).

export { ConfinedFs, createConfinedFs, fsErrorFromErrno } from './confined-fs.js';
export type { FsMount, ConfinedFsOptions } from './confined-fs.js';
export { appStateDir, encodePathSegment } from './app-dirs.js';
export type { AppKey } from './app-dirs.js';
export { FileKv, createFileKv } from './kv-file.js';
export type { FileKvOptions } from './kv-file.js';
export { EnvSource } from './env.js';
export type { EnvSourceOptions } from './env.js';
// Timers are host-neutral and live in adapter-core; re-exported so Node adapters find every service here.
export { TimerService } from '@fayger/adapter-core';
export { HttpClient } from './net-http.js';
export type { HttpClientOptions } from './net-http.js';
export { HttpListenService } from './net-listen.js';
export type { HttpListenOptions } from './net-listen.js';
export { nodeHostOffers, nodeHostHandlers, disposeNodeHostInstance } from './node-ops.js';
export type { NodeHostServices } from './node-ops.js';

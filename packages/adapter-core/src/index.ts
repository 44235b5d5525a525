// Public API of @fayger/adapter-core. Every export is listed by name (no `export *`).

export { createInstructionBus, unwrapResult, withBusServedOffers } from './bus/bus.js';
export type { AdapterBus, InstructionBusOptions, BusDiagnostic } from './bus/bus.js';
export { DEFAULT_KV_NAMESPACE } from './bus/scope-check.js';
export { payloadBytes } from './bus/quota.js';

export { negotiate, assertRequiredGranted } from './negotiate/negotiate.js';
export type { NegotiateOptions } from './negotiate/negotiate.js';

export { createAdapterRegistry, globalAdapterRegistry, assertPlatformAdapter } from './registry.js';
export type { AdapterRegistry } from './registry.js';

export { probeHost, detectHostKind, selectAdapter, currentHostProbe } from './detect.js';
export type { HostFacts, SelectAdapterOptions } from './detect.js';

export { defineAdapter, createOpRouter } from './define.js';
export { TimerService } from './timers.js';
export type { OpHandler, OpHandlers } from './define.js';

export { normalizeGuestPath, tryNormalizeGuestPath, isPathWithin, findRoot } from './scope/paths.js';
export { parseOrigin, normalizeOrigin, originCovers, originOfUrl, isUrlAllowed } from './scope/origins.js';
export type { ParsedOrigin } from './scope/origins.js';
export { parseOpenableUrl } from './scope/openable-url.js';

export { createMemoryAdapter } from './memory/memory-adapter.js';
export type { MemoryAdapter, MemoryAdapterOptions, MemoryLogRecord } from './memory/memory-adapter.js';

// Public API of @fayger/runtime. Every export is listed by name (no `export *`).

export { createRuntime } from './runtime.js';
export { ImplementationRegistry } from './registry.js';
export type { RejectedCandidate, RouteResult } from './registry.js';
export { DEFAULT_LIMIT_ACTIONS, ALLOWED_LIMIT_ACTIONS, SOFT_LIMIT_RESOURCES, QUOTA_RESOURCE_OF } from './monitor.js';
export type { SoftAction } from './monitor.js';
export { FAYGER_STATUS, FAYGER_IMPORT_CAPABILITY, statusFor } from './abi/fayger.js';
export { DEFAULT_QUOTAS, DEFAULT_MAX_HOST_CALL_BYTES, effectiveQuotas, limitSources } from './limits.js';
export { ERRNO as WASI_ERRNO, errnoFor as wasiErrnoFor, WASI_SUBSET, WASI_IMPORT_CAPABILITIES } from './abi/wasi.js';
export type {
  Runtime,
  RuntimeOptions,
  RuntimeHostPolicy,
  RuntimeLimits,
  ResourceCaps,
  EffectiveLimits,
  LimitedResource,
  LimitAction,
  ImplementationRegistration,
  InstantiateOptions,
  LinkPolicy,
  BufInstance,
  ExitInfo,
  TransitionInfo,
} from './types.js';

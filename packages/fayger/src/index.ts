// Public API of fayger (browser-safe: no node: import). Node conveniences live in 'fayger/node'.

export { createFayger, createFaygerAsync } from './create-fayger.js';
export type {
  Fayger,
  FaygerOptions,
  AdapterChoice,
  AdapterCandidate,
  BufInput,
  LoadOptions,
  RunOptions,
  RunResult,
  RunHandle,
  StorageReport,
} from './create-fayger.js';
export type { FaygerTrust } from './trust.js';
export { engineImplementations, ENGINE_CHOICES, DEFAULT_ENGINE } from './engine.js';
export type { EngineChoice } from './engine.js';
export type { TrustedRootsInput, TrustedRootsDocument } from '@fayger/security';
export { buildHostPolicy, parseGrant, BASELINE_CAPABILITIES } from './policy.js';
export type { HostPolicyInput } from './policy.js';
export { withStdio } from './stdio-adapter.js';
export type { StdinReadiness, StdioStreams } from './stdio-adapter.js';
export { formatGrantReport, formatSelectionReport, formatLimits, formatStorage } from './explain.js';
export { DEFAULT_QUOTAS, DEFAULT_MAX_HOST_CALL_BYTES } from '@fayger/runtime';
export { isWasmModule, readModuleShape, manifestForModule, packModule, WASM_MAGIC } from './module.js';
export type { ModuleImport, ModuleShape, ModuleManifestOptions } from './module.js';

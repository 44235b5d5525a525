// Public API of @fayger/contracts. Every export is listed by name (no `export *`).

export { FaygerError, toFaygerError } from './errors/fayger-error.js';
export type { FaygerErrorInit, FaygerErrorData } from './errors/fayger-error.js';
export { errorCatalogue, isErrorCode } from './errors/catalogue/index.js';
export type { ErrorCode } from './errors/catalogue/index.js';
export type { Layer, ErrorCodeInfo } from './errors/types.js';

export { BUF_FORMAT_VERSION, RUNTIME_INTERFACE_VERSION, CONTRACTS_VERSION } from './versions.js';

export {
  LIFECYCLE_STATES,
  LIFECYCLE_TRANSITIONS,
  TERMINAL_STATES,
  canTransition,
  assertTransition,
} from './lifecycle.js';
export type { LifecycleState } from './lifecycle.js';

export {
  CAPABILITY_NAMES,
  isCapabilityName,
  CapabilityQuotaSchema,
  CapabilityScopeSchema,
  CapabilityRequestSchema,
} from './capabilities.js';
export type {
  CapabilityName,
  CapabilityQuota,
  CapabilityScope,
  CapabilityRequest,
  CapabilityOffer,
  CapabilityGrant,
  GrantReportEntry,
  GrantReport,
} from './capabilities.js';

export type {
  DigestAlgorithm,
  Hasher,
  DigestProvider,
  SignatureAlgorithm,
  SignatureRecord,
  Signer,
  SignatureCheckRequest,
  SignatureCheckResult,
  TrustVerifier,
  VersionStore,
} from './security.js';

export type {
  ExecutionFeature,
  RuntimeImplementationDescriptor,
  GuestValue,
  GuestValueType,
  GuestFunctionType,
  GuestExternKind,
  GuestImportDescriptor,
  GuestExportDescriptor,
  GuestMemory,
  HostCallContext,
  HostFunction,
  HostImports,
  InstantiateOptions,
  RunOptions,
  RunOutcome,
  GuestCall,
  GuestUsage,
  GuestInstance,
  CompiledCode,
  RuntimeImplementation,
} from './runtime-implementation.js';

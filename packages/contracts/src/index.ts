// Public API of @fayger/contracts. Every export is listed by name (no `export *`).

export { FaygerError, toFaygerError } from './errors/fayger-error.js';
export type { FaygerErrorInit, FaygerErrorData } from './errors/fayger-error.js';
export { errorCatalogue } from './errors/catalogue/index.js';
export type { BuiltinErrorCode } from './errors/catalogue/index.js';
export { isErrorCode, errorCodeInfo } from './errors/registry.js';
export { registerErrorCodes, RESERVED_ERROR_NAMESPACES } from './errors/register.js';
export type { RegisterErrorCodesOptions } from './errors/register.js';
export type { ErrorCode, RegisteredErrorCodes } from './errors/registry.js';
export { renderErrorCatalogue } from './errors/render.js';
export type { RenderCatalogueOptions } from './errors/render.js';
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
  VersionKey,
  VersionStore,
} from './security.js';

export {
  OP_CATALOGUE,
  OP_NAMES,
  OP_CAPABILITY,
  isOpName,
} from './instructions/catalogue.js';
export type { OpName, OpArgs, OpResult, OpDefinition, DispatchMode } from './instructions/catalogue.js';
export { INSTRUCTION_VERSION, UNIVERSAL_EVENT_TYPES } from './instructions/envelope.js';
export type {
  UniversalInstruction,
  UniversalResult,
  UniversalEvent,
  UniversalEventMap,
  UniversalEventType,
} from './instructions/envelope.js';
export { validateInstruction, validateResult, validateEvent, checkSchema } from './instructions/validate.js';
export type { CheckSchemaOptions } from './instructions/validate.js';
export { UiNodeSchema, UI_NODE_TYPES, MAX_UI_DEPTH, uiTreeDepth } from './instructions/ui.js';
export type { UiNode, UiNodeType, UiNodeStatic } from './instructions/ui.js';
export { MAX_STRING, MAX_BYTES } from './instructions/schema-helpers.js';

export {
  LOADER_PHASES,
  EVENT_LEVELS,
  QUOTA_RESOURCES,
  QUOTA_ACTIONS,
  EVENT_INFO,
  EVENT_NAMES,
  isEventName,
  noopSink,
  createEvent,
  emitEvent,
  levelAtLeast,
} from './events.js';
export type {
  LoaderPhase,
  EventLevel,
  QuotaResource,
  QuotaAction,
  EventError,
  LoadStartData,
  LoadEndData,
  LoadErrorData,
  LoaderPhaseStartData,
  LoaderPhaseEndData,
  LoaderPhaseErrorData,
  SectionReadData,
  SectionVerifiedData,
  LifecycleTransitionData,
  ImplementationSelectedData,
  QuotaWarningData,
  QuotaBreachData,
  InstructionDispatchedData,
  InstructionCompletedData,
  InstructionDeniedData,
  HostDetectedData,
  CapabilitiesNegotiatedData,
  HostEventData,
  HostErrorData,
  DigestVerifiedData,
  SignatureVerifiedData,
  SignatureRejectedData,
  SpanStartData,
  SpanEndData,
  SubscriberErrorData,
  RunEndedData,
  EventPayloads,
  EventName,
  EventInfo,
  FaygerEvent,
  AnyFaygerEvent,
  EventSink,
  EventMeta,
} from './events.js';

export { SPAN_EVENTS, newSpanId, openEventSpan } from './spans.js';
export type { SpanRef, EventSpan } from './spans.js';

export { HOST_KINDS, isHostKind } from './adapter.js';
export type {
  HostKind,
  WellKnownHostKind,
  NamespacedHostKind,
  HostProbe,
  HostEventInput,
  QuotaRemaining,
  AdapterCallContext,
  PlatformAdapter,
  HostPolicy,
  HostPolicyRule,
  HostPolicyDenial,
  InstanceBinding,
  UniversalEventListener,
  InstructionBus,
} from './adapter.js';

export {
  ManifestSchema,
  ManifestRuntimeSchema,
  ManifestEntrySchema,
  ManifestQuotasSchema,
  ManifestSecuritySchema,
  checkManifest,
} from './manifest.js';
export { QUOTA_KEYS, QUOTA_INFO, isQuotaKey } from './quotas.js';
export type { QuotaKey, QuotaValues } from './quotas.js';
export type { Manifest, ManifestRuntime, ManifestEntry, ManifestQuotas, ManifestSecurity } from './manifest.js';

export { parseSemVer, compareSemVer, parseSemVerRange, satisfies, maxSatisfying } from './semver.js';
export type { SemVer, SemVerRange } from './semver.js';

export type {
  BufSource,
  SectionKind,
  LoadProfile,
  LoadStrategy,
  SelectionReason,
  SelectionReportEntry,
  SelectionReport,
  BufHeaderInfo,
  SectionInfo,
  NegotiatedVersion,
  SignatureReport,
  LoaderPhaseName,
  LoadTrust,
  LoadOptions,
  LoadedBuf,
} from './loader.js';

export type { CapabilityUsage, ResourceUsage } from './runtime.js';

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
  ImplementationVerdict,
} from './runtime-implementation.js';
export type {
  EngineSnapshot,
  InstanceSnapshot,
  SnapshotCallInfo,
  SnapshotMemory,
  SnapshotResource,
} from './snapshot.js';
export { ENGINE_NEUTRAL_STATE_VERSION } from './snapshot.js';

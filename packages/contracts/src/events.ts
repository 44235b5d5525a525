/**
 * The event model: every observable thing a Fayger layer reports, as plain serialisable data.
 *
 * Layers publish through the `EventSink` port only; they never import an observability implementation
 * (architecture §2.3: cross-cutting packages reach in through the event bus, the layers do not depend on them).
 * `@fayger/observability` implements the port (bus, sinks, metrics, spans).
 */
import type { CapabilityName } from './capabilities.js';
import type { FaygerErrorData } from './errors/fayger-error.js';
import type { Layer } from './errors/types.js';
import type { DispatchMode } from './instructions/catalogue.js';
import type { UniversalEventType } from './instructions/envelope.js';
import type { LifecycleState } from './lifecycle.js';
import type { HostKind } from './adapter.js';
import type { ResourceUsage } from './runtime.js';

/** Loader sub-phases in pipeline order (architecture §2.4). `read-bodies` runs only under the Eager strategy. */
export const LOADER_PHASES = [
  'read',
  'parse',
  'verify-structure',
  'verify-digest',
  'verify-signature',
  'negotiate-version',
  'select',
  'resolve-dependencies',
  'read-bodies',
  'hand-off',
] as const;
export type LoaderPhase = (typeof LOADER_PHASES)[number];

/** Severity, lowest first. Sinks filter on it (`level >= minLevel` by index in this list). */
export const EVENT_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/**
 * Resources a quota can bound. Per-capability quotas (calls, bytes, rate of one capability) also name the
 * capability in the payload.
 */
export const QUOTA_RESOURCES = [
  'memory',
  'fuel',
  'wall-time',
  'stack-depth',
  'calls',
  'bytes',
  'rate',
  'instances',
  'table-elements',
  'output',
] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** What the resource monitor does when a quota is exceeded. */
export const QUOTA_ACTIONS = ['throttle', 'suspend', 'fail'] as const;
export type QuotaAction = (typeof QUOTA_ACTIONS)[number];

/** An error in an event payload: a FaygerError's plain data, or name + message for a foreign throw. */
export type EventError = FaygerErrorData | { name: string; message: string; code?: string };

// ---------------------------------------------------------------------------------------------- loader

export interface LoadStartData {
  /** Human description of the BuF_Source (path, URL, "memory"): never credentials. */
  source: string;
  strategy: 'eager' | 'lazy';
}
export interface LoadEndData {
  source: string;
  strategy: 'eager' | 'lazy';
  /** Manifest id, when the load got far enough to know it. */
  artifactId?: string;
  durationMs: number;
  bytesRead: number;
  sectionsSelected: number;
  sectionsSkipped: number;
  /** Manifest version and publisher of the loaded artifact. */
  version?: string;
  publisher?: string;
  /** Trusted key ids whose signatures verified (empty when unsigned and allowed). */
  keyIds?: string[];
  /** Names of the selected sections, in load order. */
  sections?: string[];
}
export interface LoadErrorData {
  source: string;
  /** The phase that failed. */
  phase: LoaderPhase;
  durationMs: number;
  error: EventError;
}
export interface LoaderPhaseStartData {
  phase: LoaderPhase;
}
export interface LoaderPhaseEndData {
  phase: LoaderPhase;
  durationMs: number;
  /** Bytes read from the source during the phase, where it reads. */
  bytes?: number;
  /** Phase-specific counts (sections selected, dependencies resolved…). */
  detail?: Record<string, number | string | boolean>;
}
export interface LoaderPhaseErrorData {
  phase: LoaderPhase;
  durationMs: number;
  error: EventError;
}
/** A section body read on first access under the Lazy strategy. */
export interface SectionReadData {
  sectionId: string;
  name?: string;
  /** Stored bytes fetched (0 when the read joined a fetch already in flight). */
  bytes: number;
  durationMs: number;
  /** True when a concurrent first read shared one fetch instead of issuing its own. */
  shared: boolean;
}
/** A lazily read section body checked against its index digest. */
export interface SectionVerifiedData {
  sectionId: string;
  name?: string;
  algorithm: string;
  bytes: number;
  durationMs: number;
  ok: boolean;
  /** Set when only a chunk of the section was read and verified by its chunk digest. */
  chunk?: number;
}

// --------------------------------------------------------------------------------------------- runtime

export interface LifecycleTransitionData {
  from: LifecycleState;
  to: LifecycleState;
  /** Why: "load", "start", "quota:fuel", "guest-trap", "host-terminate"… */
  cause: string;
  error?: EventError;
  /** Resource usage at the transition, set when `to` is a terminal state (Terminated, Failed). */
  usage?: ResourceUsage;
}
export interface ImplementationSelectedData {
  implementation: string;
  /** The manifest policy or fallback that chose it. */
  reason: string;
}
export interface QuotaWarningData {
  resource: QuotaResource;
  capability?: CapabilityName;
  used: number;
  limit: number;
  /** used / limit at the time of the warning (e.g. 0.8). */
  ratio: number;
}
export interface QuotaBreachData {
  resource: QuotaResource;
  capability?: CapabilityName;
  used: number;
  limit: number;
  action: QuotaAction;
}

// --------------------------------------------------------------------------------- instructions (bus)

// `op` is a plain string: a denied instruction may name an op outside the catalogue.
export interface InstructionDispatchedData {
  op: string;
  capability: CapabilityName | null;
  instanceId: string;
  /** The Universal_Instruction id; the completed/denied event carries the same value. */
  correlationId: string;
  mode: DispatchMode;
}
export interface InstructionCompletedData {
  op: string;
  capability: CapabilityName | null;
  instanceId: string;
  correlationId: string;
  durationMs: number;
  ok: boolean;
  /** Error code when `ok` is false (the op ran and failed, e.g. FS not found). */
  errorCode?: string;
}
export interface InstructionDeniedData {
  op: string;
  capability: CapabilityName | null;
  instanceId: string;
  correlationId: string;
  /** Denial code (capability not granted, scope violation, quota). */
  code: string;
  reason: string;
}

// --------------------------------------------------------------------------------------------- adapter

export interface HostDetectedData {
  host: HostKind;
  adapter: string;
  /** True when the embedder forced the adapter instead of detection choosing it. */
  forced: boolean;
  reason: string;
}
export interface CapabilitiesNegotiatedData {
  adapter: string;
  granted: string[];
  missingRequired: string[];
  absentOptional: string[];
}
/** A host event normalised into a Universal_Event and routed (or dropped) toward an instance. */
export interface HostEventData {
  adapter: string;
  /** Universal_Event type; third-party adapters may report types outside the v1 list. */
  type: UniversalEventType | (string & {});
  delivered: boolean;
  /** Why the event was dropped, when `delivered` is false. */
  reason?: string;
}
export interface HostErrorData {
  adapter: string;
  /** The host operation that failed, e.g. "fs.read", "bridge.postMessage". */
  operation: string;
  error: EventError;
}

// -------------------------------------------------------------------------------------------- security

export interface DigestVerifiedData {
  target: 'root' | 'header' | 'manifest' | 'index' | 'section';
  sectionId?: string;
  algorithm: string;
  /** Digest provider that ran ("node:crypto", "webcrypto", "noble"). */
  provider: string;
  bytes: number;
  durationMs: number;
  ok: boolean;
}
export interface SignatureVerifiedData {
  artifactId: string;
  publisher: string;
  sequence: number;
  verifiedKeyIds: string[];
  threshold: number;
  unsigned: boolean;
  previousSequence?: number;
  durationMs: number;
}
export interface SignatureRejectedData {
  artifactId: string;
  publisher: string;
  /** SECURITY_* error code. */
  code: string;
  reason: string;
  durationMs: number;
}

// ------------------------------------------------------------------------------- observability & spans

export interface SpanStartData {
  name: string;
  attributes?: Record<string, string | number | boolean>;
}
export interface SpanEndData {
  name: string;
  durationMs: number;
  status: 'ok' | 'error';
  error?: EventError;
  attributes?: Record<string, string | number | boolean>;
}
/** A subscriber threw while handling an event; the bus caught it and carried on. */
export interface SubscriberErrorData {
  /** The event the subscriber was handling. */
  eventName: string;
  /** The subscriber's label, if it was given one. */
  subscriber?: string;
  error: EventError;
}

/** How a `fayger run` ended, and who ended it (the last event of a run). */
export interface RunEndedData {
  /** 'guest': it exited (proc_exit, fayger.exit, entry result) or trapped; 'fayger': a Fayger failure or stop. */
  endedBy: 'guest' | 'fayger';
  /** The process exit code `fayger run` returns. */
  exitCode: number;
  /** The guest's own exit code, untruncated (may lie outside 0–255), when it exited. */
  guestExitCode?: number;
  /** The trap (endedBy guest) or the Fayger error (endedBy fayger) that ended the run. */
  error?: EventError;
}

/**
 * Event name → payload. The single source of truth for event names: `EVENT_INFO` must list exactly these
 * keys (checked by `satisfies`), and `EVENT_NAMES` is derived from it.
 */
export interface EventPayloads {
  'loader.load.start': LoadStartData;
  'loader.load.end': LoadEndData;
  'loader.load.error': LoadErrorData;
  'loader.phase.start': LoaderPhaseStartData;
  'loader.phase.end': LoaderPhaseEndData;
  'loader.phase.error': LoaderPhaseErrorData;
  'loader.section.read': SectionReadData;
  'loader.section.verified': SectionVerifiedData;
  'runtime.lifecycle.transition': LifecycleTransitionData;
  'runtime.implementation.selected': ImplementationSelectedData;
  'runtime.quota.warning': QuotaWarningData;
  'runtime.quota.breach': QuotaBreachData;
  'instruction.dispatched': InstructionDispatchedData;
  'instruction.completed': InstructionCompletedData;
  'instruction.denied': InstructionDeniedData;
  'adapter.host.detected': HostDetectedData;
  'adapter.capabilities.negotiated': CapabilitiesNegotiatedData;
  'adapter.host.event': HostEventData;
  'adapter.host.error': HostErrorData;
  'security.digest.verified': DigestVerifiedData;
  'security.signature.verified': SignatureVerifiedData;
  'security.signature.rejected': SignatureRejectedData;
  'span.start': SpanStartData;
  'span.end': SpanEndData;
  'observability.subscriber.error': SubscriberErrorData;
  'cli.run.ended': RunEndedData;
}
export type EventName = keyof EventPayloads;

/** Static facts about an event name: its usual layer and default level, and what it means. */
export interface EventInfo {
  /** The layer that normally emits it ("span.*" events take the layer of whoever opened the span). */
  readonly layer: Layer;
  readonly level: EventLevel;
  readonly title: string;
}

export const EVENT_INFO = {
  'loader.load.start': { layer: 'loader', level: 'info', title: 'A load of one BuF artifact began.' },
  'loader.load.end': { layer: 'loader', level: 'info', title: 'A load finished and the artifact was handed off.' },
  'loader.load.error': { layer: 'loader', level: 'error', title: 'A load failed; the payload names the phase.' },
  'loader.phase.start': { layer: 'loader', level: 'debug', title: 'A loader sub-phase began.' },
  'loader.phase.end': { layer: 'loader', level: 'debug', title: 'A loader sub-phase finished, with its duration.' },
  'loader.phase.error': {
    layer: 'loader',
    level: 'error',
    title: 'A loader sub-phase failed with a phase-tagged error.',
  },
  'loader.section.read': { layer: 'loader', level: 'debug', title: 'A section body was read on first access (Lazy).' },
  'loader.section.verified': {
    layer: 'loader',
    level: 'debug',
    title: 'A lazily read section body was checked against its digest.',
  },
  'runtime.lifecycle.transition': {
    layer: 'runtime',
    level: 'info',
    title: 'An instance moved between lifecycle states.',
  },
  'runtime.implementation.selected': {
    layer: 'runtime',
    level: 'info',
    title: 'The router chose a Runtime_Implementation.',
  },
  'runtime.quota.warning': { layer: 'runtime', level: 'warn', title: 'An instance is close to a quota limit.' },
  'runtime.quota.breach': {
    layer: 'runtime',
    level: 'error',
    title: 'An instance exceeded a quota; the payload says what was done.',
  },
  'instruction.dispatched': { layer: 'runtime', level: 'debug', title: 'A Universal_Instruction was put on the bus.' },
  'instruction.completed': { layer: 'runtime', level: 'debug', title: 'A Universal_Instruction returned a result.' },
  'instruction.denied': {
    layer: 'runtime',
    level: 'warn',
    title: 'A Universal_Instruction was refused (capability, scope or quota).',
  },
  'adapter.host.detected': {
    layer: 'adapter',
    level: 'info',
    title: 'A Platform_Adapter was chosen for the current host.',
  },
  'adapter.capabilities.negotiated': {
    layer: 'adapter',
    level: 'info',
    title: 'Capability negotiation produced a grant report.',
  },
  'adapter.host.event': {
    layer: 'adapter',
    level: 'debug',
    title: 'A host event was normalised into a Universal_Event.',
  },
  'adapter.host.error': { layer: 'adapter', level: 'error', title: 'A host call or bridge failed inside an adapter.' },
  'security.digest.verified': { layer: 'security', level: 'debug', title: 'A digest was computed and compared.' },
  'security.signature.verified': {
    layer: 'security',
    level: 'info',
    title: 'Signature verification met the trust policy.',
  },
  'security.signature.rejected': {
    layer: 'security',
    level: 'error',
    title: 'Signature verification failed the trust policy.',
  },
  'span.start': { layer: 'observability', level: 'debug', title: 'A timed span began.' },
  'span.end': { layer: 'observability', level: 'debug', title: 'A timed span ended, with its duration.' },
  'observability.subscriber.error': {
    layer: 'observability',
    level: 'error',
    title: 'An event subscriber threw; the event reached the others.',
  },
  'cli.run.ended': {
    layer: 'cli',
    level: 'info',
    title: 'A `fayger run` ended: whether the guest or Fayger ended it, with the exit code.',
  },
} as const satisfies { readonly [N in EventName]: EventInfo };

/** Every event name, as data (order of `EVENT_INFO`). */
export const EVENT_NAMES = Object.freeze(Object.keys(EVENT_INFO)) as readonly EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENT_INFO, name);
}

/** The envelope every event travels in. */
export interface FaygerEvent<N extends EventName = EventName> {
  readonly name: N;
  readonly layer: Layer;
  /** Loader phase, interpreter stage or op family the event belongs to, for filtering. */
  readonly phase?: string;
  /** Wall-clock time in milliseconds since the Unix epoch (durations use a monotonic clock instead). */
  readonly time: number;
  readonly spanId?: string;
  readonly parentSpanId?: string;
  readonly instanceId?: string;
  readonly level: EventLevel;
  readonly data: EventPayloads[N];
}

/** Any event, discriminated on `name` (narrowing `e.name` narrows `e.data`). */
export type AnyFaygerEvent = { [N in EventName]: FaygerEvent<N> }[EventName];

/**
 * The port layers publish through. Implementations must not throw from `emit` and should return quickly.
 * `wants` lets an emitter skip building a costly payload when nobody listens; when absent, assume true.
 */
export interface EventSink {
  emit(event: AnyFaygerEvent): void;
  wants?(name: EventName): boolean;
}

/** A sink that drops everything: the default when the embedder wires no observability. */
export const noopSink: EventSink = Object.freeze({
  emit(): void {},
  wants(): boolean {
    return false;
  },
});

/** Envelope fields an emitter may set; the rest come from `EVENT_INFO` and the clock. */
export interface EventMeta {
  layer?: Layer;
  level?: EventLevel;
  phase?: string;
  time?: number;
  spanId?: string;
  parentSpanId?: string;
  instanceId?: string;
}

/** Builds an envelope with the name's default layer and level and the current time. */
export function createEvent<N extends EventName>(name: N, data: EventPayloads[N], meta?: EventMeta): FaygerEvent<N> {
  const info: EventInfo = EVENT_INFO[name];
  const event: {
    -readonly [K in keyof FaygerEvent<N>]: FaygerEvent<N>[K];
  } = {
    name,
    layer: meta?.layer ?? info.layer,
    time: meta?.time ?? Date.now(),
    level: meta?.level ?? info.level,
    data,
  };
  // Optional fields are only set when present so serialised events stay small and stable.
  if (meta?.phase !== undefined) event.phase = meta.phase;
  if (meta?.spanId !== undefined) event.spanId = meta.spanId;
  if (meta?.parentSpanId !== undefined) event.parentSpanId = meta.parentSpanId;
  if (meta?.instanceId !== undefined) event.instanceId = meta.instanceId;
  return event;
}

/**
 * Emits through any sink, skipping the envelope when the sink says it does not want the name. For layers
 * that hold only the port; on a hot path check `sink.wants?.(name) !== false` before building `data` too.
 */
export function emitEvent<N extends EventName>(
  sink: EventSink,
  name: N,
  data: EventPayloads[N],
  meta?: EventMeta,
): void {
  if (sink.wants?.(name) === false) return;
  sink.emit(createEvent(name, data, meta) as unknown as AnyFaygerEvent);
}

/** Compares levels: true when `level` is at least `min`. */
export function levelAtLeast(level: EventLevel, min: EventLevel): boolean {
  return EVENT_LEVELS.indexOf(level) >= EVENT_LEVELS.indexOf(min);
}

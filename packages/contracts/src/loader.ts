import type { Manifest } from './manifest.js';
import type { DigestProvider, SignatureCheckResult, TrustVerifier } from './security.js';
import type { EventSink } from './events.js';

/**
 * Loader contracts: the BufSource port, load options, and the LoadedBuf hand-off object the runtime
 * consumes. Byte layout: docs/spec/buf-v1.md.
 */

/**
 * Where BuF bytes come from. Implement these three methods to plug in any backend (object storage,
 * IPFS, a native bridge...). Reads are positional and may run concurrently.
 */
export interface BufSource {
  /** Total size in bytes. Constant for the life of the source; a source that notices a change throws. */
  size(signal?: AbortSignal): Promise<number>;
  /**
   * Exactly `length` bytes starting at `offset`. The loader only asks for ranges inside `[0, size())`.
   * Must throw (a FaygerError, ideally LOADER_SOURCE_*) rather than return fewer or more bytes.
   */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** Human-readable description for errors and events (a path, a URL...). */
  describe(): string;
}

/** Section kinds (index `kind` byte). */
export type SectionKind = 'code' | 'data' | 'assets' | 'signature' | 'custom';

/** What the caller has and wants: drives section selection. */
export interface LoadProfile {
  /** Which host is loading ('server' | 'desktop' | 'browser' | 'in-app' or a third-party kind); matches a section's `hosts`. */
  host: string;
  /** Capability names the host can provide (informational for selection; grants are computed later). */
  capabilities?: readonly string[];
  /** Host / implementation features (e.g. "simd", "wasm", "dom"); a section requiring a missing one is skipped. */
  features?: readonly string[];
  /** Preferred locales (BCP 47), most preferred first. A section with locales matches if any intersects. */
  locales?: readonly string[];
  /** Upper bound on the sum of selected section sizes (raw bytes). Absent: unlimited. */
  byteBudget?: number;
  /** Per-section-name priority overrides (higher loads first when the budget is tight). */
  priorities?: Readonly<Record<string, number>>;
}

export type LoadStrategy = 'eager' | 'lazy';

/** Why a section was or was not selected. */
export type SelectionReason =
  | 'required'
  | 'entry'
  | 'selected'
  | 'dependency'
  | 'host-mismatch'
  | 'feature-missing'
  | 'locale-mismatch'
  | 'over-budget';

export interface SelectionReportEntry {
  id: number;
  name: string;
  kind: SectionKind;
  /** Raw size of the section body. */
  size: number;
  priority: number;
  included: boolean;
  reason: SelectionReason;
  /** Human-readable detail (which feature was missing, which section depended on it...). */
  detail: string;
}

export interface SelectionReport {
  entries: SelectionReportEntry[];
  /** Sum of `size` over included sections. */
  includedBytes: number;
  byteBudget?: number;
  /** Included section ids in load order (dependencies first). */
  loadOrder: number[];
}

/** Format facts from the header. */
export interface BufHeaderInfo {
  formatMajor: number;
  formatMinor: number;
  criticalFlags: number;
  optionalFlags: number;
  digestAlgorithm: 'sha256';
  alignment: number;
  totalLength: number;
  manifestOffset: number;
  manifestLength: number;
  indexOffset: number;
  indexLength: number;
}

/** One index entry as the runtime sees it. */
export interface SectionInfo {
  id: number;
  kind: SectionKind;
  name: string;
  required: boolean;
  hosts: readonly string[];
  features: readonly string[];
  locales: readonly string[];
  priority: number;
  dependsOn: readonly number[];
  offset: number;
  storedLength: number;
  rawLength: number;
  digest: Uint8Array;
  /** Chunk size in bytes when the section carries per-chunk digests; 0 otherwise. */
  chunkSize: number;
  /** Informational flag bits 8–15 (shifted down to 0..255); readers ignore them, repackers keep them. */
  infoFlags: number;
}

export interface NegotiatedVersion {
  format: { major: number; minor: number };
  /** The Runtime_Interface version chosen (highest supported version satisfying the manifest range). */
  runtimeInterface: string;
  /** The manifest's range, for reports. */
  requestedRange: string;
}

export interface SignatureReport {
  /** Number of signatures in the signature section (0: unsigned artifact). */
  signatureCount: number;
  /** Key ids in the signature section. */
  keyIds: string[];
  /** The root digest the signatures cover. */
  rootDigest: Uint8Array;
  /** The trust verifier's answer (or an unsigned marker when the caller allowed unsigned loads). */
  result: SignatureCheckResult;
}

/** Loader phases in pipeline order, plus 'section-read' for lazy first reads after hand-off. */
export type LoaderPhaseName =
  | 'read'
  | 'parse'
  | 'verify-structure'
  | 'verify-digest'
  | 'verify-signature'
  | 'negotiate-version'
  | 'select'
  | 'resolve-dependencies'
  | 'read-bodies'
  | 'hand-off'
  | 'section-read';

/** Trust options: a verifier, or an explicit opt-out that only accepts what it cannot check. */
export type LoadTrust = TrustVerifier | { allowUnsigned: true };

export interface LoadOptions {
  trust: LoadTrust;
  digest: DigestProvider;
  profile: LoadProfile;
  /** Default 'lazy'. */
  strategy?: LoadStrategy;
  /** Runtime_Interface versions the caller implements (exact semver versions). */
  supportedInterfaceVersions: readonly string[];
  /** Where the loader publishes its events (contract names: loader.load.*, loader.phase.*, loader.section.read). */
  events?: EventSink;
  signal?: AbortSignal;
  /** Evaluation time passed to the trust verifier (tests); default now. */
  now?: Date;
}

/**
 * The hand-off object. It owns its source; the loader keeps no reference after returning it.
 * Bytes returned by `section()` are verified and shared between callers: treat them as read-only.
 */
export interface LoadedBuf {
  readonly header: BufHeaderInfo;
  readonly manifest: Manifest;
  /** Exact manifest bytes (canonical JSON) as stored. */
  readonly manifestBytes: Uint8Array;
  readonly version: NegotiatedVersion;
  readonly sections: readonly SectionInfo[];
  readonly selection: SelectionReport;
  readonly signature: SignatureReport;
  readonly strategy: LoadStrategy;
  /** True when the section is selected (only selected sections can be read). */
  has(nameOrId: string | number): boolean;
  /** Verified body of a selected section. Lazy: read and verified on first access; concurrent calls share one read. */
  section(nameOrId: string | number, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * A verified slice of a selected section. Chunked sections read and verify only the chunks covering the
   * range; other sections are read (and verified) whole.
   */
  sectionRange(nameOrId: string | number, offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
}

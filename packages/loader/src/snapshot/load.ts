import {
  FaygerError,
  errorCodeInfo,
  type BufSource,
  type DigestProvider,
  type InstanceSnapshot,
  type LoadTrust,
  type SignatureCheckResult,
  type SnapshotMemory,
  type TrustVerifier,
} from '@fayger/contracts';
import { bytesEqual, hex } from '../errors.js';
import { canonicalJson } from '../format/canonical-json.js';
import {
  CRITICAL_FLAG_SNAPSHOT,
  FLAG_REQUIRED,
  HEADER_LENGTH,
  MAGIC,
  MAX_SIGNATURE_SECTION_LENGTH,
  SIGNATURE_SECTION_NAME,
  SNAPSHOT_ROOT_DOMAIN,
  align,
} from '../format/constants.js';
import { decodeHeader, decodeHeaderPrefix } from '../format/header.js';
import { decodeIndex, type IndexEntry } from '../format/index-codec.js';
import { computeRootDigest } from '../format/root-digest.js';
import { decodeSignatureSection } from '../format/signature-section.js';
import { hashBytes } from '../hash.js';
import { readExact } from '../phases/context.js';
import { isAllowUnsigned } from '../phases/verify-signature.js';
import { checkZero } from '../phases/verify-structure.js';
import { MemorySource } from '../sources/memory-source.js';
import { memorySectionName, STATE_SECTION } from './encode.js';
import { decodeMemoryHead, expandMemory, PAGE_SIZE, type MemoryHead } from './memory.js';
import { checkMetadata, FieldError, malformed, MAX_MEMORIES, type SnapshotMetadata } from './metadata.js';

/** Default cap on the memory a snapshot may make the reader allocate: 1 GiB over all memories (16,384 pages). */
export const DEFAULT_MAX_MEMORY_PAGES = 16_384;

export interface LoadSnapshotOptions {
  /**
   * Trusted roots, as loadBuf takes them: a TrustVerifier (`createTrustVerifier` of @fayger/security) that trusts
   * the snapshotting host key, or `{ allowUnsigned: true }` to skip signature checks (development only).
   */
  trust: LoadTrust;
  digest: DigestProvider;
  /** Cap on the pages of all memories together (allocated on load). Default 16,384 (1 GiB). */
  maxMemoryPages?: number;
  signal?: AbortSignal;
  /** Evaluation time for the trust verifier (key validity windows); default now. */
  now?: Date;
}

/** A verified snapshot and what is known about the artifact itself (`fayger inspect`). */
export interface LoadedSnapshot {
  readonly snapshot: InstanceSnapshot;
  /** Key ids of every signature record (verified or not, when `allowUnsigned` skipped the check). */
  readonly keyIds: readonly string[];
  /** Key ids the trust verifier accepted; empty when unsigned or unchecked. */
  readonly verifiedKeyIds: readonly string[];
  /** True when the signatures were checked against trusted roots and met the policy. */
  readonly verified: boolean;
  readonly rootDigest: string;
  readonly totalLength: number;
  readonly stateLength: number;
  readonly memories: readonly { pages: number; storedPages: number; sectionLength: number }[];
}

const PHASE = 'snapshot-load';

/** Publisher and id prefix under which snapshot host keys are trusted (docs/spec/snapshot-v1.md §6). */
export const SNAPSHOT_PUBLISHER = 'fayger.snapshot';

function bad(what: string, expected: string, found: string, details: Record<string, unknown> = {}): never {
  throw new FaygerError({ code: 'SNAPSHOT_MALFORMED', phase: PHASE, what, expected, found, details });
}

/** LOADER_* from the shared container codecs become SNAPSHOT_* (the precise code stays in details.loaderCode). */
function translate(err: unknown): unknown {
  if (!FaygerError.is(err)) {
    return new FaygerError({
      code: 'INTERNAL',
      phase: PHASE,
      what: 'loading a snapshot',
      found: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      cause: err,
    });
  }
  const code = err.code;
  if (!code.startsWith('LOADER_') && !code.startsWith('SECURITY_')) return err;
  if (code === 'LOADER_SOURCE_IO' || code === 'LOADER_SOURCE_SHORT_READ' || code === 'LOADER_RANGE_INVALID') return err;
  const mapped = code.startsWith('SECURITY_')
    ? 'SNAPSHOT_UNTRUSTED'
    : code === 'LOADER_SECTION_DIGEST_MISMATCH' || code === 'LOADER_ROOT_DIGEST_MISMATCH'
      ? 'SNAPSHOT_DIGEST_MISMATCH'
      : 'SNAPSHOT_MALFORMED';
  // Keep the precise account (what, expected, found) and put the snapshot remedy after it.
  const origRemedy = errorCodeInfo(code)?.remedy ?? '';
  const body =
    origRemedy && err.message.endsWith(origRemedy) ? err.message.slice(0, -origRemedy.length).trim() : err.message;
  const remedy = code === 'LOADER_ARTIFACT_KIND' ? origRemedy : (errorCodeInfo(mapped)?.remedy ?? '');
  return new FaygerError({
    code: mapped,
    phase: PHASE,
    message: `${body.replace('the BuF header', 'the snapshot header')} ${remedy}`.trim(),
    details: { ...err.details, [code.startsWith('SECURITY_') ? 'securityCode' : 'loaderCode']: code },
    cause: err,
  });
}

/**
 * Reads, verifies and decodes a snapshot v1 artifact: header (snapshot flag), metadata, index, section digests,
 * root digest, signatures against trusted roots, then every field. Fails with SNAPSHOT_MALFORMED,
 * SNAPSHOT_DIGEST_MISMATCH or SNAPSHOT_UNTRUSTED (never a crash); nothing is allocated from a count or length the
 * file claims before that claim is checked against the file size or a cap.
 */
export async function openSnapshot(
  input: Uint8Array | BufSource,
  options: LoadSnapshotOptions,
): Promise<LoadedSnapshot> {
  const source: BufSource = input instanceof Uint8Array ? new MemorySource(input, 'snapshot') : input;
  if (!source || typeof source.read !== 'function' || typeof source.size !== 'function') {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'calling loadSnapshot',
      expected: 'the snapshot bytes or a BufSource',
      found: typeof input,
    });
  }
  if (!options?.digest) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'calling loadSnapshot',
      expected: 'options.digest (a DigestProvider)',
      found: 'none',
    });
  }
  const trust = options.trust;
  const allowUnsigned = isAllowUnsigned(trust);
  if (!allowUnsigned && typeof (trust as TrustVerifier | undefined)?.verify !== 'function') {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'reading loadSnapshot options.trust',
      expected: 'a TrustVerifier trusting the snapshotting host key, or { allowUnsigned: true }',
      found: typeof trust,
    });
  }
  const maxPages = options.maxMemoryPages ?? DEFAULT_MAX_MEMORY_PAGES;
  if (!Number.isSafeInteger(maxPages) || maxPages < 0) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'reading loadSnapshot options.maxMemoryPages',
      expected: 'a non-negative integer',
      found: String(maxPages),
    });
  }
  try {
    return await load(source, options, allowUnsigned, maxPages);
  } catch (err) {
    throw translate(err);
  }
}

/** Verifies and decodes a snapshot (see openSnapshot); returns the InstanceSnapshot only. */
export async function loadSnapshot(
  input: Uint8Array | BufSource,
  options: LoadSnapshotOptions,
): Promise<InstanceSnapshot> {
  return (await openSnapshot(input, options)).snapshot;
}

async function load(
  source: BufSource,
  options: LoadSnapshotOptions,
  allowUnsigned: boolean,
  maxPages: number,
): Promise<LoadedSnapshot> {
  const signal = options.signal;
  const size = await source.size(signal);
  if (!Number.isSafeInteger(size) || size < 0) bad('getting the snapshot size', 'a non-negative integer', String(size));
  if (size < HEADER_LENGTH) {
    const head = await readExact(source, size, 0, size, 'read', 'reading the snapshot header', signal);
    const magicOk = head.subarray(0, MAGIC.length).every((b, i) => b === MAGIC[i]);
    bad(
      'reading the snapshot header',
      `at least ${HEADER_LENGTH} bytes starting with the BuF magic`,
      `${size} bytes${magicOk ? '' : ' without the magic'}`,
    );
  }
  const headerBytes = await readExact(source, size, 0, HEADER_LENGTH, 'read', 'reading the snapshot header', signal);
  decodeHeaderPrefix(headerBytes, size, 'snapshot');
  if (headerBytes.length !== HEADER_LENGTH) bad('reading the snapshot header', '64 bytes', String(headerBytes.length));
  const header = decodeHeader(headerBytes, size, 'snapshot');
  // Snapshot v1 has exactly the 1.0 header: a longer one (a later minor) is not a v1 snapshot.
  if (header.headerLength !== HEADER_LENGTH || header.optionalFlags !== 0 || header.formatMinor !== 0)
    bad(
      'reading the snapshot header',
      'format 1.0, header length 64, optional flags 0',
      `format 1.${header.formatMinor}, header ${header.headerLength}, optional flags ${header.optionalFlags}`,
    );
  const a = header.alignment;
  const indexEnd = header.indexOffset + header.indexLength;
  const regionEnd = Math.min(align(indexEnd, a), size);
  const region = await readExact(
    source,
    size,
    header.manifestOffset,
    regionEnd - header.manifestOffset,
    'read',
    'reading the snapshot metadata and index',
    signal,
  );
  const metadataBytes = region.subarray(0, header.manifestLength);
  const indexBytes = region.subarray(header.indexOffset - HEADER_LENGTH, indexEnd - HEADER_LENGTH);
  const metadata = decodeMetadata(metadataBytes);
  const entries = decodeIndex(indexBytes, size);
  checkZero(
    region,
    header.manifestLength,
    header.indexOffset - HEADER_LENGTH,
    'after the metadata',
    HEADER_LENGTH,
    PHASE,
  );
  checkZero(region, indexEnd - HEADER_LENGTH, region.length, 'after the index', HEADER_LENGTH, PHASE);

  // Structure: state, memory.0 … memory.<n-1>, optionally $signature; ids 1…; contiguous, aligned, nothing after.
  const n = metadata.engine.memories;
  const signed = entries.length === n + 2;
  if (entries.length !== n + 1 && !signed)
    bad(
      'checking the snapshot index',
      `${n + 1} sections (state and ${n} memories, as the metadata says) plus an optional signature`,
      `${entries.length} entries`,
    );
  let expectedOffset = align(indexEnd, a);
  let end = indexEnd;
  entries.forEach((e, i) => {
    const isSig = signed && i === entries.length - 1;
    const name = isSig ? SIGNATURE_SECTION_NAME : i === 0 ? STATE_SECTION : memorySectionName(i - 1);
    const ok =
      e.id === i + 1 &&
      e.name === name &&
      e.kind === (isSig ? 'signature' : 'data') &&
      e.flags === (isSig ? 0 : FLAG_REQUIRED) &&
      e.priority === 0 &&
      e.chunkSize === 0 &&
      e.hosts.length + e.features.length + e.locales.length + e.dependsOn.length === 0 &&
      (!isSig || e.digest.every((b) => b === 0));
    if (!ok)
      bad(
        `checking snapshot index entry ${i}`,
        `id ${i + 1}, ${isSig ? 'kind signature, flags 0, zero digest' : 'kind data, flags REQUIRED'}, name ${JSON.stringify(name)}, priority 0, no chunks, selectors or dependencies`,
        `id ${e.id}, kind ${e.kind}, flags ${e.flags}, name ${JSON.stringify(e.name)}, priority ${e.priority}, chunk size ${e.chunkSize}`,
        { entry: i },
      );
    if (e.offset !== expectedOffset)
      bad(`checking snapshot section ${e.name}`, `offset ${expectedOffset}`, `offset ${e.offset}`, { entry: i });
    end = e.offset + e.storedLength;
    expectedOffset = align(end, a);
  });
  if (end !== header.totalLength)
    bad(
      'checking the snapshot layout',
      `the file to end with its last section at ${end}`,
      `total length ${header.totalLength}`,
    );

  const rootDigest = await computeRootDigest(
    options.digest,
    headerBytes,
    metadataBytes,
    indexBytes,
    SNAPSHOT_ROOT_DOMAIN,
  );
  const bodies: Uint8Array[] = [];
  const readSection = async (e: IndexEntry): Promise<Uint8Array> => {
    const padEnd = Math.min(align(e.offset + e.storedLength, a), size);
    const bytes = await readExact(
      source,
      size,
      e.offset,
      padEnd - e.offset,
      'read',
      `reading section ${e.name}`,
      signal,
    );
    checkZero(bytes, e.storedLength, bytes.length, `after section ${e.name}`, e.offset, PHASE);
    return bytes.subarray(0, e.storedLength);
  };
  let keyIds: string[] = [];
  let result: SignatureCheckResult = { verifiedKeyIds: [], threshold: 0, unsigned: true };
  const sigEntry = signed ? entries[entries.length - 1] : undefined;
  if (sigEntry) {
    if (sigEntry.storedLength > MAX_SIGNATURE_SECTION_LENGTH)
      bad('checking the signature entry', `at most ${MAX_SIGNATURE_SECTION_LENGTH} bytes`, `${sigEntry.storedLength}`);
    const section = decodeSignatureSection(await readSection(sigEntry), PHASE);
    if (!bytesEqual(section.rootDigest, rootDigest)) {
      throw new FaygerError({
        code: 'SNAPSHOT_DIGEST_MISMATCH',
        phase: PHASE,
        what: 'checking the snapshot root digest',
        expected: `${hex(section.rootDigest)} (recorded in the signature section)`,
        found: `${hex(rootDigest)} over header, metadata and index`,
      });
    }
    keyIds = section.signatures.map((s) => s.keyId);
    if (!allowUnsigned) {
      result = await (options.trust as TrustVerifier).verify({
        artifactId: `${SNAPSHOT_PUBLISHER}.${metadata.app.id}`,
        publisher: SNAPSHOT_PUBLISHER,
        sequence: 0,
        rootDigest,
        signatures: section.signatures,
        ...(options.now ? { now: options.now } : {}),
      });
      if (result.unsigned || result.verifiedKeyIds.length === 0)
        throw untrusted('a signature by a trusted host key', 'no verified signature');
    }
  } else if (!allowUnsigned) {
    throw untrusted('a snapshot signed by a trusted host key', 'an unsigned snapshot');
  }

  // Bodies: digest first, then decoding. Memory pages are bounded by the cap before anything is expanded.
  for (const e of entries) {
    if (e === sigEntry) continue;
    const body = await readSection(e);
    const d = await hashBytes(options.digest, body);
    if (!bytesEqual(d, e.digest)) {
      throw new FaygerError({
        code: 'SNAPSHOT_DIGEST_MISMATCH',
        phase: PHASE,
        what: `verifying snapshot section ${e.name}`,
        expected: `digest ${hex(e.digest)}`,
        found: hex(d),
        details: { section: e.name },
      });
    }
    bodies.push(body);
  }
  const heads: MemoryHead[] = [];
  let totalPages = 0;
  for (let i = 0; i < n; i++) {
    const head = decodeMemoryHead(bodies[i + 1]!);
    if (typeof head === 'string')
      bad(`decoding section ${memorySectionName(i)}`, head.split('; found ')[0]!, head.split('; found ')[1] ?? '');
    totalPages += head.pages;
    if (totalPages > maxPages) {
      bad(
        'decoding the snapshot memories',
        `at most ${maxPages} pages over all memories (${(maxPages * PAGE_SIZE) / 2 ** 20} MiB; raise maxMemoryPages for a genuine larger snapshot)`,
        `${totalPages} pages by ${memorySectionName(i)}`,
        { limit: maxPages },
      );
    }
    heads.push(head);
  }
  const memories: SnapshotMemory[] = heads.map((head, i) => {
    const bytes = expandMemory(bodies[i + 1]!, head);
    if (typeof bytes === 'string') bad(`decoding section ${memorySectionName(i)}`, bytes, 'an all-zero stored page');
    return { pages: head.pages, bytes };
  });
  const { memories: _count, ...engineMeta } = metadata.engine;
  const snapshot: InstanceSnapshot = {
    version: 1,
    app: metadata.app,
    codeDigest: metadata.codeDigest,
    entry: metadata.entry,
    engine: { ...engineMeta, memories, state: bodies[0]! },
    grants: metadata.grants,
    ...(metadata.pending ? { pending: metadata.pending } : {}),
    resources: metadata.resources,
    origin: metadata.origin,
  };
  return {
    snapshot,
    keyIds,
    verifiedKeyIds: result.verifiedKeyIds,
    verified: !allowUnsigned && !result.unsigned && result.verifiedKeyIds.length > 0,
    rootDigest: hex(rootDigest),
    totalLength: size,
    stateLength: bodies[0]!.length,
    memories: heads.map((h, i) => ({
      pages: h.pages,
      storedPages: h.storedPages,
      sectionLength: bodies[i + 1]!.length,
    })),
  };
}

function untrusted(expected: string, found: string): FaygerError {
  return new FaygerError({
    code: 'SNAPSHOT_UNTRUSTED',
    phase: PHASE,
    what: 'verifying the snapshot signature',
    expected,
    found,
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeMetadata(bytes: Uint8Array): SnapshotMetadata {
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(bytes);
  } catch {
    return bad('decoding the snapshot metadata', 'UTF-8 text', 'invalid UTF-8');
  }
  try {
    value = JSON.parse(text);
  } catch (err) {
    return bad('decoding the snapshot metadata', 'JSON text', `unparsable JSON (${(err as Error).message})`);
  }
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch (err) {
    return bad('decoding the snapshot metadata', 'canonical JSON', (err as Error).message);
  }
  if (canonical !== text)
    bad('decoding the snapshot metadata', 'canonical JSON (sorted keys, no whitespace)', 'another encoding of a value');
  try {
    const m = checkMetadata(value);
    if (m.engine.memories > MAX_MEMORIES) bad('decoding the snapshot metadata', `≤ ${MAX_MEMORIES} memories`, '');
    return m;
  } catch (err) {
    if (err instanceof FieldError) throw malformed(PHASE, 'decoding the snapshot metadata', err);
    throw err;
  }
}

/** True when `head` (the first 16 bytes or more of a file) is a BuF-family header marked as a snapshot. */
export function isSnapshotHeader(head: Uint8Array): boolean {
  if (head.length < 16) return false;
  for (let i = 0; i < MAGIC.length; i++) if (head[i] !== MAGIC[i]) return false;
  return (head[12]! & CRITICAL_FLAG_SNAPSHOT) !== 0;
}

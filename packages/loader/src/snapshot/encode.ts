import {
  FaygerError,
  type DigestProvider,
  type InstanceSnapshot,
  type SignatureRecord,
  type Signer,
} from '@fayger/contracts';
import { canonicalJson } from '../format/canonical-json.js';
import {
  CRITICAL_FLAG_SNAPSHOT,
  DEFAULT_ALIGN_LOG2,
  DIGEST_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  FLAG_REQUIRED,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  HEADER_LENGTH,
  KEY_ID_RE,
  MAX_ALIGN_LOG2,
  MAX_IDENT_LENGTH,
  MAX_MANIFEST_LENGTH,
  SIGNATURE_SECTION_NAME,
  SNAPSHOT_ROOT_DOMAIN,
  align,
} from '../format/constants.js';
import { encodeHeader } from '../format/header.js';
import { encodeIndex, encodedEntryLength, type IndexEntry } from '../format/index-codec.js';
import { computeRootDigest } from '../format/root-digest.js';
import { encodeSignatureSection, signatureSectionLength } from '../format/signature-section.js';
import { hashBytes } from '../hash.js';
import { encodeMemory, MAX_PAGES_PER_MEMORY, PAGE_SIZE } from './memory.js';
import { checkMetadata, FieldError, malformed, metadataOf } from './metadata.js';

export interface EncodeSnapshotOptions {
  digest: DigestProvider;
  /** The host key that signs the snapshot (what `fayger sign` uses: `createEd25519Signer`). */
  signer?: Signer;
  /** Several signers (m-of-n trust policies); combined with `signer`. */
  signers?: readonly Signer[];
  /** Write an unsigned snapshot (tests, development). Without it, a signer is required. */
  unsigned?: boolean;
  /** Section alignment: a power of two 1..4096. Default 8. */
  alignment?: number;
}

const PHASE = 'snapshot-encode';
const WHAT = 'encoding an instance snapshot';

/** Section names of snapshot v1, in index order (memories follow the state). */
export const STATE_SECTION = 'state';
export const memorySectionName = (i: number): string => `memory.${i}`;

function invalid(expected: string, found: string): FaygerError {
  return new FaygerError({ code: 'INVALID_ARGUMENT', phase: PHASE, what: WHAT, expected, found });
}

export function entryFor(id: number, name: string, storedLength: number, digest: Uint8Array): IndexEntry {
  return {
    id,
    kind: 'data',
    name,
    required: true,
    hosts: [],
    features: [],
    locales: [],
    priority: 0,
    dependsOn: [],
    offset: 0,
    storedLength,
    rawLength: storedLength,
    digest,
    chunkSize: 0,
    flags: FLAG_REQUIRED,
    compression: 0,
    chunkDigests: new Uint8Array(0),
  };
}

/**
 * Encodes an InstanceSnapshot as a snapshot v1 artifact (docs/spec/snapshot-v1.md): the BuF container with the
 * snapshot critical flag, the metadata as canonical JSON in the manifest region, a `state` section and one
 * sparse `memory.<i>` section per linear memory, signed by the host key. Deterministic: the same snapshot and
 * keys give the same bytes. A snapshot the reader would reject is refused here (SNAPSHOT_MALFORMED).
 */
export async function encodeSnapshot(snapshot: InstanceSnapshot, options: EncodeSnapshotOptions): Promise<Uint8Array> {
  if (!options?.digest) throw invalid('options.digest (a DigestProvider)', 'none');
  const signers = [...(options.signer ? [options.signer] : []), ...(options.signers ?? [])];
  if (signers.length === 0 && options.unsigned !== true)
    throw invalid('options.signer (the host key), or unsigned: true', 'no signer');
  const seen = new Set<string>();
  for (const s of signers) {
    if (typeof s?.keyId !== 'string' || s.keyId.length > MAX_IDENT_LENGTH || !KEY_ID_RE.test(s.keyId))
      throw invalid('a signer keyId of printable ASCII, 1..255 chars', JSON.stringify(s?.keyId));
    if (s.algorithm !== 'ed25519') throw invalid('ed25519 signers', String(s.algorithm));
    if (seen.has(s.keyId)) throw invalid('distinct signers', `${s.keyId} twice`);
    seen.add(s.keyId);
  }
  const alignment = options.alignment ?? 2 ** DEFAULT_ALIGN_LOG2;
  const log2 = Math.log2(alignment);
  if (!Number.isInteger(log2) || log2 < 0 || log2 > MAX_ALIGN_LOG2)
    throw invalid(`alignment a power of two 1..${2 ** MAX_ALIGN_LOG2}`, String(alignment));

  let metadataText: string;
  const memories = snapshot?.engine?.memories;
  try {
    const metadata = checkMetadata(metadataOf(snapshot));
    if (!(snapshot.engine.state instanceof Uint8Array))
      throw new FieldError('engine.state', 'a Uint8Array', typeof snapshot.engine.state);
    memories.forEach((m, i) => {
      if (typeof m !== 'object' || m === null) throw new FieldError(`engine.memories[${i}]`, 'an object', String(m));
      if (!Number.isInteger(m.pages) || m.pages < 0 || m.pages > MAX_PAGES_PER_MEMORY)
        throw new FieldError(`engine.memories[${i}].pages`, `0..${MAX_PAGES_PER_MEMORY}`, String(m.pages));
      if (!(m.bytes instanceof Uint8Array) || m.bytes.length !== m.pages * PAGE_SIZE)
        throw new FieldError(
          `engine.memories[${i}].bytes`,
          `${m.pages * PAGE_SIZE} bytes (pages × 64 KiB)`,
          m.bytes instanceof Uint8Array ? `${m.bytes.length} bytes` : typeof m.bytes,
        );
    });
    metadataText = canonicalJson(metadata);
  } catch (err) {
    if (err instanceof FieldError) throw malformed(PHASE, WHAT, err);
    if (err instanceof TypeError)
      throw new FaygerError({ code: 'SNAPSHOT_MALFORMED', phase: PHASE, what: WHAT, found: err.message });
    throw err;
  }
  const metadataBytes = new TextEncoder().encode(metadataText);
  if (metadataBytes.length > MAX_MANIFEST_LENGTH) {
    throw new FaygerError({
      code: 'SNAPSHOT_MALFORMED',
      phase: PHASE,
      what: WHAT,
      expected: `metadata of at most ${MAX_MANIFEST_LENGTH} bytes`,
      found: `${metadataBytes.length} bytes (resources or grants out of proportion)`,
    });
  }

  const bodies = [snapshot.engine.state, ...memories.map((m) => encodeMemory(m.pages, m.bytes))];
  const names = [STATE_SECTION, ...memories.map((_, i) => memorySectionName(i))];
  const entries: IndexEntry[] = [];
  for (let i = 0; i < bodies.length; i++) {
    entries.push(entryFor(i + 1, names[i]!, bodies[i]!.length, await hashBytes(options.digest, bodies[i]!)));
  }
  if (signers.length) {
    const n = signatureSectionLength(signers.map((s) => s.keyId));
    const sig = entryFor(bodies.length + 1, SIGNATURE_SECTION_NAME, n, new Uint8Array(DIGEST_LENGTH));
    entries.push({ ...sig, kind: 'signature', required: false, flags: 0 });
  }
  let indexLength = 8;
  for (const e of entries) indexLength += encodedEntryLength(e);
  const indexOffset = align(HEADER_LENGTH + metadataBytes.length, alignment);
  let end = indexOffset + indexLength;
  for (const e of entries) {
    e.offset = align(end, alignment);
    end = e.offset + e.storedLength;
  }
  const indexBytes = encodeIndex(entries);
  const header = encodeHeader({
    formatMajor: FORMAT_MAJOR,
    formatMinor: FORMAT_MINOR,
    criticalFlags: CRITICAL_FLAG_SNAPSHOT,
    optionalFlags: 0,
    alignment,
    totalLength: end,
    manifestOffset: HEADER_LENGTH,
    manifestLength: metadataBytes.length,
    indexOffset,
    indexLength,
    headerLength: HEADER_LENGTH,
  });
  const out = new Uint8Array(end);
  out.set(header, 0);
  out.set(metadataBytes, HEADER_LENGTH);
  out.set(indexBytes, indexOffset);
  bodies.forEach((b, i) => out.set(b, entries[i]!.offset));
  if (signers.length) {
    const root = await computeRootDigest(options.digest, header, metadataBytes, indexBytes, SNAPSHOT_ROOT_DOMAIN);
    const signatures: SignatureRecord[] = [];
    for (const s of signers) {
      const signature = await s.sign(root);
      if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_LENGTH)
        throw invalid(`a ${ED25519_SIGNATURE_LENGTH}-byte signature from ${s.keyId}`, String(signature?.length));
      signatures.push({ keyId: s.keyId, algorithm: 'ed25519', signature });
    }
    out.set(encodeSignatureSection({ rootDigest: root, signatures }), entries[entries.length - 1]!.offset);
  }
  return out;
}

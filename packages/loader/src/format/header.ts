import type { BufHeaderInfo } from '@fayger/contracts';
import { hex, loaderError } from '../errors.js';
import {
  DIGEST_SHA256,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  HEADER_LENGTH,
  CRITICAL_FLAG_SNAPSHOT,
  KNOWN_CRITICAL_FLAGS,
  MAGIC,
  MAX_ALIGN_LOG2,
  MAX_HEADER_LENGTH,
  INDEX_BASE_ALLOWANCE,
  INDEX_BODY_RATIO,
  MAX_INDEX_LENGTH,
  MAX_MANIFEST_LENGTH,
  align,
} from './constants.js';

/** Decoded header plus the header length (which may exceed 64 in later minors). */
export interface DecodedHeader extends BufHeaderInfo {
  headerLength: number;
}

/** Reads a u64 that must fit a JS safe integer (high word < 2^21). */
export function readU64(view: DataView, at: number): number {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi >= 0x200000) return Number.POSITIVE_INFINITY;
  return hi * 0x1_0000_0000 + lo;
}

export function writeU64(view: DataView, at: number, n: number): void {
  view.setUint32(at, n % 0x1_0000_0000, true);
  view.setUint32(at + 4, Math.floor(n / 0x1_0000_0000), true);
}

export function encodeHeader(h: Omit<DecodedHeader, 'digestAlgorithm'> & { digestAlgorithm?: 'sha256' }): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(8, h.formatMajor, true);
  view.setUint16(10, h.formatMinor, true);
  view.setUint32(12, h.criticalFlags, true);
  view.setUint32(16, h.optionalFlags, true);
  view.setUint8(20, DIGEST_SHA256);
  view.setUint8(21, Math.log2(h.alignment));
  view.setUint16(22, HEADER_LENGTH, true);
  writeU64(view, 24, h.totalLength);
  writeU64(view, 32, h.manifestOffset);
  writeU64(view, 40, h.manifestLength);
  writeU64(view, 48, h.indexOffset);
  writeU64(view, 56, h.indexLength);
  return out;
}

const PHASE = 'read';
const WHAT = 'reading the BuF header';

/** Which member of the BuF family a reader expects: an app (loadBuf) or an instance snapshot (loadSnapshot). */
export type ArtifactKind = 'app' | 'snapshot';

/** Checks magic, version and critical flags on the first 64 bytes; everything a reader needs before trusting any field. */
export function decodeHeaderPrefix(
  bytes: Uint8Array,
  sourceSize: number,
  kind: ArtifactKind = 'app',
): { headerLength: number } {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw loaderError('LOADER_BAD_MAGIC', PHASE, {
        what: WHAT,
        expected: `magic ${hex(MAGIC)}`,
        found: hex(bytes.subarray(0, MAGIC.length)),
        details: { offset: 0 },
      });
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = view.getUint16(8, true);
  const minor = view.getUint16(10, true);
  const critical = view.getUint32(12, true);
  if (major !== FORMAT_MAJOR) {
    throw loaderError('LOADER_FORMAT_UNSUPPORTED', 'negotiate-version', {
      what: 'negotiating the BuF format version',
      expected: `format major ${FORMAT_MAJOR} (this loader reads ${FORMAT_MAJOR}.0–${FORMAT_MAJOR}.x)`,
      found: `format ${major}.${minor}`,
      details: { major, minor, supportedMajor: FORMAT_MAJOR },
    });
  }
  const isSnapshot = (critical & CRITICAL_FLAG_SNAPSHOT) !== 0;
  if (isSnapshot !== (kind === 'snapshot')) {
    throw loaderError('LOADER_ARTIFACT_KIND', PHASE, {
      what: kind === 'app' ? 'reading the BuF header' : 'reading the snapshot header',
      expected:
        kind === 'app' ? 'an app BuF (critical flag 0x1 clear)' : 'an instance snapshot (critical flag 0x1 set)',
      found: isSnapshot
        ? 'a Fayger instance snapshot (critical flag 0x1); resume it with `fayger resume` or loadSnapshot()'
        : 'an app BuF, not a snapshot; run it with `fayger run` or loadBuf()',
      details: { criticalFlags: critical, artifactKind: isSnapshot ? 'snapshot' : 'app' },
    });
  }
  const known = kind === 'snapshot' ? KNOWN_CRITICAL_FLAGS | CRITICAL_FLAG_SNAPSHOT : KNOWN_CRITICAL_FLAGS;
  const unknown = (critical & ~known) >>> 0;
  if (unknown !== 0) {
    throw loaderError('LOADER_FORMAT_UNSUPPORTED', 'negotiate-version', {
      what: 'negotiating the BuF format features',
      expected: `critical flags within 0x${known.toString(16).padStart(8, '0')}`,
      found: `unknown critical flags 0x${unknown.toString(16).padStart(8, '0')}`,
      details: { criticalFlags: critical, unknown },
    });
  }
  const headerLength = view.getUint16(22, true);
  const validLength = minor <= FORMAT_MINOR ? headerLength === HEADER_LENGTH : headerLength >= HEADER_LENGTH;
  if (!validLength || headerLength > MAX_HEADER_LENGTH || headerLength % 8 !== 0) {
    throw loaderError('LOADER_HEADER_INVALID', PHASE, {
      what: WHAT,
      expected: minor <= FORMAT_MINOR ? `header length ${HEADER_LENGTH}` : `header length 64..4096, multiple of 8`,
      found: String(headerLength),
    });
  }
  if (headerLength > sourceSize) {
    throw loaderError('LOADER_TRUNCATED', PHASE, {
      what: WHAT,
      expected: `at least ${headerLength} bytes`,
      found: `${sourceSize} bytes`,
    });
  }
  return { headerLength };
}

/** The largest index an artifact of `totalLength` bytes may have (docs/spec/buf-v1.md §11). */
export function maxIndexLength(totalLength: number): number {
  return Math.min(MAX_INDEX_LENGTH, INDEX_BASE_ALLOWANCE + Math.floor(totalLength / INDEX_BODY_RATIO));
}

function overCap(name: string, cap: number, found: number, rule?: string): never {
  throw loaderError('LOADER_LIMIT_EXCEEDED', PHASE, {
    what: WHAT,
    expected: `${name} ≤ ${cap} bytes${rule ? ` (${rule})` : ''}`,
    found: String(found),
    hint: 'The loader refuses metadata out of proportion to what any genuine artifact needs (docs/spec/buf-v1.md §11); the file is hostile or corrupt.',
    details: { field: name, limit: cap, value: found },
  });
}

/** Decodes and checks every header field against the source size, before anything is allocated from them. */
export function decodeHeader(bytes: Uint8Array, sourceSize: number, kind: ArtifactKind = 'app'): DecodedHeader {
  const { headerLength } = decodeHeaderPrefix(bytes, sourceSize, kind);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const formatMinor = view.getUint16(10, true);
  const digestCode = view.getUint8(20);
  if (digestCode !== DIGEST_SHA256) {
    throw loaderError('LOADER_DIGEST_ALGORITHM_UNSUPPORTED', PHASE, {
      what: WHAT,
      expected: `digest algorithm code ${DIGEST_SHA256} (sha256)`,
      found: `code ${digestCode}`,
    });
  }
  const alignLog2 = view.getUint8(21);
  const field = (name: string, expected: string, found: number | string): never => {
    throw loaderError('LOADER_HEADER_INVALID', PHASE, {
      what: WHAT,
      expected: `${name} ${expected}`,
      found: String(found),
      details: { field: name },
    });
  };
  if (alignLog2 > MAX_ALIGN_LOG2) field('alignment log2', `0..${MAX_ALIGN_LOG2}`, alignLog2);
  const alignment = 2 ** alignLog2;
  const totalLength = readU64(view, 24);
  const manifestOffset = readU64(view, 32);
  const manifestLength = readU64(view, 40);
  const indexOffset = readU64(view, 48);
  const indexLength = readU64(view, 56);
  if (totalLength !== sourceSize) {
    throw loaderError(totalLength > sourceSize ? 'LOADER_TRUNCATED' : 'LOADER_LENGTH_MISMATCH', PHASE, {
      what: WHAT,
      expected: `source size equal to the header total length ${totalLength}`,
      found: `${sourceSize} bytes${totalLength < sourceSize ? ` (${sourceSize - totalLength} trailing bytes)` : ''}`,
      details: { totalLength, sourceSize },
    });
  }
  if (manifestOffset !== headerLength) field('manifest offset', `= header length ${headerLength}`, manifestOffset);
  if (manifestLength < 2) field('manifest length', `2..${MAX_MANIFEST_LENGTH}`, manifestLength);
  if (manifestLength > MAX_MANIFEST_LENGTH) overCap('manifest length', MAX_MANIFEST_LENGTH, manifestLength);
  const expectedIndexOffset = align(manifestOffset + manifestLength, alignment);
  if (indexOffset !== expectedIndexOffset)
    field('index offset', `= aligned manifest end ${expectedIndexOffset}`, indexOffset);
  if (indexLength < 8 || indexLength > MAX_INDEX_LENGTH) field('index length', `8..${MAX_INDEX_LENGTH}`, indexLength);
  if (indexOffset + indexLength > sourceSize) {
    throw loaderError('LOADER_TRUNCATED', PHASE, {
      what: WHAT,
      expected: `manifest and index within the ${sourceSize}-byte source`,
      found: `index ending at ${indexOffset + indexLength}`,
    });
  }
  // Checked before the manifest and index are read: that read allocates indexLength bytes.
  const indexCap = maxIndexLength(totalLength);
  if (indexLength > indexCap)
    overCap('index length', indexCap, indexLength, `48 MiB + total length / ${INDEX_BODY_RATIO}`);
  return {
    formatMajor: FORMAT_MAJOR,
    formatMinor,
    criticalFlags: view.getUint32(12, true),
    optionalFlags: view.getUint32(16, true),
    digestAlgorithm: 'sha256',
    alignment,
    totalLength,
    manifestOffset,
    manifestLength,
    indexOffset,
    indexLength,
    headerLength,
  };
}

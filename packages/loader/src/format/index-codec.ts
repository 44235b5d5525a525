import type { SectionInfo, SectionKind } from '@fayger/contracts';
import { loaderError } from '../errors.js';
import {
  DIGEST_LENGTH,
  ENTRY_FIXED_LENGTH,
  INDEX_PREFIX_LENGTH,
  KINDS_BY_CODE,
  KIND_CODES,
  MAX_INDEX_DEPENDENCIES,
  MAX_INDEX_STRINGS,
  MAX_INDEX_STRING_BYTES,
  MAX_SECTIONS,
  MIN_ENTRY_LENGTH,
} from './constants.js';
import { readU64, writeU64 } from './header.js';

/** An index entry as decoded: the public SectionInfo plus its chunk digests and raw flag bits. */
export interface IndexEntry extends Omit<SectionInfo, 'infoFlags'> {
  flags: number;
  compression: number;
  /** Concatenated chunk digests (count × 32 bytes) when chunkSize > 0; empty otherwise. */
  chunkDigests: Uint8Array;
}

const enc = new TextEncoder();
// Shared by every empty selector / dependency list: most entries have some, and 100k entries add up.
const EMPTY: readonly never[] = Object.freeze([]);
const dec = new TextDecoder('utf-8', { fatal: true });

function strLen(s: string): number {
  return 2 + enc.encode(s).length;
}

export function chunkCount(storedLength: number, chunkSize: number): number {
  return chunkSize === 0 ? 0 : Math.ceil(storedLength / chunkSize);
}

export function encodedEntryLength(e: IndexEntry): number {
  let n = ENTRY_FIXED_LENGTH + DIGEST_LENGTH + strLen(e.name);
  for (const list of [e.hosts, e.features, e.locales]) {
    n += 2;
    for (const s of list) n += strLen(s);
  }
  n += 2 + 4 * e.dependsOn.length;
  n += e.chunkDigests.length;
  return n;
}

export function encodeIndex(entries: readonly IndexEntry[]): Uint8Array {
  let total = INDEX_PREFIX_LENGTH;
  for (const e of entries) total += encodedEntryLength(e);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, entries.length, true);
  let p = INDEX_PREFIX_LENGTH;
  const putStr = (s: string) => {
    const b = enc.encode(s);
    view.setUint16(p, b.length, true);
    out.set(b, p + 2);
    p += 2 + b.length;
  };
  for (const e of entries) {
    view.setUint32(p, e.id, true);
    view.setUint8(p + 4, KIND_CODES[e.kind]);
    view.setUint8(p + 5, e.compression);
    view.setUint16(p + 6, e.flags, true);
    view.setInt32(p + 8, e.priority, true);
    view.setUint32(p + 12, e.chunkSize, true);
    writeU64(view, p + 16, e.offset);
    writeU64(view, p + 24, e.storedLength);
    writeU64(view, p + 32, e.rawLength);
    out.set(e.digest, p + ENTRY_FIXED_LENGTH);
    p += ENTRY_FIXED_LENGTH + DIGEST_LENGTH;
    putStr(e.name);
    for (const list of [e.hosts, e.features, e.locales]) {
      view.setUint16(p, list.length, true);
      p += 2;
      for (const s of list) putStr(s);
    }
    view.setUint16(p, e.dependsOn.length, true);
    p += 2;
    for (const d of e.dependsOn) {
      view.setUint32(p, d, true);
      p += 4;
    }
    out.set(e.chunkDigests, p);
    p += e.chunkDigests.length;
  }
  return out;
}

const PHASE = 'parse';

/**
 * Decodes the index. Every count and length is checked against the bytes that remain before anything is
 * allocated from it, so a hostile count cannot make the reader allocate more than the index size.
 * Semantic rules (ordering, overlaps, duplicates) are checked in verify-structure.
 */
export function decodeIndex(bytes: Uint8Array, sourceSize: number): IndexEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (expected: string, found: string, at: number): never => {
    throw loaderError('LOADER_INDEX_INVALID', PHASE, {
      what: 'parsing the section index',
      expected,
      found,
      details: { indexOffset: at },
    });
  };
  if (bytes.length < INDEX_PREFIX_LENGTH) bad(`at least ${INDEX_PREFIX_LENGTH} bytes`, `${bytes.length}`, 0);
  const count = view.getUint32(0, true);
  const reserved = view.getUint32(4, true);
  if (reserved !== 0) bad('reserved word 0', String(reserved), 4);
  const overCap = (what: string, cap: number, found: number, at: number): never => {
    throw loaderError('LOADER_LIMIT_EXCEEDED', PHASE, {
      what: 'parsing the section index',
      expected: `at most ${cap} ${what} (docs/spec/buf-v1.md §11)`,
      found: String(found),
      hint: 'The loader refuses an index out of proportion to what any genuine artifact needs; the file is hostile or corrupt.',
      details: { indexOffset: at, limit: cap, value: found },
    });
  };
  if (count > MAX_SECTIONS) overCap('index entries', MAX_SECTIONS, count, 0);
  if (count > (bytes.length - INDEX_PREFIX_LENGTH) / MIN_ENTRY_LENGTH) {
    bad(`an entry count that fits ${bytes.length} index bytes`, `count ${count}`, 0);
  }
  // Running totals over the whole index, each checked before the strings / arrays it counts are created.
  let strings = 0;
  let stringBytes = 0;
  let dependencies = 0;
  const entries: IndexEntry[] = new Array(count);
  let p = INDEX_PREFIX_LENGTH;
  // Field labels are constants; the entry number is added only when an error is built (no per-field strings).
  let current = 0;
  const need = (n: number, what: string) => {
    if (p + n > bytes.length)
      bad(`entry ${current} ${what} within the index`, `it runs ${p + n - bytes.length} bytes past the end`, p);
  };
  const getStr = (what: string): string => {
    need(2, what);
    const n = view.getUint16(p, true);
    need(2 + n, what);
    stringBytes += n;
    if (++strings > MAX_INDEX_STRINGS) overCap('names and selector values', MAX_INDEX_STRINGS, strings, p);
    if (stringBytes > MAX_INDEX_STRING_BYTES)
      overCap('bytes of names and selector values', MAX_INDEX_STRING_BYTES, stringBytes, p);
    let s = '';
    let ascii = true;
    for (let k = p + 2; k < p + 2 + n; k++) {
      if (bytes[k]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Names and selectors are ASCII identifiers: one flat string, no TextDecoder call per string.
      s = String.fromCharCode.apply(null, bytes.subarray(p + 2, p + 2 + n) as unknown as number[]);
    } else {
      try {
        s = dec.decode(bytes.subarray(p + 2, p + 2 + n));
      } catch {
        return bad(`entry ${current} ${what} as UTF-8`, 'invalid UTF-8', p);
      }
    }
    p += 2 + n;
    return s;
  };
  const getList = (what: string): string[] => {
    need(2, what);
    const n = view.getUint16(p, true);
    p += 2;
    if (n === 0) return EMPTY as unknown as string[];
    // Each string needs at least 2 bytes: bounds the array before it is allocated.
    need(2 * n, what);
    if (strings + n > MAX_INDEX_STRINGS) overCap('names and selector values', MAX_INDEX_STRINGS, strings + n, p);
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = getStr(what);
    return out;
  };
  for (let i = 0; i < count; i++) {
    current = i;
    const start = p;
    need(ENTRY_FIXED_LENGTH + DIGEST_LENGTH, 'fixed fields');
    const id = view.getUint32(p, true);
    const kindCode = view.getUint8(p + 4);
    const kind: SectionKind | undefined = KINDS_BY_CODE[kindCode];
    if (kind === undefined) bad(`entry ${i} kind 0..${KINDS_BY_CODE.length - 1}`, `kind ${kindCode}`, p + 4);
    const compression = view.getUint8(p + 5);
    const flags = view.getUint16(p + 6, true);
    const priority = view.getInt32(p + 8, true);
    const chunkSize = view.getUint32(p + 12, true);
    const offset = readU64(view, p + 16);
    const storedLength = readU64(view, p + 24);
    const rawLength = readU64(view, p + 32);
    if (offset > sourceSize || storedLength > sourceSize || offset + storedLength > sourceSize) {
      bad(
        `entry ${i} (id ${id}) within the ${sourceSize}-byte source`,
        `offset ${offset} + length ${storedLength}`,
        p + 16,
      );
    }
    if (rawLength !== storedLength || compression !== 0) {
      bad(
        `entry ${i} uncompressed (compression 0, raw length = stored length; BuF 1.0 defines no compression)`,
        `compression ${compression}, raw ${rawLength}, stored ${storedLength}`,
        p + 5,
      );
    }
    // Views into the index bytes, not copies: one ArrayBuffer per entry adds up at 100k entries.
    const digest = bytes.subarray(p + ENTRY_FIXED_LENGTH, p + ENTRY_FIXED_LENGTH + DIGEST_LENGTH);
    p += ENTRY_FIXED_LENGTH + DIGEST_LENGTH;
    const name = getStr('name');
    const hosts = getList('hosts');
    const features = getList('features');
    const locales = getList('locales');
    need(2, 'dependsOn');
    const nd = view.getUint16(p, true);
    p += 2;
    need(4 * nd, 'dependsOn');
    dependencies += nd;
    if (dependencies > MAX_INDEX_DEPENDENCIES) overCap('dependsOn ids', MAX_INDEX_DEPENDENCIES, dependencies, p);
    const dependsOn = nd === 0 ? (EMPTY as unknown as number[]) : new Array<number>(nd);
    for (let k = 0; k < nd; k++) dependsOn[k] = view.getUint32(p + 4 * k, true);
    p += 4 * nd;
    if (chunkSize !== 0 && (chunkSize & (chunkSize - 1)) !== 0) {
      bad(`entry ${i} chunk size 0 or a power of two`, String(chunkSize), start + 12);
    }
    const nChunks = chunkCount(storedLength, chunkSize);
    need(nChunks * DIGEST_LENGTH, 'chunk digests');
    const chunkDigests = bytes.subarray(p, p + nChunks * DIGEST_LENGTH);
    p += nChunks * DIGEST_LENGTH;
    entries[i] = {
      id,
      kind: kind!,
      name,
      required: (flags & 1) !== 0,
      hosts,
      features,
      locales,
      priority,
      dependsOn,
      offset,
      storedLength,
      rawLength,
      digest,
      chunkSize,
      flags,
      compression,
      chunkDigests,
    };
  }
  if (p !== bytes.length) bad(`the index to end after entry ${count - 1}`, `${bytes.length - p} trailing bytes`, p);
  return entries;
}

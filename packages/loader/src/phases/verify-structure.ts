import { loaderError } from '../errors.js';
import {
  IDENT_RE,
  KNOWN_SECTION_CRITICAL_FLAGS,
  MAX_CHUNK_LOG2,
  MAX_IDENT_LENGTH,
  MAX_SIGNATURE_SECTION_LENGTH,
  MIN_CHUNK_LOG2,
  SIGNATURE_SECTION_NAME,
  align,
} from '../format/constants.js';
import type { IndexEntry } from '../format/index-codec.js';
import type { LoadContext } from './context.js';

const PHASE = 'verify-structure';

function bad(expected: string, found: string, details: Record<string, unknown> = {}): never {
  throw loaderError('LOADER_INDEX_INVALID', PHASE, { what: 'checking the section index', expected, found, details });
}

function checkSortedIdents(e: IndexEntry, label: string, list: readonly string[]): void {
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    if (v.length > MAX_IDENT_LENGTH || !IDENT_RE.test(v)) {
      bad(`${label} of section ${e.id} to be identifiers`, JSON.stringify(v), { id: e.id });
    }
    if (i > 0 && !(list[i - 1]! < v))
      bad(`${label} of section ${e.id} sorted and unique`, list.join(','), { id: e.id });
  }
}

/**
 * Phase verify-structure: the canonical-form rules that make the parse unique (docs/spec/buf-v1.md §7):
 * every section at the aligned end of the previous region, nothing after the last, zero padding, unique
 * ids and names, sorted selector lists, a well-formed signature entry (last, at most one).
 */
export function verifyStructurePhase(ctx: LoadContext): void {
  const { header, entries } = ctx;
  const a = header.alignment;
  const indexEnd = header.indexOffset + header.indexLength;
  const ids = new Map<number, IndexEntry>();
  const names = new Map<string, IndexEntry>();
  let expectedOffset = align(indexEnd, a);
  let end = indexEnd;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (ids.has(e.id)) bad('unique section ids', `duplicate id ${e.id}`, { id: e.id });
    ids.set(e.id, e);
    if (names.has(e.name)) bad('unique section names', `duplicate name ${JSON.stringify(e.name)}`, { id: e.id });
    names.set(e.name, e);
    if (e.offset !== expectedOffset) {
      bad(
        `section ${e.id} at offset ${expectedOffset} (the previous region end aligned to ${a}; sections sorted, no overlap, no gaps)`,
        `offset ${e.offset}`,
        { id: e.id, index: i },
      );
    }
    const unknownFlags = e.flags & 0xff & ~KNOWN_SECTION_CRITICAL_FLAGS;
    if (unknownFlags) bad(`section ${e.id} critical flags within 0x01`, `0x${unknownFlags.toString(16)}`, { id: e.id });
    if (e.chunkSize !== 0) {
      const log2 = Math.log2(e.chunkSize);
      if (log2 < MIN_CHUNK_LOG2 || log2 > MAX_CHUNK_LOG2 || e.storedLength === 0) {
        bad(
          `section ${e.id} chunk size 2^${MIN_CHUNK_LOG2}..2^${MAX_CHUNK_LOG2} on a non-empty section`,
          String(e.chunkSize),
          { id: e.id },
        );
      }
    }
    if (e.kind === 'signature') {
      if (i !== entries.length - 1)
        bad('the signature section last in the index', `signature section at position ${i}`, { id: e.id });
      // Checked before verify-digest reads (allocates) the whole section.
      if (e.storedLength > MAX_SIGNATURE_SECTION_LENGTH) {
        throw loaderError('LOADER_LIMIT_EXCEEDED', PHASE, {
          what: 'checking the signature section entry',
          expected: `at most ${MAX_SIGNATURE_SECTION_LENGTH} bytes (65,535 ed25519 records with 255-byte key ids; docs/spec/buf-v1.md §11)`,
          found: `${e.storedLength} bytes`,
          details: { id: e.id, limit: MAX_SIGNATURE_SECTION_LENGTH, value: e.storedLength },
        });
      }
      if (
        e.name !== SIGNATURE_SECTION_NAME ||
        e.flags !== 0 ||
        e.priority !== 0 ||
        e.chunkSize !== 0 ||
        e.hosts.length + e.features.length + e.locales.length + e.dependsOn.length !== 0 ||
        e.digest.some((b) => b !== 0)
      ) {
        bad(
          `the signature entry named ${SIGNATURE_SECTION_NAME} with zero flags, priority, selectors, dependencies and a zero digest`,
          `name ${JSON.stringify(e.name)}, flags ${e.flags}`,
          { id: e.id },
        );
      }
    } else {
      if (e.name.length > MAX_IDENT_LENGTH || !IDENT_RE.test(e.name)) {
        bad(`section ${e.id} name an identifier of [A-Za-z0-9_.:/@+-]`, JSON.stringify(e.name), { id: e.id });
      }
      checkSortedIdents(e, 'hosts', e.hosts);
      checkSortedIdents(e, 'features', e.features);
      checkSortedIdents(e, 'locales', e.locales);
      for (let k = 0; k < e.dependsOn.length; k++) {
        const d = e.dependsOn[k]!;
        if (d === e.id) bad(`section ${e.id} not to depend on itself`, 'a self-dependency', { id: e.id });
        if (k > 0 && !(e.dependsOn[k - 1]! < d))
          bad(`dependsOn of section ${e.id} sorted and unique`, e.dependsOn.join(','), { id: e.id });
      }
    }
    end = e.offset + e.storedLength;
    expectedOffset = align(end, a);
  }
  if (end !== header.totalLength) {
    bad(
      `the artifact to end where the last ${entries.length ? 'section' : 'index byte'} ends (${end})`,
      `total length ${header.totalLength}`,
    );
  }
  // Padding inside the region already read: after the manifest and after the index.
  const base = header.manifestOffset;
  checkZero(ctx.region, header.manifestLength, header.indexOffset - base, 'after the manifest', base);
  checkZero(ctx.region, indexEnd - base, ctx.region.length, 'after the index', base);
  const sig = entries.length ? entries[entries.length - 1] : undefined;
  ctx.signatureEntry = sig?.kind === 'signature' ? sig : undefined;
  if (ctx.signatureEntry) {
    ids.delete(ctx.signatureEntry.id);
    names.delete(ctx.signatureEntry.name);
  }
  ctx.byId = ids;
  ctx.byName = names;
  const entry = names.get(ctx.manifest.entry.section);
  if (entry?.kind !== 'code') {
    throw loaderError('LOADER_ENTRY_MISSING', PHASE, {
      what: 'finding the entry section',
      expected: `a code section named ${JSON.stringify(ctx.manifest.entry.section)}`,
      found: entry ? `a ${entry.kind} section` : 'no section with that name',
    });
  }
}

export function checkZero(
  bytes: Uint8Array,
  from: number,
  to: number,
  where: string,
  base: number,
  phase = PHASE,
): void {
  for (let i = from; i < to; i++) {
    if (bytes[i] !== 0) {
      throw loaderError('LOADER_PADDING_NONZERO', phase, {
        what: `checking the alignment padding ${where}`,
        expected: 'zero bytes',
        found: `0x${bytes[i]!.toString(16).padStart(2, '0')} at offset ${base + i}`,
        details: { offset: base + i },
      });
    }
  }
}

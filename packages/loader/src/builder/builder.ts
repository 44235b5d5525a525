import type { DigestProvider, Manifest, SectionKind, SignatureRecord, Signer } from '@fayger/contracts';
import { loaderError } from '../errors.js';
import {
  DEFAULT_ALIGN_LOG2,
  DIGEST_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  FLAG_REQUIRED,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  HEADER_LENGTH,
  IDENT_RE,
  KEY_ID_RE,
  MAX_ALIGN_LOG2,
  MAX_CHUNK_LOG2,
  MAX_IDENT_LENGTH,
  MIN_CHUNK_LOG2,
  SIGNATURE_SECTION_NAME,
  align,
} from '../format/constants.js';
import { encodeHeader } from '../format/header.js';
import { chunkCount, encodeIndex, encodedEntryLength, type IndexEntry } from '../format/index-codec.js';
import { encodeManifest } from '../format/manifest-codec.js';
import { computeRootDigest } from '../format/root-digest.js';
import { encodeSignatureSection, signatureSectionLength } from '../format/signature-section.js';
import { hashBytes } from '../hash.js';

/** One section given to the builder. */
export interface SectionInput {
  name: string;
  kind: Exclude<SectionKind, 'signature'>;
  data: Uint8Array;
  /** Explicit id (u32). Default: the smallest positive id not taken, in insertion order. */
  id?: number;
  /** Required sections are always loaded, whatever the profile says. */
  required?: boolean;
  hosts?: readonly string[];
  features?: readonly string[];
  locales?: readonly string[];
  /** Higher loads first when the byte budget is tight (i32). */
  priority?: number;
  /** Names or ids of sections this one needs. */
  dependsOn?: readonly (string | number)[];
  /** Per-chunk digests for Range-verifiable partial reads: a power of two, 4 KiB..1 GiB. */
  chunkSize?: number;
  /** Informational flag bits 8–15 (ignored by readers). */
  infoFlags?: number;
}

export interface BuildOptions {
  digest: DigestProvider;
  /** Zero signers: an unsigned artifact (no signature section). */
  signers?: readonly Signer[];
}

export interface BuilderOptions {
  /** Section alignment in bytes: a power of two, 1..4096. Default 8. */
  alignment?: number;
  /** Optional (non-critical) header flags. */
  optionalFlags?: number;
}

/**
 * Builds BuF v1 artifacts. The same manifest, sections (in the same order), options and signing keys
 * always give the same bytes: selector lists are sorted, ids are assigned deterministically, and
 * ed25519 signatures are deterministic.
 */
export class BufBuilder {
  readonly #manifest: Manifest;
  readonly #sections: SectionInput[] = [];
  readonly #alignment: number;
  readonly #optionalFlags: number;

  constructor(manifest: Manifest, options: BuilderOptions = {}) {
    this.#manifest = manifest;
    const alignment = options.alignment ?? 2 ** DEFAULT_ALIGN_LOG2;
    const log2 = Math.log2(alignment);
    if (!Number.isInteger(log2) || log2 < 0 || log2 > MAX_ALIGN_LOG2) {
      throw invalid('alignment', `a power of two 1..${2 ** MAX_ALIGN_LOG2}`, String(alignment));
    }
    this.#alignment = alignment;
    this.#optionalFlags = options.optionalFlags ?? 0;
    if (!Number.isInteger(this.#optionalFlags) || this.#optionalFlags < 0 || this.#optionalFlags > 0xffffffff) {
      throw invalid('optionalFlags', 'a u32', String(options.optionalFlags));
    }
  }

  addSection(section: SectionInput): this {
    this.#sections.push(section);
    return this;
  }

  async build(options: BuildOptions): Promise<Uint8Array> {
    const signers = options.signers ?? [];
    const manifestBytes = encodeManifest(this.#manifest);
    const entries = await this.#entries(options.digest);
    const keyIds = signers.map((s) => s.keyId);
    validateSigners(signers);

    if (signers.length) {
      const used = new Set(entries.map((e) => e.id));
      let id = 1;
      while (used.has(id)) id++;
      entries.push({
        id,
        kind: 'signature',
        name: SIGNATURE_SECTION_NAME,
        required: false,
        hosts: [],
        features: [],
        locales: [],
        priority: 0,
        dependsOn: [],
        offset: 0,
        storedLength: signatureSectionLength(keyIds),
        rawLength: signatureSectionLength(keyIds),
        digest: new Uint8Array(DIGEST_LENGTH),
        chunkSize: 0,
        flags: 0,
        compression: 0,
        chunkDigests: new Uint8Array(0),
      });
    }

    // The index length does not depend on offset values (fixed-width fields), so lay out first.
    let indexLength = 8;
    for (const e of entries) indexLength += encodedEntryLength(e);
    const manifestOffset = HEADER_LENGTH;
    const indexOffset = align(manifestOffset + manifestBytes.length, this.#alignment);
    let end = indexOffset + indexLength;
    for (const e of entries) {
      e.offset = align(end, this.#alignment);
      end = e.offset + e.storedLength;
    }
    if (end > Number.MAX_SAFE_INTEGER) throw invalid('total size', 'at most 2^53 - 1 bytes', String(end));
    const indexBytes = encodeIndex(entries);
    const header = encodeHeader({
      formatMajor: FORMAT_MAJOR,
      formatMinor: FORMAT_MINOR,
      criticalFlags: 0,
      optionalFlags: this.#optionalFlags,
      alignment: this.#alignment,
      totalLength: end,
      manifestOffset,
      manifestLength: manifestBytes.length,
      indexOffset,
      indexLength: indexBytes.length,
      headerLength: HEADER_LENGTH,
    });

    const out = new Uint8Array(end);
    out.set(header, 0);
    out.set(manifestBytes, manifestOffset);
    out.set(indexBytes, indexOffset);
    const bodies = this.#sections.map((s) => s.data);
    entries.forEach((e, i) => {
      if (e.kind !== 'signature') out.set(bodies[i]!, e.offset);
    });
    if (signers.length) {
      const root = await computeRootDigest(options.digest, header, manifestBytes, indexBytes);
      const signatures: SignatureRecord[] = [];
      for (const s of signers) {
        const sig = await s.sign(root);
        if (!(sig instanceof Uint8Array) || sig.length !== ED25519_SIGNATURE_LENGTH) {
          throw invalid(`signature from ${s.keyId}`, `${ED25519_SIGNATURE_LENGTH} bytes`, String(sig?.length));
        }
        signatures.push({ keyId: s.keyId, algorithm: 'ed25519', signature: sig });
      }
      const sigEntry = entries[entries.length - 1]!;
      out.set(encodeSignatureSection({ rootDigest: root, signatures }), sigEntry.offset);
    }
    return out;
  }

  async #entries(digest: DigestProvider): Promise<IndexEntry[]> {
    const explicit = new Set<number>();
    for (const s of this.#sections) {
      if (s.id === undefined) continue;
      if (!Number.isInteger(s.id) || s.id < 0 || s.id > 0xffffffff)
        throw invalid(`id of ${s.name}`, 'a u32', String(s.id));
      if (explicit.has(s.id)) throw invalid(`id of ${s.name}`, 'a unique id', `duplicate ${s.id}`);
      explicit.add(s.id);
    }
    const ids: number[] = [];
    let next = 1;
    for (const s of this.#sections) {
      if (s.id !== undefined) {
        ids.push(s.id);
        continue;
      }
      while (explicit.has(next)) next++;
      ids.push(next);
      explicit.add(next);
    }
    const idSet = new Set(ids);
    const byName = new Map<string, number>();
    this.#sections.forEach((s, i) => {
      checkIdent(`section name`, s.name);
      if (byName.has(s.name)) throw invalid('section name', 'unique names', `duplicate ${JSON.stringify(s.name)}`);
      byName.set(s.name, ids[i]!);
    });
    const entries: IndexEntry[] = [];
    for (let i = 0; i < this.#sections.length; i++) {
      const s = this.#sections[i]!;
      if (!(s.data instanceof Uint8Array)) throw invalid(`data of ${s.name}`, 'a Uint8Array', typeof s.data);
      if (!['code', 'data', 'assets', 'custom'].includes(s.kind)) {
        throw invalid(`kind of ${s.name}`, 'code, data, assets or custom', String(s.kind));
      }
      const priority = s.priority ?? 0;
      if (!Number.isInteger(priority) || priority < -0x80000000 || priority > 0x7fffffff) {
        throw invalid(`priority of ${s.name}`, 'an i32', String(priority));
      }
      const infoFlags = s.infoFlags ?? 0;
      if (!Number.isInteger(infoFlags) || infoFlags < 0 || infoFlags > 0xff) {
        throw invalid(`infoFlags of ${s.name}`, '0..255', String(infoFlags));
      }
      const lists = (label: string, l: readonly string[] | undefined): string[] => {
        const out = [...new Set(l ?? [])].sort();
        for (const v of out) checkIdent(`${label} of ${s.name}`, v);
        if (out.length > 0xffff) throw invalid(`${label} of ${s.name}`, 'at most 65535 values', String(out.length));
        return out;
      };
      const deps = [
        ...new Set(
          (s.dependsOn ?? []).map((d) => {
            const id = typeof d === 'number' ? d : byName.get(d);
            if (id === undefined || (typeof d === 'number' && !idSet.has(d))) {
              throw invalid(`dependsOn of ${s.name}`, 'names or ids of sections in this artifact', JSON.stringify(d));
            }
            if (id === ids[i]) throw invalid(`dependsOn of ${s.name}`, 'no self-dependency', JSON.stringify(d));
            return id;
          }),
        ),
      ].sort((a, b) => a - b);
      if (deps.length > 0xffff) throw invalid(`dependsOn of ${s.name}`, 'at most 65535', String(deps.length));
      const chunkSize = s.chunkSize ?? 0;
      if (chunkSize !== 0) {
        const log2 = Math.log2(chunkSize);
        if (!Number.isInteger(log2) || log2 < MIN_CHUNK_LOG2 || log2 > MAX_CHUNK_LOG2) {
          throw invalid(
            `chunkSize of ${s.name}`,
            `0 or a power of two 2^${MIN_CHUNK_LOG2}..2^${MAX_CHUNK_LOG2}`,
            String(chunkSize),
          );
        }
      }
      const effectiveChunk = s.data.length === 0 ? 0 : chunkSize;
      const n = chunkCount(s.data.length, effectiveChunk);
      const chunkDigests = new Uint8Array(n * DIGEST_LENGTH);
      for (let c = 0; c < n; c++) {
        const part = s.data.subarray(c * effectiveChunk, Math.min(s.data.length, (c + 1) * effectiveChunk));
        chunkDigests.set(await hashBytes(digest, part), c * DIGEST_LENGTH);
      }
      const sectionDigest = n ? await hashBytes(digest, chunkDigests) : await hashBytes(digest, s.data);
      entries.push({
        id: ids[i]!,
        kind: s.kind,
        name: s.name,
        required: s.required === true,
        hosts: lists('hosts', s.hosts),
        features: lists('features', s.features),
        locales: lists('locales', s.locales),
        priority,
        dependsOn: deps,
        offset: 0,
        storedLength: s.data.length,
        rawLength: s.data.length,
        digest: sectionDigest,
        chunkSize: effectiveChunk,
        flags: (s.required ? FLAG_REQUIRED : 0) | (infoFlags << 8),
        compression: 0,
        chunkDigests,
      });
    }
    checkAcyclic(entries);
    const entry = entries.find((e) => e.name === this.#manifest.entry?.section);
    if (entry?.kind !== 'code') {
      throw invalid(
        'manifest entry',
        `a code section named ${JSON.stringify(this.#manifest.entry?.section)}`,
        entry ? `a ${entry.kind} section` : 'no such section',
      );
    }
    return entries;
  }
}

/** The builder refuses to write what the loader would reject: a dependency cycle. */
function checkAcyclic(entries: readonly IndexEntry[]): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const state = new Map<number, 1 | 2>();
  for (const root of entries) {
    if (state.has(root.id)) continue;
    const stack: { id: number; next: number }[] = [{ id: root.id, next: 0 }];
    state.set(root.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top.id)!.dependsOn;
      if (top.next < deps.length) {
        const d = deps[top.next++]!;
        if (state.get(d) === 1) {
          const names = [
            ...stack.slice(stack.findIndex((f) => f.id === d)).map((f) => byId.get(f.id)!.name),
            byId.get(d)!.name,
          ];
          throw invalid('dependsOn', 'an acyclic dependency graph', `cycle ${names.join(' → ')}`);
        }
        if (!state.has(d)) {
          state.set(d, 1);
          stack.push({ id: d, next: 0 });
        }
      } else {
        state.set(top.id, 2);
        stack.pop();
      }
    }
  }
}

function invalid(field: string, expected: string, found: string) {
  return loaderError('LOADER_BUILD_INVALID', 'build', { what: `building a BuF (${field})`, expected, found });
}

function checkIdent(field: string, v: string): void {
  if (typeof v !== 'string' || v.length > MAX_IDENT_LENGTH || !IDENT_RE.test(v)) {
    throw invalid(field, `an identifier of [A-Za-z0-9_.:/@+-], 1..${MAX_IDENT_LENGTH} chars`, JSON.stringify(v));
  }
}

function validateSigners(signers: readonly Signer[]): void {
  const seen = new Set<string>();
  for (const s of signers) {
    if (typeof s.keyId !== 'string' || s.keyId.length > MAX_IDENT_LENGTH || !KEY_ID_RE.test(s.keyId)) {
      throw invalid('signer keyId', 'printable ASCII, 1..255 chars', JSON.stringify(s.keyId));
    }
    if (s.algorithm !== 'ed25519') throw invalid(`signer ${s.keyId}`, 'algorithm ed25519', String(s.algorithm));
    if (seen.has(s.keyId)) throw invalid('signers', 'distinct key ids', `duplicate ${s.keyId}`);
    seen.add(s.keyId);
  }
  if (signers.length > 0xffff) throw invalid('signers', 'at most 65535', String(signers.length));
}

/** Builds an artifact in one call. */
export function packBuf(
  manifest: Manifest,
  sections: readonly SectionInput[],
  options: BuildOptions & BuilderOptions,
): Promise<Uint8Array> {
  const b = new BufBuilder(manifest, options);
  for (const s of sections) b.addSection(s);
  return b.build(options);
}

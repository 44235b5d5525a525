import {
  emitEvent,
  type BufSource,
  type DigestProvider,
  type EventSink,
  type LoaderPhaseName,
} from '@fayger/contracts';
import { bytesEqual, hex, loaderError } from './errors.js';
import { DIGEST_LENGTH, align } from './format/constants.js';
import type { IndexEntry } from './format/index-codec.js';
import { hashBytes } from './hash.js';
import { now, readExact } from './phases/context.js';
import { checkZero } from './phases/verify-structure.js';

/**
 * Reads section bodies and verifies them before anyone sees them: the body and the alignment padding
 * that follows it (which must be zero), then the digest (or every chunk digest). Shared by the eager
 * read-bodies phase and lazy first access.
 */
export class SectionReader {
  constructor(
    private readonly source: BufSource,
    private readonly size: number,
    private readonly digest: DigestProvider,
    private readonly alignment: number,
    private readonly events?: EventSink,
  ) {}

  async read(e: IndexEntry, phase: LoaderPhaseName, signal?: AbortSignal): Promise<Uint8Array> {
    const t0 = now();
    // verify-structure proved the next region starts at the aligned end (the file ends at the last one).
    const padEnd = Math.min(align(e.offset + e.storedLength, this.alignment), this.size);
    const bytes = await readExact(
      this.source,
      this.size,
      e.offset,
      padEnd - e.offset,
      phase,
      `reading section ${e.id} (${e.name})`,
      signal,
    );
    checkZero(bytes, e.storedLength, bytes.length, `after section ${e.id} (${e.name})`, e.offset, phase);
    const body = bytes.subarray(0, e.storedLength);
    if (e.chunkSize === 0) {
      const d = await hashBytes(this.digest, body);
      if (!bytesEqual(d, e.digest)) throw this.#mismatch(e, phase, e.digest, d, 'section');
    } else {
      await this.#verifyChunks(e, body, 0, phase);
    }
    if (this.events) {
      emitEvent(
        this.events,
        'loader.section.read',
        { sectionId: String(e.id), name: e.name, bytes: padEnd - e.offset, durationMs: now() - t0, shared: false },
        { phase },
      );
    }
    return body;
  }

  /** Reads and verifies only the chunks covering [offset, offset+length) of a chunked section. */
  async readRange(
    e: IndexEntry,
    offset: number,
    length: number,
    phase: LoaderPhaseName,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const cs = e.chunkSize;
    const first = Math.floor(offset / cs);
    const last = Math.max(first, Math.ceil((offset + length) / cs) - 1);
    const start = first * cs;
    const end = Math.min(e.storedLength, (last + 1) * cs);
    const bytes = await readExact(
      this.source,
      this.size,
      e.offset + start,
      end - start,
      phase,
      `reading chunks ${first}..${last} of section ${e.id} (${e.name})`,
      signal,
    );
    await this.#verifyChunks(e, bytes, first, phase);
    return bytes.subarray(offset - start, offset - start + length);
  }

  async #verifyChunks(e: IndexEntry, bytes: Uint8Array, firstChunk: number, phase: LoaderPhaseName): Promise<void> {
    const cs = e.chunkSize;
    for (let p = 0, c = firstChunk; p < bytes.length; p += cs, c++) {
      const d = await hashBytes(this.digest, bytes.subarray(p, Math.min(bytes.length, p + cs)));
      const want = e.chunkDigests.subarray(c * DIGEST_LENGTH, (c + 1) * DIGEST_LENGTH);
      if (!bytesEqual(d, want)) throw this.#mismatch(e, phase, want, d, `chunk ${c} of section`);
    }
  }

  #mismatch(e: IndexEntry, phase: LoaderPhaseName, want: Uint8Array, got: Uint8Array, what: string) {
    return loaderError('LOADER_SECTION_DIGEST_MISMATCH', phase, {
      what: `verifying ${what} ${e.id} (${e.name})`,
      expected: `digest ${hex(want)}`,
      found: hex(got),
      details: { id: e.id, name: e.name },
    });
  }
}

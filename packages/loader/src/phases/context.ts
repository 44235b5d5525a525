import type {
  BufSource,
  LoadOptions,
  LoaderPhaseName,
  Manifest,
  NegotiatedVersion,
  SelectionReport,
  SignatureCheckResult,
} from '@fayger/contracts';
import { FaygerError, openEventSpan, type EventSpan, type LoaderPhase } from '@fayger/contracts';
import { loaderError, throwIfAborted } from '../errors.js';
import type { DecodedHeader } from '../format/header.js';
import type { IndexEntry } from '../format/index-codec.js';
import type { SignatureSection } from '../format/signature-section.js';

/** State threaded through the phases of one load. Dropped after hand-off. */
export interface LoadContext {
  source: BufSource;
  options: LoadOptions;
  label: string;
  size: number;
  headerBytes: Uint8Array;
  header: DecodedHeader;
  /** Bytes [headerLength, firstSectionOffset): manifest, padding, index, padding. */
  region: Uint8Array;
  manifestBytes: Uint8Array;
  indexBytes: Uint8Array;
  manifest: Manifest;
  /** All index entries, signature entry included. */
  entries: IndexEntry[];
  signatureEntry?: IndexEntry;
  /** Non-signature sections by id and by name (built once in verify-structure, reused by later phases). */
  byId: Map<number, IndexEntry>;
  byName: Map<string, IndexEntry>;
  signatureSectionBytes?: Uint8Array;
  signatureSection?: SignatureSection;
  rootDigest: Uint8Array;
  trust: SignatureCheckResult;
  version: NegotiatedVersion;
  selection: SelectionReport;
  bodies: Map<number, Uint8Array>;
  /** Bytes requested from the source so far (events). */
  counter?: { bytes: number };
  /** The load's span: each phase's events form a child span of it. */
  span?: EventSpan;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Runs one phase: start/end (or error) events with timing, abort check, and phase-tagged errors. A throw
 * that is not a FaygerError is a loader bug; it still leaves as a FaygerError (INTERNAL) naming the phase.
 */
export async function runPhase<T>(
  ctx: Pick<LoadContext, 'options' | 'label' | 'counter' | 'span'>,
  phase: LoaderPhaseName,
  fn: () => Promise<T> | T,
): Promise<T> {
  const events = ctx.options.events;
  const t0 = now();
  const bytes0 = ctx.counter?.bytes ?? 0;
  const span = ctx.span ? ctx.span.child() : openEventSpan(events);
  if (events) span.emit('loader.phase.start', { phase: contractPhase(phase) }, { phase });
  try {
    throwIfAborted(ctx.options.signal, phase, `loading ${ctx.label}`);
    const result = await fn();
    const t1 = now();
    const bytes = (ctx.counter?.bytes ?? 0) - bytes0;
    if (events)
      span.emit(
        'loader.phase.end',
        { phase: contractPhase(phase), durationMs: t1 - t0, ...(bytes ? { bytes } : {}) },
        { phase },
      );
    return result;
  } catch (err) {
    const e = FaygerError.is(err)
      ? err
      : new FaygerError({
          code: 'INTERNAL',
          phase,
          what: `loader phase ${phase}`,
          found: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          cause: err,
        });
    const t1 = now();
    if (events)
      span.emit(
        'loader.phase.error',
        { phase: contractPhase(phase), durationMs: t1 - t0, error: e.toJSON() },
        { phase },
      );
    throw e;
  }
}

export { now };

/**
 * The contract's loader phase for a phase name: lazy first reads after hand-off ('section-read') read bodies,
 * so they report as 'read-bodies'; the envelope's `phase` keeps the precise name.
 */
export function contractPhase(phase: LoaderPhaseName): LoaderPhase {
  return phase === 'section-read' ? 'read-bodies' : phase;
}

/**
 * Reads exactly [offset, offset + length) from a source whose size is known. The range is checked against
 * the size before the source is asked, and the answer is checked to be exactly that many bytes.
 */
export async function readExact(
  source: BufSource,
  size: number,
  offset: number,
  length: number,
  phase: LoaderPhaseName,
  what: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > size
  ) {
    throw loaderError('LOADER_TRUNCATED', phase, {
      what,
      expected: `a range inside the ${size}-byte source`,
      found: `offset ${offset}, length ${length}`,
    });
  }
  if (length === 0) return new Uint8Array(0);
  let bytes: Uint8Array;
  try {
    bytes = await source.read(offset, length, signal);
  } catch (err) {
    if (FaygerError.is(err)) throw err;
    throw loaderError('LOADER_SOURCE_IO', phase, {
      what: `${what} from ${source.describe()}`,
      found: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      cause: err,
    });
  }
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw loaderError('LOADER_SOURCE_SHORT_READ', phase, {
      what: `${what} from ${source.describe()}`,
      expected: `${length} bytes at offset ${offset}`,
      found: bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes,
    });
  }
  return bytes;
}

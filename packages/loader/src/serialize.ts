import { FaygerError, type LoadedBuf } from '@fayger/contracts';
import { INTERNALS, type LoadedInternals } from './phases/hand-off.js';

/**
 * Writes a loaded artifact back to bytes. Every section (selected or not) is read and verified again;
 * the result is byte-identical to the artifact that was loaded (the format admits one encoding).
 */
export async function serializeBuf(loaded: LoadedBuf, signal?: AbortSignal): Promise<Uint8Array> {
  const internals = (loaded as unknown as Record<symbol, LoadedInternals | undefined>)[INTERNALS];
  if (!internals) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'serialize',
      what: 'serializing a LoadedBuf',
      expected: 'a LoadedBuf returned by loadBuf of this package',
      found: 'another object',
    });
  }
  const out = new Uint8Array(internals.totalLength);
  out.set(internals.headerBytes, 0);
  out.set(internals.region, internals.manifestOffset);
  for (const e of internals.entries) {
    if (e.kind === 'signature') {
      if (internals.signatureSectionBytes) out.set(internals.signatureSectionBytes, e.offset);
      continue;
    }
    out.set(loaded.has(e.id) ? await loaded.section(e.id, signal) : await internals.reader.read(e, 'section-read', signal), e.offset);
  }
  return out;
}

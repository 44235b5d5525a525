import { FaygerError, type LoadedBuf } from '@fayger/contracts';
import { BufBuilder } from './builder/builder.js';
import { INTERNALS, type LoadedInternals } from './phases/hand-off.js';

/**
 * Writes a loaded artifact back to bytes. Every section (selected or not) is read and verified again;
 * the result is byte-identical to the artifact that was loaded (the format admits one encoding).
 */
function internalsOf(loaded: LoadedBuf): LoadedInternals {
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
  return internals;
}

/**
 * A builder holding everything a loaded artifact was built from (manifest, alignment, optional flags, every
 * section with its id, flags, selectors, priority, dependencies and chunk size, bodies re-verified). Building
 * it with the same signers reproduces the artifact byte for byte; with other signers it re-signs it.
 */
export async function builderFromLoaded(loaded: LoadedBuf, signal?: AbortSignal): Promise<BufBuilder> {
  const internals = internalsOf(loaded);
  const b = new BufBuilder(loaded.manifest, {
    alignment: loaded.header.alignment,
    optionalFlags: loaded.header.optionalFlags,
  });
  for (const s of loaded.sections) {
    const e = internals.entries.find((x) => x.id === s.id)!;
    const data = loaded.has(s.id)
      ? await loaded.section(s.id, signal)
      : await internals.reader.read(e, 'section-read', signal);
    b.addSection({
      id: s.id,
      name: s.name,
      kind: s.kind as Exclude<typeof s.kind, 'signature'>,
      data,
      required: s.required,
      hosts: s.hosts,
      features: s.features,
      locales: s.locales,
      priority: s.priority,
      dependsOn: s.dependsOn,
      chunkSize: s.chunkSize,
      infoFlags: s.infoFlags,
    });
  }
  return b;
}

export async function serializeBuf(loaded: LoadedBuf, signal?: AbortSignal): Promise<Uint8Array> {
  const internals = internalsOf(loaded);
  const out = new Uint8Array(internals.totalLength);
  out.set(internals.headerBytes, 0);
  out.set(internals.region, internals.manifestOffset);
  for (const e of internals.entries) {
    if (e.kind === 'signature') {
      if (internals.signatureSectionBytes) out.set(internals.signatureSectionBytes, e.offset);
      continue;
    }
    out.set(
      loaded.has(e.id) ? await loaded.section(e.id, signal) : await internals.reader.read(e, 'section-read', signal),
      e.offset,
    );
  }
  return out;
}

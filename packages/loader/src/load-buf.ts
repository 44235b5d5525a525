import {
  FaygerError,
  openEventSpan,
  type BufSource,
  type LoadOptions,
  type LoadedBuf,
  type LoaderPhaseName,
} from '@fayger/contracts';
import { contractPhase, now, runPhase, type LoadContext } from './phases/context.js';
import { handOffPhase } from './phases/hand-off.js';
import { negotiateVersionPhase } from './phases/negotiate-version.js';
import { parsePhase } from './phases/parse.js';
import { readBodiesPhase } from './phases/read-bodies.js';
import { readPhase } from './phases/read.js';
import { resolveDependenciesPhase } from './phases/resolve-dependencies.js';
import { selectPhase } from './phases/select.js';
import { verifyDigestPhase } from './phases/verify-digest.js';
import { verifySignaturePhase } from './phases/verify-signature.js';
import { verifyStructurePhase } from './phases/verify-structure.js';
import { SectionReader } from './section-reader.js';

/**
 * Loads a BuF artifact: read → parse → verify-structure → verify-digest → verify-signature →
 * negotiate-version → select → resolve-dependencies → read-bodies (eager) → hand-off.
 * Every failure is a FaygerError tagged with its phase. Nothing is retained after the return.
 */
export async function loadBuf(source: BufSource, options: LoadOptions): Promise<LoadedBuf> {
  if (!source || typeof source.read !== 'function' || typeof source.size !== 'function') {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'read',
      what: 'calling loadBuf',
      expected: 'a BufSource',
      found: typeof source,
    });
  }
  if (!options?.digest) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'read',
      what: 'calling loadBuf',
      expected: 'options.digest (a DigestProvider)',
      found: 'none',
    });
  }
  const strategy = options.strategy ?? 'lazy';
  if (strategy !== 'lazy' && strategy !== 'eager') {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'read',
      what: 'reading LoadOptions.strategy',
      expected: "'eager' or 'lazy'",
      found: String(strategy),
    });
  }
  let label = 'source';
  try {
    label = String(source.describe?.() ?? 'source');
  } catch {
    // describe() is cosmetic; a throwing one must not change the outcome.
  }
  const counter = { bytes: 0 };
  // Counts bytes for the load/phase events; delegates everything else to the caller's source.
  const counted: BufSource = {
    size: (signal) => source.size(signal),
    read: (offset, length, signal) => {
      counter.bytes += length;
      return source.read(offset, length, signal);
    },
    describe: () => label,
  };
  const events = options.events;
  // One span per load; each phase is a child span (contracts' span helper sets the envelope ids).
  const span = openEventSpan(events);
  const ctx = { source: counted, options, label, bodies: new Map(), counter, span } as unknown as LoadContext;
  const t0 = now();
  if (events) span.emit('loader.load.start', { source: label, strategy });
  let phase: LoaderPhaseName = 'read';
  const step = <T>(p: LoaderPhaseName, fn: () => Promise<T> | T) => {
    phase = p;
    return runPhase(ctx, p, fn);
  };
  try {
    await step('read', () => readPhase(ctx));
    await step('parse', () => parsePhase(ctx));
    await step('verify-structure', () => verifyStructurePhase(ctx));
    await step('verify-digest', () => verifyDigestPhase(ctx));
    await step('verify-signature', () => verifySignaturePhase(ctx));
    await step('negotiate-version', () => negotiateVersionPhase(ctx));
    await step('select', () => selectPhase(ctx));
    await step('resolve-dependencies', () => resolveDependenciesPhase(ctx));
    const reader = new SectionReader(counted, ctx.size, options.digest, ctx.header.alignment, events);
    if (strategy === 'eager') await step('read-bodies', () => readBodiesPhase(ctx, reader));
    const loaded = await step('hand-off', () => handOffPhase(ctx, reader, strategy));
    if (events) {
      const selected = ctx.selection.loadOrder.length;
      const t1 = now();
      const names = new Map(ctx.selection.entries.map((e) => [e.id, e.name]));
      span.emit('loader.load.end', () => ({
        source: label,
        strategy,
        artifactId: ctx.manifest.id,
        durationMs: t1 - t0,
        bytesRead: counter.bytes,
        sectionsSelected: selected,
        sectionsSkipped: ctx.selection.entries.length - selected,
        version: ctx.manifest.version,
        publisher: ctx.manifest.publisher,
        keyIds: [...(ctx.trust?.verifiedKeyIds ?? [])],
        sections: ctx.selection.loadOrder.map((id) => names.get(id) ?? String(id)),
      }));
    }
    return loaded;
  } catch (err) {
    const t1 = now();
    if (events) {
      const error = FaygerError.is(err) ? err.toJSON() : { name: 'Error', message: String(err) };
      span.emit(
        'loader.load.error',
        { source: label, phase: contractPhase(phase), durationMs: t1 - t0, error },
        { phase },
      );
    }
    throw err;
  }
}

import { FaygerError, type BufSource, type LoadOptions, type LoadedBuf } from '@fayger/contracts';
import { runPhase, type LoadContext } from './phases/context.js';
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
    throw new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'read', what: 'calling loadBuf', expected: 'a BufSource', found: typeof source });
  }
  if (!options?.digest) {
    throw new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'read', what: 'calling loadBuf', expected: 'options.digest (a DigestProvider)', found: 'none' });
  }
  const strategy = options.strategy ?? 'lazy';
  if (strategy !== 'lazy' && strategy !== 'eager') {
    throw new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'read', what: 'reading LoadOptions.strategy', expected: "'eager' or 'lazy'", found: String(strategy) });
  }
  let label = 'source';
  try {
    label = String(source.describe?.() ?? 'source');
  } catch {
    // describe() is cosmetic; a throwing one must not change the outcome.
  }
  const ctx = { source, options, label, bodies: new Map() } as unknown as LoadContext;
  await runPhase(ctx, 'read', () => readPhase(ctx));
  await runPhase(ctx, 'parse', () => parsePhase(ctx));
  await runPhase(ctx, 'verify-structure', () => verifyStructurePhase(ctx));
  await runPhase(ctx, 'verify-digest', () => verifyDigestPhase(ctx));
  await runPhase(ctx, 'verify-signature', () => verifySignaturePhase(ctx));
  await runPhase(ctx, 'negotiate-version', () => negotiateVersionPhase(ctx));
  await runPhase(ctx, 'select', () => selectPhase(ctx));
  await runPhase(ctx, 'resolve-dependencies', () => resolveDependenciesPhase(ctx));
  const reader = new SectionReader(source, ctx.size, options.digest, ctx.entries, label, options.events);
  if (strategy === 'eager') await runPhase(ctx, 'read-bodies', () => readBodiesPhase(ctx, reader));
  return runPhase(ctx, 'hand-off', () => handOffPhase(ctx, reader, strategy));
}

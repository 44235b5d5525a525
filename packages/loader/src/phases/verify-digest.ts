import { bytesEqual, hex, loaderError } from '../errors.js';
import { chunkedSectionDigest, computeRootDigest } from '../format/root-digest.js';
import { decodeSignatureSection } from '../format/signature-section.js';
import { checkZero } from './verify-structure.js';
import { readExact, type LoadContext } from './context.js';

const PHASE = 'verify-digest';

/**
 * Phase verify-digest: the root digest over header, manifest and index; each chunked section's digest
 * against its chunk-digest list; then the signature section is read and its recorded root digest must
 * match. A mismatch here means the metadata was altered or mixed from another artifact.
 */
export async function verifyDigestPhase(ctx: LoadContext): Promise<void> {
  const digest = ctx.options.digest;
  ctx.rootDigest = await computeRootDigest(digest, ctx.headerBytes, ctx.manifestBytes, ctx.indexBytes);
  for (const e of ctx.entries) {
    if (e.chunkSize === 0) continue;
    const d = await chunkedSectionDigest(digest, e.chunkDigests);
    if (!bytesEqual(d, e.digest)) {
      throw loaderError('LOADER_SECTION_DIGEST_MISMATCH', PHASE, {
        what: `checking the chunk digests of section ${e.id} (${e.name})`,
        expected: `digest ${hex(e.digest)}`,
        found: `${hex(d)} over the chunk digest list`,
        details: { id: e.id, name: e.name },
      });
    }
  }
  const sig = ctx.signatureEntry;
  if (!sig) return;
  const entries = ctx.entries;
  const prev = entries.length > 1 ? entries[entries.length - 2]! : undefined;
  const padStart = prev ? prev.offset + prev.storedLength : ctx.header.indexOffset + ctx.header.indexLength;
  const bytes = await readExact(
    ctx.source,
    ctx.size,
    padStart,
    sig.offset + sig.storedLength - padStart,
    PHASE,
    'reading the signature section',
    ctx.options.signal,
  );
  checkZero(bytes, 0, sig.offset - padStart, 'before the signature section', padStart, PHASE);
  ctx.signatureSectionBytes = bytes.subarray(sig.offset - padStart);
  ctx.signatureSection = decodeSignatureSection(ctx.signatureSectionBytes, PHASE);
  if (!bytesEqual(ctx.signatureSection.rootDigest, ctx.rootDigest)) {
    throw loaderError('LOADER_ROOT_DIGEST_MISMATCH', PHASE, {
      what: 'checking the root digest',
      expected: `${hex(ctx.signatureSection.rootDigest)} (recorded in the signature section)`,
      found: `${hex(ctx.rootDigest)} over header, manifest and index`,
    });
  }
}

import { FaygerError, type SignatureCheckResult, type TrustVerifier } from '@fayger/contracts';
import { loaderError } from '../errors.js';
import type { LoadContext } from './context.js';

const PHASE = 'verify-signature';

/**
 * Phase verify-signature: the trust verifier checks the signatures over the root digest against trusted
 * roots, threshold, key scopes, expiry and rollback (`sequence`). `{ allowUnsigned: true }` skips the
 * check and reports the artifact as unsigned.
 */
export async function verifySignaturePhase(ctx: LoadContext): Promise<void> {
  const trust = ctx.options.trust;
  const signatures = ctx.signatureSection?.signatures ?? [];
  if (isAllowUnsigned(trust)) {
    ctx.trust = { verifiedKeyIds: [], threshold: 0, unsigned: true };
    return;
  }
  if (!trust || typeof (trust as TrustVerifier).verify !== 'function') {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: PHASE,
      what: 'reading LoadOptions.trust',
      expected: 'a TrustVerifier or { allowUnsigned: true }',
      found: typeof trust,
    });
  }
  const m = ctx.manifest;
  let result: SignatureCheckResult;
  try {
    result = await trust.verify({
      artifactId: m.id,
      publisher: m.publisher,
      sequence: m.security.sequence,
      ...(m.security.expires !== undefined ? { expires: m.security.expires } : {}),
      rootDigest: ctx.rootDigest,
      signatures,
      ...(ctx.options.now ? { now: ctx.options.now } : {}),
    });
  } catch (err) {
    if (FaygerError.is(err)) throw err;
    throw new FaygerError({
      code: 'INTERNAL',
      phase: PHASE,
      what: 'running the trust verifier',
      found: String(err),
      cause: err,
    });
  }
  // Defence in depth: an unsigned artifact passes only if the verifier explicitly said so.
  if (signatures.length === 0 && !(result?.unsigned === true)) {
    throw loaderError('LOADER_UNSIGNED', PHASE, {
      what: 'verifying the signature',
      expected: 'a signature section, or a trust policy that allows unsigned artifacts',
      found: 'no signature section',
    });
  }
  if (signatures.length > 0 && (!result || result.unsigned || result.verifiedKeyIds.length === 0)) {
    throw new FaygerError({
      code: 'INTERNAL',
      phase: PHASE,
      what: 'interpreting the trust verifier result',
      expected: 'at least one verified key id or a thrown SECURITY_* error',
      found: JSON.stringify(result),
    });
  }
  ctx.trust = result;
}

export function isAllowUnsigned(trust: unknown): trust is { allowUnsigned: true } {
  return (
    typeof trust === 'object' &&
    trust !== null &&
    (trust as { allowUnsigned?: unknown }).allowUnsigned === true &&
    typeof (trust as { verify?: unknown }).verify !== 'function'
  );
}

import {
  FaygerError,
  emitEvent,
  type DigestProvider,
  type EventSink,
  type LoadTrust,
  type SignatureCheckRequest,
  type TrustVerifier,
  type VersionStore,
} from '@fayger/contracts';
import { createTrustVerifier, type Ed25519Backend, type TrustPolicy, type TrustedRootsInput } from '@fayger/security';

/**
 * How a Fayger instance decides whether to trust an artifact.
 * - `{ roots, ... }`: a trusted-roots document (object, JSON text or parsed) and a policy;
 * - `{ verifier }`: any TrustVerifier the embedder built;
 * - `{ allowUnsigned: true }` alone: development only — accepts artifacts that carry no signature section.
 *   It is not "skip verification": a signature that is present is always verified, and with no trusted roots
 *   to verify it against it is refused (SECURITY_UNKNOWN_KEY), as a tampered or foreign signature must be.
 */
export type FaygerTrust =
  | {
      /**
       * The trusted roots: `{ version: 1, keys: [...] }` (the document `fayger keygen --roots` writes), its JSON
       * text or bytes, or `parseTrustedRoots(...)`'s result. Checked again at run time (SECURITY_ROOTS_INVALID).
       */
      roots: TrustedRootsInput;
      /** Distinct trusted keys required (default 1). */
      threshold?: number;
      /** Also accept artifacts without a signature section (signatures that are present are still checked, and a failing one is refused). */
      allowUnsigned?: boolean;
      /** Accept a manifest sequence lower than one recorded in the version store. */
      allowRollback?: boolean;
    }
  | { verifier: TrustVerifier }
  | { allowUnsigned: true };

const now = (): number => (globalThis.performance ? globalThis.performance.now() : Date.now());

/**
 * Builds the loader's trust option and wraps the verifier so each verdict is published as
 * `security.signature.verified` / `security.signature.rejected` (the verifier itself holds no event sink).
 */
export function buildTrust(
  trust: FaygerTrust,
  deps: { digest: DigestProvider; ed25519?: Ed25519Backend; versionStore?: VersionStore; events: EventSink },
): LoadTrust {
  let verifier: TrustVerifier;
  if ('verifier' in trust) verifier = trust.verifier;
  else if ('roots' in trust) {
    const policy: TrustPolicy = {
      ...(trust.threshold !== undefined ? { threshold: trust.threshold } : {}),
      ...(trust.allowUnsigned ? { allowUnsigned: true } : {}),
      ...(trust.allowRollback ? { allowRollback: true } : {}),
    };
    verifier = createTrustVerifier({
      roots: trust.roots,
      policy,
      digest: deps.digest,
      ...(deps.ed25519 ? { ed25519: deps.ed25519 } : {}),
      ...(deps.versionStore ? { versionStore: deps.versionStore } : {}),
    });
  } else if (trust && (trust as { allowUnsigned?: unknown }).allowUnsigned === true) {
    // No trusted roots: an artifact without a signature section is accepted (reported unsigned); any present
    // signature is checked against the empty roots and so refused, never waved through as "unsigned".
    verifier = createTrustVerifier({
      roots: { version: 1, keys: [] },
      policy: { allowUnsigned: true },
      digest: deps.digest,
      ...(deps.ed25519 ? { ed25519: deps.ed25519 } : {}),
    });
  } else {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'configure',
      what: 'configuring trust for createFayger',
      expected: '{ roots } (a trusted-roots document), { verifier }, or { allowUnsigned: true } for development',
      found: JSON.stringify(trust) ?? String(trust),
      hint: 'Pass the trusted roots your artifacts are signed for; `fayger keygen --roots` writes such a file.',
    });
  }
  const events = deps.events;
  return {
    async verify(request: SignatureCheckRequest) {
      const t0 = now();
      try {
        const result = await verifier.verify(request);
        emitEvent(events, 'security.signature.verified', {
          artifactId: request.artifactId,
          publisher: request.publisher,
          sequence: request.sequence,
          verifiedKeyIds: result.verifiedKeyIds,
          threshold: result.threshold,
          unsigned: result.unsigned,
          ...(result.previousSequence !== undefined ? { previousSequence: result.previousSequence } : {}),
          durationMs: now() - t0,
        });
        return result;
      } catch (err) {
        emitEvent(events, 'security.signature.rejected', {
          artifactId: request.artifactId,
          publisher: request.publisher,
          code: FaygerError.is(err) ? err.code : 'INTERNAL',
          reason: err instanceof Error ? err.message : String(err),
          durationMs: now() - t0,
        });
        throw err;
      }
    },
  };
}

import type { DigestProvider } from '@fayger/contracts';
import { ROOT_DOMAIN } from './constants.js';

/**
 * The root digest: SHA-256(domain ‖ header ‖ manifest ‖ index). The header fixes every length, so the
 * concatenation is unambiguous; the index holds every section digest, so this one value commits to all.
 */
export async function computeRootDigest(
  digest: DigestProvider,
  header: Uint8Array,
  manifest: Uint8Array,
  index: Uint8Array,
  domain: Uint8Array = ROOT_DOMAIN,
): Promise<Uint8Array> {
  if (digest.createHasher) {
    return digest.createHasher('sha256').update(domain).update(header).update(manifest).update(index).digest();
  }
  const all = new Uint8Array(domain.length + header.length + manifest.length + index.length);
  let p = 0;
  for (const part of [domain, header, manifest, index]) {
    all.set(part, p);
    p += part.length;
  }
  return digest.digest('sha256', all);
}

/** Digest of a chunked section: SHA-256 over the concatenated chunk digests. */
export function chunkedSectionDigest(digest: DigestProvider, chunkDigests: Uint8Array): Promise<Uint8Array> {
  return digest.digest('sha256', chunkDigests);
}

import type { DigestProvider } from '@fayger/contracts';
import { nodeCryptoFromHost, subtleFromHost } from '../host.js';
import { createNodeCryptoDigestProvider } from './node-crypto.js';
import { nobleDigestProvider } from './noble.js';
import { createWebCryptoDigestProvider } from './webcrypto.js';

let detected: DigestProvider | undefined;

/**
 * The fastest SHA-256 provider this host offers: node:crypto on Node, WebCrypto where only it exists
 * (with noble for sync/incremental hashing), noble otherwise (in-app JS engines without crypto.subtle).
 * All three give identical digests; pass a provider explicitly to override.
 */
export function detectDigestProvider(): DigestProvider {
  if (detected) return detected;
  const node = nodeCryptoFromHost();
  if (node) return (detected = createNodeCryptoDigestProvider(node));
  const subtle = subtleFromHost();
  if (subtle) return (detected = createWebCryptoDigestProvider({ subtle, syncFallback: nobleDigestProvider }));
  return (detected = nobleDigestProvider);
}

import { nodeCryptoFromHost, subtleFromHost } from '../host.js';
import type { Ed25519Backend } from './backend.js';
import { createNodeCryptoEd25519Backend } from './node-crypto.js';
import { nobleEd25519Backend } from './noble.js';
import { createWebCryptoEd25519Backend, webCryptoSupportsEd25519 } from './webcrypto.js';

let detected: Ed25519Backend | undefined;

/**
 * node:crypto on Node; otherwise WebCrypto when it implements Ed25519 (probed once, on first use);
 * otherwise noble. Every backend gives the same verdicts (see policy.ts).
 */
export function detectEd25519Backend(): Ed25519Backend {
  if (detected) return detected;
  const node = nodeCryptoFromHost();
  if (node) return (detected = createNodeCryptoEd25519Backend(node));
  const subtle = subtleFromHost();
  if (!subtle) return (detected = nobleEd25519Backend);
  let chosen: Promise<Ed25519Backend> | undefined;
  const pick = () =>
    (chosen ??= webCryptoSupportsEd25519(subtle).then((ok) =>
      ok ? createWebCryptoEd25519Backend(subtle) : nobleEd25519Backend,
    ));
  return (detected = {
    name: 'auto(webcrypto|noble)',
    async verify(publicKey, message, signature) {
      return (await pick()).verify(publicKey, message, signature);
    },
    async sign(secretKey, message) {
      return (await pick()).sign(secretKey, message);
    },
  });
}

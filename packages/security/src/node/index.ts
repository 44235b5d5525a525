// Node-only entry of @fayger/security: statically imports node:crypto and node:fs. Browser bundles use the
// main entry, which reaches node:crypto only at run time when it exists.
import * as nodeCrypto from 'node:crypto';
import type { DigestProvider } from '@fayger/contracts';
import type { Ed25519Backend } from '../ed25519/backend.js';
import { createNodeCryptoDigestProvider } from '../digest/node-crypto.js';
import { createNodeCryptoEd25519Backend, type NodeSignModule } from '../ed25519/node-crypto.js';

/** SHA-256 through node:crypto (OpenSSL). */
export const nodeDigestProvider: DigestProvider = createNodeCryptoDigestProvider(nodeCrypto);

/** Ed25519 through node:crypto (OpenSSL), under the same strict policy as every backend. */
export const nodeEd25519Backend: Ed25519Backend = createNodeCryptoEd25519Backend(
  nodeCrypto as unknown as NodeSignModule,
);

export { createFileVersionStore } from './file-version-store.js';

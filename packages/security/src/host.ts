import type { NodeHashModule } from './digest/node-crypto.js';
import type { NodeSignModule } from './ed25519/node-crypto.js';

/**
 * `node:crypto` when the host is Node (or a runtime exposing process.getBuiltinModule), without a static
 * import: browser bundles of the main entry must not pull `node:crypto`.
 */
export function nodeCryptoFromHost(): (NodeHashModule & NodeSignModule) | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    const mod = proc.getBuiltinModule('node:crypto') as (NodeHashModule & NodeSignModule) | undefined;
    return mod && typeof mod.createHash === 'function' && typeof mod.verify === 'function' ? mod : undefined;
  } catch {
    return undefined;
  }
}

export function subtleFromHost(): SubtleCrypto | undefined {
  const c = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto;
  return c?.subtle && typeof c.subtle.digest === 'function' ? c.subtle : undefined;
}

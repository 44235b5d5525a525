import { readFile } from 'node:fs/promises';
import type { LoadedBuf } from '@fayger/contracts';
import { loadBuf, MemorySource } from '@fayger/loader';
import { createTrustVerifier, detectDigestProvider, parseTrustedRoots } from '@fayger/security';

/**
 * Loads an example artifact the way a host would: every digest checked and at least one signature from a
 * key of `rootsFile` (the dev trusted roots) required. Throws the loader's FaygerError otherwise.
 */
export async function verifyExampleBuf(bufFile: string, rootsFile: string): Promise<LoadedBuf> {
  const [bytes, rootsText] = await Promise.all([readFile(bufFile), readFile(rootsFile, 'utf8')]);
  return loadBuf(new MemorySource(new Uint8Array(bytes)), {
    digest: detectDigestProvider(),
    trust: createTrustVerifier({ roots: parseTrustedRoots(rootsText), policy: { threshold: 1 } }),
    profile: { host: 'server' },
    strategy: 'eager',
    supportedInterfaceVersions: ['1.0.0'],
  });
}

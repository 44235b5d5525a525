import { resolve } from 'node:path';
import type { Signer } from '@fayger/contracts';
import { createEd25519Signer, parseSecretKeyFile } from '@fayger/security';
import { readText } from './io.js';

export async function loadSigners(cwd: string, keyFiles: string[]): Promise<Signer[]> {
  const signers: Signer[] = [];
  for (const f of keyFiles) {
    const path = resolve(cwd, f);
    const { secretKey } = parseSecretKeyFile(await readText(path));
    signers.push(createEd25519Signer(secretKey));
  }
  return signers;
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FaygerError, type Manifest, type Signer } from '@fayger/contracts';
import { artifactIdInScope, createEd25519Signer, parseSecretKeyFile, publisherInScope } from '@fayger/security';
import { readText } from './io.js';

/** A signer with what is known of its key's publisher scopes. */
export interface LoadedSigner {
  signer: Signer;
  file: string;
  /** From the key file, else from its `<prefix>.pub.json` entry beside it; undefined when neither says. */
  publishers: string[] | undefined;
}

/** The scopes in the trusted-roots entry `fayger keygen` wrote beside an older key file that lacks them. */
function siblingScopes(path: string, keyId: string): string[] | undefined {
  if (!path.endsWith('.key.json')) return undefined;
  const pub = `${path.slice(0, -'.key.json'.length)}.pub.json`;
  if (!existsSync(pub)) return undefined;
  try {
    const entry = JSON.parse(readFileSync(pub, 'utf8')) as { id?: unknown; publishers?: unknown };
    if (entry.id !== keyId || !Array.isArray(entry.publishers) || !entry.publishers.every((p) => typeof p === 'string'))
      return undefined;
    return entry.publishers as string[];
  } catch {
    return undefined;
  }
}

export async function loadSigners(cwd: string, keyFiles: string[]): Promise<LoadedSigner[]> {
  const signers: LoadedSigner[] = [];
  for (const f of keyFiles) {
    const path = resolve(cwd, f);
    const key = parseSecretKeyFile(await readText(path));
    signers.push({
      signer: createEd25519Signer(key.secretKey),
      file: path,
      publishers: key.publishers ?? siblingScopes(path, key.keyId),
    });
  }
  return signers;
}

/**
 * Refuses (CLI_KEY_OUT_OF_SCOPE) to sign an artifact whose publisher or id lies outside a key's publisher scopes:
 * every host that trusts the key as created would reject the signature (SECURITY_KEY_OUT_OF_SCOPE /
 * SECURITY_ID_OUT_OF_SCOPE), so the mistake is caught when signing rather than when verifying. `force` signs anyway.
 */
export function checkSignerScopes(
  command: string,
  signers: readonly LoadedSigner[],
  manifest: Pick<Manifest, 'id' | 'publisher'>,
  anyScope: boolean,
): void {
  if (anyScope) return;
  for (const s of signers) {
    if (!s.publishers) continue;
    const publisherOk = publisherInScope(manifest.publisher, s.publishers);
    const idOk = artifactIdInScope(manifest.id, s.publishers);
    if (publisherOk && idOk) continue;
    throw new FaygerError({
      code: 'CLI_KEY_OUT_OF_SCOPE',
      phase: command,
      what: `signing ${manifest.id} (publisher ${manifest.publisher}) with ${s.file}`,
      expected: `a publisher and id inside the key's scopes (${s.publishers.join(', ')})`,
      found: publisherOk ? `the id ${manifest.id} outside them` : `the publisher ${manifest.publisher} outside them`,
      details: {
        keyId: s.signer.keyId,
        keyFile: s.file,
        scopes: s.publishers,
        publisher: manifest.publisher,
        id: manifest.id,
      },
    });
  }
}

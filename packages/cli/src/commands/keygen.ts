import { chmod } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FaygerError } from '@fayger/contracts';
import {
  formatSecretKeyFile,
  generateEd25519KeyPair,
  parseTrustedRoots,
  trustedRootEntry,
  type TrustedRootsDocument,
} from '@fayger/security';
import { parse, parseDateOption, usage } from '../args.js';
import type { CliIo } from '../io.js';
import { exists, readText, writeFileAtomic } from '../io.js';
import { keygenHelp } from './keygen-help.js';

export { keygenHelp };

export async function keygen(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('keygen', args, {
    out: { type: 'string', short: 'o' },
    publisher: { type: 'string', short: 'p', multiple: true },
    'not-before': { type: 'string' },
    'not-after': { type: 'string' },
    roots: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(keygenHelp), 0);
  if (positionals.length) throw usage('keygen', `unexpected argument ${positionals[0]}`);
  const publishers = (values.publisher as string[] | undefined) ?? [];
  if (publishers.length === 0)
    throw usage('keygen', 'no --publisher', 'at least one --publisher scope (e.g. com.example.*)');
  const notBefore = parseDateOption('keygen', 'not-before', values['not-before'] as string | undefined);
  const notAfter = parseDateOption('keygen', 'not-after', values['not-after'] as string | undefined);
  const prefix = resolve(io.cwd, (values.out as string | undefined) ?? 'fayger');
  const keyFile = `${prefix}.key.json`;
  const pubFile = `${prefix}.pub.json`;
  if (!values.force) {
    for (const f of [keyFile, pubFile]) {
      if (await exists(f)) {
        throw new FaygerError({
          code: 'CLI_OUTPUT_EXISTS',
          phase: 'keygen',
          what: 'writing the key files',
          found: `${f} exists`,
          details: { path: f },
        });
      }
    }
  }

  const pair = generateEd25519KeyPair();
  let entry;
  try {
    entry = trustedRootEntry(pair.publicKey, {
      publishers,
      ...(notBefore ? { notBefore } : {}),
      ...(notAfter ? { notAfter } : {}),
    });
  } catch (err) {
    // A bad scope or date pattern is a command-line mistake, not a malformed file.
    if (FaygerError.is(err, 'SECURITY_ROOTS_INVALID')) throw usage('keygen', err.message);
    throw err;
  }
  await writeFileAtomic(keyFile, formatSecretKeyFile(pair.secretKey, { publishers }), 0o600);
  await chmod(keyFile, 0o600);
  await writeFileAtomic(pubFile, `${JSON.stringify(entry, null, 2)}\n`);

  let rootsFile: string | undefined;
  if (values.roots) {
    rootsFile = resolve(io.cwd, values.roots as string);
    let doc: TrustedRootsDocument = { version: 1, keys: [] };
    if (await exists(rootsFile)) {
      const text = await readText(rootsFile);
      parseTrustedRoots(text); // refuse to extend a malformed document
      doc = JSON.parse(text) as TrustedRootsDocument;
    }
    doc.keys.push(entry);
    parseTrustedRoots(doc);
    await writeFileAtomic(rootsFile, `${JSON.stringify(doc, null, 2)}\n`);
  }

  if (values.json) {
    io.stdout(`${JSON.stringify({ keyId: pair.keyId, keyFile, publicKeyFile: pubFile, rootsFile, entry }, null, 2)}\n`);
  } else {
    io.stdout(
      `key id      ${pair.keyId}\nsecret key  ${keyFile} (mode 0600 — keep it private)\npublic key  ${pubFile}\n`,
    );
    if (rootsFile) io.stdout(`added to    ${rootsFile}\n`);
    io.stdout(`\ntrusted-roots entry:\n${JSON.stringify(entry, null, 2)}\n`);
  }
  return 0;
}

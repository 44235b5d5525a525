import { resolve } from 'node:path';
import { createTrustVerifier, parseTrustedRoots, type TrustPolicy } from '@fayger/security';
import { createFileVersionStore } from '@fayger/security/node';
import { one, parse, parseDateOption, parseIntOption, usage } from '../args.js';
import { hex } from '../bytes.js';
import { openBuf, openRef, refOf, verifyAllSections } from '../buf-file.js';
import { readFileWithProgress, readText, type CliIo } from '../io.js';
import { verifyHelp } from './verify-help.js';

export { verifyHelp };

export async function verify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('verify', args, {
    roots: { type: 'string', short: 'r' },
    threshold: { type: 'string', short: 't' },
    'allow-unsigned': { type: 'boolean' },
    'allow-rollback': { type: 'boolean' },
    'version-store': { type: 'string' },
    now: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(verifyHelp), 0);
  const { ref: input, remote } = refOf(io.cwd, one('verify', positionals, 'artifact file or URL'));
  if (!values.roots) throw usage('verify', 'no --roots', '--roots <trusted-roots.json>');
  const threshold = parseIntOption('verify', 'threshold', values.threshold as string | undefined, 1);
  const now = parseDateOption('verify', 'now', values.now as string | undefined);

  const roots = parseTrustedRoots(await readText(resolve(io.cwd, values.roots as string)));
  const policy: TrustPolicy = {
    ...(threshold !== undefined ? { threshold } : {}),
    ...(values['allow-unsigned'] ? { allowUnsigned: true } : {}),
    ...(values['allow-rollback'] ? { allowRollback: true } : {}),
  };
  const versionStore = values['version-store']
    ? createFileVersionStore(resolve(io.cwd, values['version-store'] as string))
    : undefined;
  const verifier = createTrustVerifier({ roots, policy, ...(versionStore ? { versionStore } : {}) });

  const bytes = remote ? await readWhole(input) : await readFileWithProgress(io, input);
  const loaded = await openBuf(bytes, input, verifier, now);
  await verifyAllSections(loaded, bytes);

  const sig = loaded.signature;
  const result = {
    ok: true,
    file: input,
    id: loaded.manifest.id,
    version: loaded.manifest.version,
    publisher: loaded.manifest.publisher,
    sequence: loaded.manifest.security.sequence,
    unsigned: sig.result.unsigned,
    threshold: sig.result.threshold,
    verifiedKeyIds: sig.result.verifiedKeyIds,
    previousSequence: sig.result.previousSequence ?? null,
    rootDigest: hex(sig.rootDigest),
    sectionsVerified: loaded.sections.filter((s) => s.kind !== 'signature').length,
  };
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout(`OK ${result.id}@${result.version} (publisher ${result.publisher}, sequence ${result.sequence})\n`);
    io.stdout(
      result.unsigned
        ? 'unsigned — accepted because --allow-unsigned was given\n'
        : `signed by ${result.verifiedKeyIds.length} trusted key(s), threshold ${result.threshold}: ${result.verifiedKeyIds.join(', ')}\n`,
    );
    io.stdout(`${result.sectionsVerified} section digest(s) verified; root digest ${result.rootDigest}\n`);
  }
  return 0;
}

/** Every byte of a remote artifact (verify checks them all). */
async function readWhole(ref: string): Promise<Uint8Array> {
  const source = await openRef(ref);
  try {
    return await source.read(0, await source.size());
  } finally {
    await source.close?.();
  }
}

import { resolve } from 'node:path';
import { FaygerError } from '@fayger/contracts';
import { packBuf, type SectionInput } from '@fayger/loader';
import { detectDigestProvider } from '@fayger/security';
import { one, parse, usage } from '../args.js';
import { openBuf, verifyAllSections } from '../buf-file.js';
import { exists, readFileWithProgress, writeFileAtomic, type CliIo } from '../io.js';
import { checkSignerScopes, loadSigners } from '../signers.js';
import { signHelp } from './sign-help.js';

export { signHelp };

export async function sign(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('sign', args, {
    key: { type: 'string', short: 'k', multiple: true },
    out: { type: 'string', short: 'o' },
    replace: { type: 'boolean' },
    force: { type: 'boolean' },
    'any-scope': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(signHelp), 0);
  const input = resolve(io.cwd, one('sign', positionals, 'artifact file'));
  const keys = (values.key as string[] | undefined) ?? [];
  if (keys.length === 0) throw usage('sign', 'no --key', 'at least one --key <secret key file>');
  const out = values.out ? resolve(io.cwd, values.out as string) : input;
  if (values.out && !values.force && (await exists(out))) {
    throw new FaygerError({
      code: 'CLI_OUTPUT_EXISTS',
      phase: 'sign',
      what: 'writing the signed artifact',
      found: `${out} exists`,
      details: { path: out },
    });
  }
  const loadedSigners = await loadSigners(io.cwd, keys);
  const signers = loadedSigners.map((s) => s.signer);

  const original = await readFileWithProgress(io, input);
  // Integrity is checked here (root digest, every section); trust is the job of `fayger verify`.
  const loaded = await openBuf(original, input, { allowUnsigned: true });
  const verified = await verifyAllSections(loaded, original);
  checkSignerScopes('sign', loadedSigners, loaded.manifest, values['any-scope'] === true);

  const existing = loaded.signature.keyIds;
  const dropped = existing.filter((k) => !signers.some((s) => s.keyId === k));
  if (dropped.length && !values.replace) {
    throw new FaygerError({
      code: 'CLI_SIGNATURES_DROPPED',
      phase: 'sign',
      what: `signing ${input}`,
      expected: 'a --key for every existing signer, or --replace',
      found: `existing signature(s) by ${dropped.join(', ')} that would be dropped`,
      details: { dropped },
    });
  }

  const sections: SectionInput[] = loaded.sections
    .filter((s) => s.kind !== 'signature')
    .map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind as SectionInput['kind'],
      data: verified.subarray(s.offset, s.offset + s.storedLength),
      required: s.required,
      hosts: s.hosts,
      features: s.features,
      locales: s.locales,
      priority: s.priority,
      dependsOn: s.dependsOn,
      chunkSize: s.chunkSize,
    }));
  const bytes = await packBuf(loaded.manifest, sections, {
    digest: detectDigestProvider(),
    signers,
    alignment: loaded.header.alignment,
    optionalFlags: loaded.header.optionalFlags,
  });
  await writeFileAtomic(out, bytes);

  const result = { file: out, size: bytes.length, signedBy: signers.map((s) => s.keyId).sort(), dropped };
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout(
      `signed ${loaded.manifest.id}@${loaded.manifest.version} → ${out}\nsigned by ${result.signedBy.join(', ')}\n`,
    );
    if (dropped.length) io.stdout(`dropped signature(s) by ${dropped.join(', ')}\n`);
  }
  return 0;
}

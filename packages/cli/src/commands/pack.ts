import { isAbsolute, relative, resolve } from 'node:path';
import type { Manifest } from '@fayger/contracts';
import { packBuf, type SectionInput } from '@fayger/loader';
import { detectDigestProvider } from '@fayger/security';
import { parse, usage } from '../args.js';
import { formatSize } from '../bytes.js';
import { FaygerError } from '@fayger/contracts';
import { exists, readFileWithProgress, readText, writeFileAtomic, type CliIo } from '../io.js';
import { invalidConfig, parseManifestValue, parsePackConfig } from '../pack-config.js';
import { loadSigners } from '../signers.js';
import { packHelp } from './pack-help.js';

export { packHelp };

export async function pack(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('pack', args, {
    out: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    sign: { type: 'string', short: 'k', multiple: true },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return io.stdout(packHelp), 0;
  if (positionals.length !== 1) throw usage('pack', positionals.length ? positionals.join(' ') : 'no directory', 'exactly one directory');
  const dir = resolve(io.cwd, positionals[0]);
  const configFile = resolve(io.cwd, (values.config as string | undefined) ?? resolve(dir, 'fayger.pack.json'));
  const config = parsePackConfig(await readText(configFile), configFile);

  let manifest: Manifest;
  if (typeof config.manifest === 'string') {
    const mf = inside(dir, config.manifest, configFile, 'manifest');
    let value: unknown;
    try {
      value = JSON.parse(await readText(mf));
    } catch (err) {
      if (FaygerError.is(err)) throw err;
      throw invalidConfig(mf, '(document)', 'JSON', `unparsable text (${(err as Error).message})`);
    }
    manifest = parseManifestValue(value, mf);
  } else {
    manifest = parseManifestValue(config.manifest, configFile);
  }

  const sections: SectionInput[] = [];
  for (const [i, s] of config.sections.entries()) {
    const file = inside(dir, s.file, configFile, `sections[${i}].file`);
    const data = await readFileWithProgress(io, file, `reading ${s.file}`);
    sections.push({
      name: s.name,
      kind: s.kind,
      data,
      ...(s.required !== undefined ? { required: s.required } : {}),
      ...(s.hosts ? { hosts: s.hosts } : {}),
      ...(s.features ? { features: s.features } : {}),
      ...(s.locales ? { locales: s.locales } : {}),
      ...(s.priority !== undefined ? { priority: s.priority } : {}),
      ...(s.dependsOn ? { dependsOn: s.dependsOn } : {}),
      ...(s.chunkSize !== undefined ? { chunkSize: s.chunkSize } : {}),
    });
  }

  const out = resolve(io.cwd, (values.out as string | undefined) ?? `${manifest.id.replace(/[^A-Za-z0-9._-]/g, '_')}-${manifest.version}.buf`);
  if (!values.force && (await exists(out))) {
    throw new FaygerError({ code: 'CLI_OUTPUT_EXISTS', phase: 'pack', what: 'writing the artifact', found: `${out} exists`, details: { path: out } });
  }
  const signers = await loadSigners(io.cwd, (values.sign as string[] | undefined) ?? []);
  const bytes = await packBuf(manifest, sections, {
    digest: detectDigestProvider(),
    signers,
    ...(config.alignment !== undefined ? { alignment: config.alignment } : {}),
  });
  await writeFileAtomic(out, bytes);

  const result = { file: out, size: bytes.length, id: manifest.id, version: manifest.version, sections: sections.length, signedBy: signers.map((s) => s.keyId) };
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout(`packed ${manifest.id}@${manifest.version} → ${out} (${formatSize(bytes.length)}, ${sections.length} section(s))\n`);
    io.stdout(signers.length ? `signed by ${signers.map((s) => s.keyId).join(', ')}\n` : 'unsigned (use --sign or fayger sign)\n');
  }
  return 0;
}

/** Resolves a path from the config and refuses anything that escapes the pack directory. */
function inside(dir: string, path: string, configFile: string, fieldName: string): string {
  const full = resolve(dir, path);
  const rel = relative(dir, full);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw invalidConfig(configFile, fieldName, `a path inside ${dir}`, JSON.stringify(path));
  }
  return full;
}

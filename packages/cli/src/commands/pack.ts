import { constants } from 'node:fs';
import { readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Manifest } from '@fayger/contracts';
import { packBuf, type SectionInput } from '@fayger/loader';
import { detectDigestProvider } from '@fayger/security';
import { parse, usage } from '../args.js';
import { formatSize } from '../bytes.js';
import { FaygerError } from '@fayger/contracts';
import { exists, readFileWithProgress, readText, writeFileAtomic, type CliIo } from '../io.js';
import { invalidConfig, parseManifestValue, parsePackConfig } from '../pack-config.js';
import { checkSignerScopes, loadSigners } from '../signers.js';
import { packHelp } from './pack-help.js';

export { packHelp };

export async function pack(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('pack', args, {
    out: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    sign: { type: 'string', short: 'k', multiple: true },
    force: { type: 'boolean' },
    'any-scope': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(packHelp), 0);
  if (positionals.length !== 1)
    throw usage('pack', positionals.length ? positionals.join(' ') : 'no directory', 'exactly one directory');
  const dir = resolve(io.cwd, positionals[0]);
  const configFile = resolve(io.cwd, (values.config as string | undefined) ?? resolve(dir, 'fayger.pack.json'));
  const config = parsePackConfig(await readText(configFile), configFile);

  let manifest: Manifest;
  const realDir = await realpath(dir).catch((err: unknown) => {
    throw new FaygerError({
      code: 'CLI_IO',
      phase: 'pack',
      what: `opening the pack directory ${dir}`,
      found: (err as Error).message,
      cause: err,
      details: { path: dir },
    });
  });
  if (typeof config.manifest === 'string') {
    const mf = await insideReal(dir, realDir, config.manifest, 'manifest');
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(await readInside(io, realDir, mf, config.manifest, 'manifest')));
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
    const file = await insideReal(dir, realDir, s.file, `sections[${i}].file`);
    const data = await readInside(io, realDir, file, s.file, `sections[${i}].file`);
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

  const out = resolve(
    io.cwd,
    (values.out as string | undefined) ?? `${manifest.id.replace(/[^A-Za-z0-9._-]/g, '_')}-${manifest.version}.buf`,
  );
  if (!values.force && (await exists(out))) {
    throw new FaygerError({
      code: 'CLI_OUTPUT_EXISTS',
      phase: 'pack',
      what: 'writing the artifact',
      found: `${out} exists`,
      details: { path: out },
    });
  }
  const loadedSigners = await loadSigners(io.cwd, (values.sign as string[] | undefined) ?? []);
  checkSignerScopes('pack', loadedSigners, manifest, values['any-scope'] === true);
  const signers = loadedSigners.map((s) => s.signer);
  const bytes = await packBuf(manifest, sections, {
    digest: detectDigestProvider(),
    signers,
    ...(config.alignment !== undefined ? { alignment: config.alignment } : {}),
  });
  await writeFileAtomic(out, bytes);

  const result = {
    file: out,
    size: bytes.length,
    id: manifest.id,
    version: manifest.version,
    sections: sections.length,
    signedBy: signers.map((s) => s.keyId),
  };
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout(
      `packed ${manifest.id}@${manifest.version} → ${out} (${formatSize(bytes.length)}, ${sections.length} section(s))\n`,
    );
    io.stdout(
      signers.length
        ? `signed by ${signers.map((s) => s.keyId).join(', ')}\n`
        : 'unsigned (use --sign or fayger sign)\n',
    );
  }
  return 0;
}

function escapes(dir: string, path: string, fieldName: string, found: string): FaygerError {
  return new FaygerError({
    code: 'CLI_PACK_PATH_ESCAPES',
    phase: 'pack',
    what: `packing ${fieldName} ${JSON.stringify(path)}`,
    expected: `a regular file whose real path lies inside the pack directory ${dir}`,
    found,
    details: { field: fieldName, path },
  });
}

const isInside = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Resolves a path from the config and refuses anything whose real path leaves the pack directory: an absolute
 * path, `..`, or a symbolic link (at any component) that points out of it. Returns the real path.
 */
async function insideReal(dir: string, realDir: string, path: string, fieldName: string): Promise<string> {
  if (isAbsolute(path)) throw escapes(dir, path, fieldName, 'an absolute path');
  const full = resolve(dir, path);
  const rel = relative(dir, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw escapes(dir, path, fieldName, 'a path that climbs out of it with ..');
  let real: string;
  try {
    real = await realpath(full);
  } catch (err) {
    throw new FaygerError({
      code: 'CLI_IO',
      phase: 'io',
      what: `opening ${full}`,
      found: (err as Error).message,
      cause: err,
      details: { path: full, errno: (err as { code?: string }).code },
    });
  }
  if (!isInside(real, realDir) || real === realDir)
    throw escapes(dir, path, fieldName, `a symbolic link to ${real}, outside it`);
  return real;
}

/**
 * Reads a checked input without following a final symlink and without blocking on a special file, then
 * verifies on the open descriptor that it is a regular file still inside the pack directory (a link swapped in
 * after the check is caught).
 */
function readInside(io: CliIo, realDir: string, real: string, path: string, fieldName: string): Promise<Uint8Array> {
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  return readFileWithProgress(io, real, `reading ${path}`, {
    flags,
    check: async (fh: FileHandle) => {
      const st = await fh.stat();
      if (!st.isFile())
        throw escapes(
          realDir,
          path,
          fieldName,
          st.isDirectory() ? 'a directory' : 'a special file (FIFO, socket or device)',
        );
      if (process.platform === 'linux') {
        const actual = await readlink(`/proc/self/fd/${fh.fd}`).catch(() => undefined);
        if (actual !== undefined && !isInside(actual, realDir))
          throw escapes(realDir, path, fieldName, `${actual}, outside it`);
      } else {
        const again = await stat(real);
        if (again.dev !== st.dev || again.ino !== st.ino)
          throw escapes(realDir, path, fieldName, 'a file that changed while it was opened');
      }
    },
  });
}

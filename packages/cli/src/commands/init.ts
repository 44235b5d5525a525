import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FaygerError } from '@fayger/contracts';
import { parse, usage } from '../args.js';
import { initFiles, type InitLang } from '../init-templates.js';
import { writeFileAtomic, type CliIo } from '../io.js';
import { keygen } from './keygen.js';
import { initHelp } from './init-help.js';

export { initHelp };

/** The range the scaffold asks for: the release line of this CLI. */
const FAYGER_RANGE = '^0.1.0';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PUBLISHER = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

export async function init(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('init', args, {
    lang: { type: 'string' },
    publisher: { type: 'string', short: 'p' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(initHelp), 0);
  if (positionals.length > 1)
    throw usage('init', `${positionals.length} arguments (${positionals.join(' ')})`, 'at most one directory');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const lang = (values.lang as string | undefined) ?? 'as';
  if (lang !== 'as' && lang !== 'c')
    throw usage('init', `--lang ${JSON.stringify(lang)}`, '--lang as (AssemblyScript) or --lang c');
  const publisher = (values.publisher as string | undefined) ?? 'local.dev';
  if (!PUBLISHER.test(publisher)) {
    throw usage('init', `--publisher ${JSON.stringify(publisher)}`, 'a dotted lower-case name such as com.example');
  }
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!NAME.test(name)) {
    throw usage(
      'init',
      `directory name ${JSON.stringify(basename(dir))}`,
      'a directory whose name starts with a letter or digit (it names the app)',
    );
  }

  const existing = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  if (existing.length > 0 && !values.force) {
    throw new FaygerError({
      code: 'CLI_OUTPUT_EXISTS',
      phase: 'init',
      what: `scaffolding a project in ${dir}`,
      expected: 'an empty or missing directory',
      found: `${existing.length} entr${existing.length === 1 ? 'y' : 'ies'} (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''})`,
      hint: 'Name a new directory (`fayger init my-app`), or pass --force to write into this one.',
      details: { path: dir },
    });
  }

  const files = initFiles({ name, publisher, lang: lang as InitLang, faygerRange: FAYGER_RANGE });
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, text);
  }
  // The dev key: scoped to this publisher only, its public half in the project's trusted roots.
  const keyLog: string[] = [];
  const keyIo: CliIo = { ...io, stdout: (t) => void keyLog.push(t), stderr: (t) => void keyLog.push(t) };
  const keyArgs = [
    '-p',
    publisher,
    '-o',
    join(dir, '.fayger', 'dev'),
    '--roots',
    join(dir, '.fayger', 'trusted-roots.json'),
  ];
  const code = await keygen(values.force ? [...keyArgs, '--force'] : keyArgs, keyIo);
  if (code !== 0) return (io.stderr(keyLog.join('')), code);

  const written = [
    ...Object.keys(files),
    '.fayger/dev.key.json',
    '.fayger/dev.pub.json',
    '.fayger/trusted-roots.json',
  ].sort();
  if (values.json) {
    io.stdout(`${JSON.stringify({ ok: true, dir, name, lang, publisher, files: written }, null, 2)}\n`);
    return 0;
  }
  const rel = positionals[0] ?? '.';
  io.stdout(
    `Created ${lang === 'as' ? 'an AssemblyScript' : 'a C'} guest in ${dir}:\n${written.map((f) => `  ${f}`).join('\n')}\n\n` +
      `Next:\n  cd ${rel}\n  npm install\n  npm run build   # compile, pack, sign with .fayger/dev.key.json\n  npm start       # fayger run dist/${name}.buf --trusted-roots .fayger/trusted-roots.json\n`,
  );
  return 0;
}

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { packedPackages, tarballOverrides } from './packed.js';

// Issue #16: the declarations as users get them. A project outside the workspace installs the tarballs and
// compiles, with the workspace's TypeScript and skipLibCheck off (every shipped .d.ts is checked):
// - the README snippets of the packages below, as published (the README inside each tarball);
// - a file of type assertions (trusted roots are typed precisely);
// first with no @types/node anywhere (no ambient Node types may leak into public declarations, fayger/node
// included), then with @types/node for the snippets that use Node's own globals (process.stdout…).

const repoRoot = inject('repoRoot');
const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const project = mkdtempSync(join(tmpdir(), 'fayger-types-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/**
 * The README snippets compiled, by package: which ```ts block (0-based), what the snippet leaves to the reader
 * (declared here, never defined), and whether it uses Node's globals itself.
 */
const SNIPPETS: { pkg: string; block: number; prelude?: string; node?: boolean }[] = [
  { pkg: 'fayger', block: 0, node: false },
  { pkg: 'fayger', block: 1 },
  { pkg: 'fayger', block: 2 },
  { pkg: '@fayger/contracts', block: 0 },
  { pkg: '@fayger/adapter-core', block: 0 },
  { pkg: '@fayger/interpreter', block: 0, prelude: 'declare const bytes: Uint8Array;' },
  { pkg: '@fayger/wasm', block: 0, prelude: 'declare const bytes: Uint8Array;' },
  {
    pkg: '@fayger/runtime',
    block: 0,
    prelude: "import type { LoadedBuf } from '@fayger/contracts';\ndeclare const loaded: LoadedBuf;",
  },
  { pkg: '@fayger/cli', block: 0, node: true },
];

function snippet(pkg: string, block: number): string {
  const p = packedPackages().find((x) => x.name === pkg);
  if (!p) throw new Error(`${pkg} was not packed`);
  const readme = readFileSync(join(p.root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  if (!blocks[block]) throw new Error(`${pkg} README has no ts block ${block}`);
  return blocks[block]!;
}

const TRUST_TYPES = `import { createFayger, type TrustedRootsDocument } from 'fayger';
import { createNodeFayger, defaultStateDir } from 'fayger/node';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { parseTrustedRoots } from '@fayger/security';

const adapter = createMemoryAdapter();
const doc: TrustedRootsDocument = { version: 1, keys: [] };
createFayger({ adapter, trust: { roots: doc } });
createFayger({ adapter, trust: { roots: parseTrustedRoots(JSON.stringify(doc)) } });
createFayger({ adapter, trust: { roots: JSON.stringify(doc) } });
createFayger({ adapter, trust: { roots: new Uint8Array() } });
// @ts-expect-error a document of another version
createFayger({ adapter, trust: { roots: { version: 2, keys: [] } } });
// @ts-expect-error a key entry without its fields
createFayger({ adapter, trust: { roots: { version: 1, keys: [{ id: 'k' }] } } });
// @ts-expect-error not roots at all
createFayger({ adapter, trust: { roots: 42 } });
const env: Record<string, string | undefined> = {};
const dir: string = defaultStateDir(env);
createNodeFayger({ trust: { rootsFile: 'roots.json' }, stateDir: dir });
`;

function compile(files: string[], types: string[]): { status: number | null; out: string } {
  const config = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'],
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      types,
    },
    files,
  };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  const overrides = tarballOverrides();
  const wanted = [
    'fayger',
    '@fayger/contracts',
    '@fayger/adapter-core',
    '@fayger/security',
    '@fayger/interpreter',
    '@fayger/wasm',
    '@fayger/runtime',
    '@fayger/cli',
  ];
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'types-check',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(wanted.map((n) => [n, overrides[n]!])),
        overrides,
      },
      null,
      2,
    ),
  );
  const r = spawnSync(
    'npm',
    ['install', '--no-package-lock', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: project, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`npm install exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  SNIPPETS.forEach((s, i) =>
    writeFileSync(join(project, `snippet-${i}.ts`), `${s.prelude ?? ''}\n${snippet(s.pkg, s.block)}\nexport {};\n`),
  );
  writeFileSync(join(project, 'trust-types.ts'), `${TRUST_TYPES}\nexport {};\n`);
});

describe('declarations from the tarballs', () => {
  it('compile without @types/node: README snippets that use no Node global, fayger/node included, and precise trusted roots', () => {
    expect(existsSync(join(project, 'node_modules', '@types', 'node'))).toBe(false);
    const files = ['trust-types.ts', ...SNIPPETS.flatMap((s, i) => (s.node ? [] : [`snippet-${i}.ts`]))];
    const r = compile(files, []);
    expect(r.out).not.toMatch(/Cannot find namespace 'NodeJS'|Cannot find name 'Buffer'|Cannot find module 'node:/);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
    // The assertions can fail: without the @ts-expect-error lines' errors, tsc reports them unused.
    writeFileSync(
      join(project, 'loose.ts'),
      `import { createFayger } from 'fayger';\nimport { createMemoryAdapter } from '@fayger/adapter-core';\ncreateFayger({ adapter: createMemoryAdapter(), trust: { roots: { version: 2, keys: [] } } });\nexport {};\n`,
    );
    const loose = compile(['loose.ts'], []);
    expect(loose.status).not.toBe(0);
    expect(loose.out).toContain('loose.ts');
  });

  it('compile with @types/node: the snippets that use Node globals too', () => {
    mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
    symlinkSync(
      realpathSync(join(repoRoot, 'node_modules', '@types', 'node')),
      join(project, 'node_modules', '@types', 'node'),
      'dir',
    );
    const r = compile(['trust-types.ts', ...SNIPPETS.map((_, i) => `snippet-${i}.ts`)], ['node']);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('`npx fayger` runs the CLI wherever the fayger package is installed', () => {
    const viaNpx = spawnSync('npx', ['--no-install', 'fayger', '--version'], { cwd: project, encoding: 'utf8' });
    expect(viaNpx.status, viaNpx.stderr).toBe(0);
    expect(viaNpx.stdout).toMatch(/^fayger \d+\.\d+\.\d+/);
    // fayger's own bin delegates to the installed @fayger/cli…
    const own = spawnSync(
      process.execPath,
      [join(project, 'node_modules', 'fayger', 'bin', 'fayger.js'), '--version'],
      { cwd: project, encoding: 'utf8' },
    );
    expect(own.status, own.stderr).toBe(0);
    expect(own.stdout).toBe(viaNpx.stdout);
    // …and without one says how to install it (the npm exec fetch turned off).
    const alone = packedPackages().find((p) => p.name === 'fayger')!;
    // (NODE_PATH dropped: pnpm points it at the workspace's packages, where the CLI would be found.)
    const { NODE_PATH: _nodePath, ...env } = process.env;
    const r = spawnSync(process.execPath, [join(alone.root, 'bin', 'fayger.js'), '--version'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { ...env, FAYGER_CLI_FETCH: '0' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm install -D @fayger/cli@^');
  });
});

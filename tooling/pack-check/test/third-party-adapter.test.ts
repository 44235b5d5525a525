import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denialProbe, testKey } from '../../../packages/fayger/test/support/guests.js';
import { tarballOverrides } from './packed.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const template = join(repo, 'examples', 'adapter-template');

let project: string;
let tarballs: Record<string, string>;

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      ...env,
    },
  });

/** A signed BuF whose `_start` fills 4 random bytes (fayger.random_fill) and exits 0 when that is granted. */
async function signedProbe(): Promise<{ buf: Uint8Array; roots: unknown }> {
  const key = testKey();
  return {
    buf: await key.pack('test.fayger.kiosk-probe', denialProbe(), [{ name: 'random', required: true }]),
    roots: key.roots,
  };
}

beforeAll(() => {
  // Every published package is packed once by the global setup; the template is packed here, as its author would.
  const packs = mkdtempSync(join(tmpdir(), 'fayger-packs-'));
  project = mkdtempSync(join(tmpdir(), 'fayger-third-party-'));
  run('pnpm', ['pack', '--pack-destination', packs], template);
  const templateTarball = readdirSync(packs).find((f) => f.endsWith('.tgz'))!;
  const fayger = tarballOverrides();
  tarballs = {
    '@acme/fayger-adapter-kiosk': `file:${join(packs, templateTarball)}`,
    ...Object.fromEntries(
      ['fayger', '@fayger/adapter-core', '@fayger/contracts', '@fayger/security'].map((n) => [n, fayger[n]!]),
    ),
  };
  // Fayger's packages come from the tarballs only (overrides pin every nested dependency on them too);
  // third-party dependencies (typebox, @noble/*, vitest) from the registry.
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'third-party-check',
        private: true,
        type: 'module',
        dependencies: { ...tarballs, vitest: '4.1.12' },
        overrides: { ...fayger, ...tarballs },
      },
      null,
      2,
    ),
  );
  run('npm', ['install', '--no-package-lock', '--prefer-offline', '--loglevel=error'], project);
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('a third-party adapter from tarballs, outside the workspace', () => {
  it("runs the template's conformance suite", () => {
    mkdirSync(join(project, 'test'));
    const test = readFileSync(join(template, 'test', 'conformance.test.ts'), 'utf8').replace(
      "'../src/index.js'",
      "'@acme/fayger-adapter-kiosk'",
    );
    writeFileSync(join(project, 'test', 'conformance.test.ts'), test);
    // Colours off (and stripped, should a FORCE_COLOR from the outer run win): the summary is matched as text.
    const out = run(
      join(project, 'node_modules', '.bin', 'vitest'),
      ['run', '--reporter=verbose', '--dir', 'test'],
      project,
      { NO_COLOR: '1', FORCE_COLOR: '0' },
    ).replace(/\x1b\[[0-9;]*m/g, '');
    expect(out).toMatch(/keeps the promise of every offer/);
    expect(out).toMatch(/Tests\s+\d+ passed/);
  });

  it('runs a signed BuF through it with createFayger', async () => {
    const { buf, roots } = await signedProbe();
    writeFileSync(join(project, 'probe.buf'), buf);
    writeFileSync(join(project, 'roots.json'), JSON.stringify(roots));
    writeFileSync(
      join(project, 'run.mjs'),
      `import { readFileSync } from 'node:fs';
import { createFayger } from 'fayger';
import { parseTrustedRoots } from '@fayger/security';
import { createKioskAdapter } from '@acme/fayger-adapter-kiosk';
const fayger = createFayger({
  adapter: createKioskAdapter({ log: { output: false } }),
  trust: { roots: parseTrustedRoots(readFileSync('roots.json', 'utf8')) },
});
const r = await fayger.run(new Uint8Array(readFileSync('probe.buf')));
await fayger.close();
console.log(JSON.stringify({ exitCode: r.exitCode, state: r.state, adapter: r.adapter, granted: r.grantReport.granted.map((g) => g.name) }));
`,
    );
    const result = JSON.parse(run('node', ['run.mjs'], project).trim().split('\n').at(-1)!);
    expect(result).toEqual({
      exitCode: 0,
      state: 'Terminated',
      adapter: { id: 'kiosk', hostKind: 'acme:kiosk' },
      granted: ['random'],
    });
  });
});

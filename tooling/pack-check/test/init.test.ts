import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tarballOverrides } from './packed.js';

// A newcomer's first run, from the packed tarballs in a project outside the workspace:
//   npm i -D @fayger/cli && npx fayger init hello && cd hello && npm install && npm run build && npm start
// The only step a published release would not need: npm `overrides` point @fayger/* at the tarballs.

const work = mkdtempSync(join(tmpdir(), 'fayger-init-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function pointAtTarballs(dir: string): void {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | unknown>;
  const overrides = tarballOverrides();
  const dev = (pkg['devDependencies'] ?? {}) as Record<string, string>;
  for (const name of Object.keys(dev)) if (overrides[name]) dev[name] = overrides[name];
  pkg['devDependencies'] = dev;
  pkg['overrides'] = overrides;
  writeFileSync(file, JSON.stringify(pkg, null, 2));
}

describe('fayger init → first run, from tarballs', () => {
  it('scaffolds an AssemblyScript guest that builds into a signed BuF and runs', () => {
    const outer = join(work, 'outer');
    execFileSync('mkdir', ['-p', outer]);
    // `npm i -D @fayger/cli`, with the range pointed at the tarball (a direct dependency must equal its override).
    writeFileSync(
      join(outer, 'package.json'),
      JSON.stringify({ name: 'outer', private: true, devDependencies: { '@fayger/cli': '^0.1.0' } }),
    );
    pointAtTarballs(outer);
    npm(['install'], outer);

    const init = spawnSync('npx', ['--no-install', 'fayger', 'init', 'hello'], { cwd: outer, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('npm run build');
    const app = join(outer, 'hello');
    const manifest = JSON.parse(readFileSync(join(app, 'manifest.json'), 'utf8')) as { id: string; publisher: string };
    expect(manifest).toMatchObject({ id: 'local.dev.hello', publisher: 'local.dev' });

    pointAtTarballs(app);
    npm(['install'], app);
    npm(['run', 'build'], app);
    const run = spawnSync('npm', ['start', '--silent'], { cwd: app, encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout + run.stderr).toContain('hello from a Fayger guest');
    expect(run.stdout + run.stderr).toMatch(/the host's clock says \d+ ms/);

    // The scaffold's key is scoped to its publisher: the same BuF fails verification against other roots.
    const other = spawnSync(
      'npx',
      ['--no-install', 'fayger', 'verify', 'dist/hello.buf', '--roots', join(outer, 'missing.json')],
      { cwd: app, encoding: 'utf8' },
    );
    expect(other.status).not.toBe(0);
  });

  it('refuses to scaffold into a directory that is not empty', () => {
    const dir = join(work, 'busy');
    execFileSync('mkdir', ['-p', join(dir, 'app')]);
    writeFileSync(join(dir, 'app', 'keep.txt'), 'mine');
    const cli = join(work, 'outer', 'node_modules', '.bin', 'fayger');
    const r = spawnSync(cli, ['init', 'app'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('CLI_OUTPUT_EXISTS');
    expect(r.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'app', 'keep.txt'), 'utf8')).toBe('mine');
  });
});

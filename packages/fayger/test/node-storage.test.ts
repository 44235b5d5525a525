import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CapabilityRequest, FaygerError } from '@fayger/contracts';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { packBuf } from '@fayger/loader';
import { createEd25519Signer, detectDigestProvider, generateEd25519KeyPair, trustedRootEntry } from '@fayger/security';
import { createFayger, formatGrantReport, formatStorage } from '../src/index.js';
import { createNodeFayger, defaultStateDir } from '../src/node.js';
import { denialProbe, fileWriter } from './support/guests.js';

// Issue #16: a plain library run persists nothing. Rollback protection is then in memory, and the reports say so;
// with a stateDir, versions.json and the per-app state live there.

const kp = generateEd25519KeyPair();
const roots = { version: 1 as const, keys: [trustedRootEntry(kp.publicKey, { publishers: ['test.fayger'] })] };
/** The probe app at `sequence`, or another guest with its own id and capabilities. */
const pack = (
  sequence: number,
  app: { id: string; code: Uint8Array; capabilities: CapabilityRequest[] } = {
    id: 'test.fayger.probe',
    code: denialProbe(),
    capabilities: [
      { name: 'random', required: false },
      { name: 'app', required: true },
    ],
  },
) =>
  packBuf(
    {
      id: app.id,
      version: '1.0.0',
      publisher: 'test.fayger',
      runtime: { interface: '^1.0.0' },
      entry: { section: 'main', export: '_start' },
      capabilities: app.capabilities,
      security: { sequence },
    },
    [{ name: 'main', kind: 'code', data: app.code, required: true }],
    { digest: detectDigestProvider(), signers: [createEd25519Signer(kp.secretKey)] },
  );

const work = mkdtempSync(join(tmpdir(), 'fayger-storage-'));
const saved = { FAYGER_STATE_DIR: process.env.FAYGER_STATE_DIR, XDG_STATE_HOME: process.env.XDG_STATE_HOME };
beforeAll(() => {
  // Were the library to fall back on the per-user state dir, it would write here.
  process.env.FAYGER_STATE_DIR = join(work, 'per-user');
  process.env.XDG_STATE_HOME = join(work, 'xdg');
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  rmSync(work, { recursive: true, force: true });
});

const ephemeralDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`fayger-ephemeral-${process.pid}-`));

// The never-closed case runs in a child process, which imports the built package (turbo builds it before tests).
const builtNode = fileURLToPath(new URL('../dist/node.js', import.meta.url));
const built = existsSync(builtNode);
if (!built)
  console.warn(
    `node-storage: skipping the never-closed test — build fayger first (pnpm turbo run build --filter fayger...)`,
  );

describe('createNodeFayger without a stateDir persists nothing', () => {
  it.runIf(built)(
    'a Fayger never closed removes its temporary state dir when the process ends',
    async () => {
      // A script that runs a guest writing /data/kept.txt and just ends, without fayger.close().
      const buf = await pack(1, {
        id: 'test.fayger.writer',
        code: fileWriter(),
        capabilities: [
          { name: 'fs.read', required: true, scope: { roots: ['/data'] } },
          { name: 'fs.write', required: true, scope: { roots: ['/data'] } },
        ],
      });
      writeFileSync(join(work, 'writer.buf'), buf);
      writeFileSync(join(work, 'roots.json'), JSON.stringify(roots));
      const node = builtNode;
      const index = fileURLToPath(new URL('../dist/index.js', import.meta.url));
      const script = `
      import { readdirSync, readFileSync, existsSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      import { createNodeFayger } from ${JSON.stringify(node)};
      import { buildHostPolicy } from ${JSON.stringify(index)};
      const [buf, rootsFile] = process.argv.slice(2);
      const fayger = createNodeFayger({ trust: { rootsFile }, policy: buildHostPolicy({ allowAll: true }), host: 'server', stdio: false, log: { stream: { write: () => true } } });
      const r = await fayger.run(readFileSync(buf));
      const mine = readdirSync(tmpdir()).filter((n) => n.startsWith('fayger-ephemeral-' + process.pid + '-'));
      const files = mine.flatMap((d) => readdirSync(join(tmpdir(), d), { recursive: true }).map(String));
      console.log(JSON.stringify({ pid: process.pid, exitCode: r.exitCode, state: r.state, error: r.error?.message, mine, files }));
    `;
      writeFileSync(join(work, 'never-closed.mjs'), script);
      const child = spawnSync(
        process.execPath,
        [join(work, 'never-closed.mjs'), join(work, 'writer.buf'), join(work, 'roots.json')],
        {
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(child.status, child.stderr).toBe(0);
      const seen = JSON.parse(child.stdout) as { pid: number; exitCode: number; mine: string[]; files: string[] };
      // While it ran, the guest's file was in the private temporary dir...
      expect(seen, JSON.stringify(seen)).toMatchObject({ exitCode: 0 });
      expect(seen.mine).toHaveLength(1);
      expect(seen.files.some((f) => f.endsWith('kept.txt'))).toBe(true);
      // ...which is gone once the process has ended.
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith(`fayger-ephemeral-${seen.pid}-`))).toEqual([]);
    },
    120_000,
  );

  it.runIf(built)(
    'the temporary state dir of a process killed by a signal is removed by the next process that makes one',
    () => {
      // SIGKILL skips every exit handler. A private TMPDIR keeps the sweep away from other tests' dirs.
      const tmp = join(work, 'tmp-killed');
      mkdirSync(tmp);
      const script = `
      import { readdirSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { createNodeFayger } from ${JSON.stringify(builtNode)};
      createNodeFayger({ trust: { roots: { version: 1, keys: [] } }, host: 'server', stdio: false, log: { stream: { write: () => true } } });
      console.log(JSON.stringify(readdirSync(tmpdir()).filter((n) => n.startsWith('fayger-ephemeral-'))));
      if (process.argv[2] === 'kill') process.kill(process.pid, 'SIGKILL');
    `;
      writeFileSync(join(work, 'killed.mjs'), script);
      const run = (mode: string) =>
        spawnSync(process.execPath, [join(work, 'killed.mjs'), mode], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, TMPDIR: tmp },
        });
      const killed = run('kill');
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const left = JSON.parse(killed.stdout) as string[];
      expect(left).toHaveLength(1);
      expect(readdirSync(tmp)).toEqual(left);
      // The next process to make an ephemeral Fayger sweeps it, then removes its own on a normal exit.
      const next = run('exit');
      expect(next.status, next.stderr).toBe(0);
      expect(JSON.parse(next.stdout) as string[]).not.toContain(left[0]);
      expect(readdirSync(tmp)).toEqual([]);
    },
    120_000,
  );

  it('runs, keeps rollback protection in memory (and says so), and leaves no file behind', async () => {
    const before = ephemeralDirs();
    const fayger = createNodeFayger({
      trust: { roots },
      host: 'server',
      stdio: false,
      log: { stream: { write: () => true } },
    });
    expect(fayger.storage).toEqual({ persistent: false, rollback: { store: 'memory' } });
    const r = await fayger.run(await pack(5));
    expect(r).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(r.storage.rollback.store).toBe('memory');
    const report = formatGrantReport(r.grantReport, { adapter: r.adapter.id, storage: r.storage });
    expect(report).toContain('rollback protection in memory only');
    expect(report).toContain('nothing is written to disk');
    // The in-memory store still refuses a lower sequence for the life of this Fayger.
    const rollback = await fayger.run(await pack(4)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(FaygerError.is(rollback, 'SECURITY_ROLLBACK')).toBe(true);
    await fayger.close();
    expect(existsSync(process.env.FAYGER_STATE_DIR!)).toBe(false);
    expect(existsSync(process.env.XDG_STATE_HOME!)).toBe(false);
    expect(ephemeralDirs()).toEqual(before);
    // A new Fayger starts with no memory of it: nothing was persisted.
    const again = createNodeFayger({
      trust: { roots },
      host: 'server',
      stdio: false,
      log: { stream: { write: () => true } },
    });
    expect((await again.run(await pack(4))).exitCode).toBe(0);
    await again.close();
    expect(defaultStateDir()).toBe(join(work, 'per-user'));
    expect(existsSync(defaultStateDir())).toBe(false);
  });

  it('with a stateDir, rollback sequences persist in <stateDir>/versions.json across Faygers', async () => {
    const stateDir = join(work, 'state');
    const make = () =>
      createNodeFayger({
        trust: { roots },
        host: 'server',
        stateDir,
        stdio: false,
        log: { stream: { write: () => true } },
      });
    const a = make();
    expect(a.storage).toEqual({
      persistent: true,
      stateDir,
      rollback: { store: 'file', path: join(stateDir, 'versions.json') },
    });
    expect((await a.run(await pack(7))).exitCode).toBe(0);
    await a.close();
    expect(JSON.stringify(JSON.parse(readFileSync(join(stateDir, 'versions.json'), 'utf8')))).toContain('7');
    const b = make();
    await expect(b.run(await pack(6))).rejects.toMatchObject({ code: 'SECURITY_ROLLBACK' });
    expect(formatStorage(b.storage)).toContain(`rollback protection in ${join(stateDir, 'versions.json')}`);
    await b.close();
  });

  it('createFayger defaults to an in-memory store too; versionStore: false turns it off', async () => {
    const mem = createFayger({ adapter: createMemoryAdapter(), trust: { roots } });
    expect(mem.storage.rollback.store).toBe('memory');
    expect((await mem.run(await pack(3))).exitCode).toBe(0);
    await expect(mem.run(await pack(2))).rejects.toMatchObject({ code: 'SECURITY_ROLLBACK' });
    await mem.close();
    const off = createFayger({ adapter: createMemoryAdapter(), trust: { roots }, versionStore: false });
    expect(formatStorage(off.storage)).toContain('rollback protection off');
    expect((await off.run(await pack(3))).exitCode).toBe(0);
    expect((await off.run(await pack(2))).exitCode).toBe(0);
    await off.close();
  });
});

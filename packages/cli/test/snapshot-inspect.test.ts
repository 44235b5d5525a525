// `fayger inspect` of a snapshot artifact (docs/spec/snapshot-v1.md), in-process through runCli.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceSnapshot } from '@fayger/contracts';
import { encodeSnapshot } from '@fayger/loader';
import { createEd25519Signer, detectDigestProvider, trustedRootEntry } from '@fayger/security';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, runCli, type CliIo } from '../src/index.js';
import { tempDir } from './helpers.js';

function io(cwd: string): CliIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => void (o.out += t),
    stderr: (t: string) => void (o.err += t),
    stderrIsTTY: false,
    cwd,
  };
  return o;
}

const PAGE = 65_536;
const hostKey = createEd25519Signer(new Uint8Array(32).fill(5));

function snapshot(): InstanceSnapshot {
  const mem = new Uint8Array(64 * PAGE);
  mem[3] = 1;
  mem[40 * PAGE + 7] = 9;
  mem[41 * PAGE] = 2;
  return {
    version: 1,
    app: { id: 'com.example.apps.counter', version: '2.1.0' },
    codeDigest: 'ab'.repeat(32),
    entry: '_start',
    engine: {
      engine: 'fayger-interpreter',
      stateVersion: 1,
      memories: [{ pages: 64, bytes: mem }],
      state: new Uint8Array(123).fill(3),
      fuelUsed: 987_654,
      calls: [{ export: '_start', waiting: true }],
    },
    grants: [{ name: 'stdio' }, { name: 'fs.read', scope: { roots: ['/data'] } }],
    pending: { op: 'fs.read', capability: 'fs.read' },
    resources: [{ kind: 'wasi.fd', handle: 4, capability: 'fs.read', data: { path: '/data/in.txt', offset: 12 } }],
    origin: { hostKind: 'server', takenAt: '2026-12-03T11:00:00.000Z' },
  };
}

describe('fayger inspect (snapshot)', () => {
  it('prints what the snapshot holds, checks every digest, and verifies the signer against --trusted-roots', async () => {
    const dir = tempDir();
    const bytes = await encodeSnapshot(snapshot(), { digest: detectDigestProvider(), signer: hostKey });
    writeFileSync(join(dir, 'run.snap'), bytes);
    const entry = trustedRootEntry(hostKey.publicKey, { publishers: ['fayger.snapshot'] });
    writeFileSync(join(dir, 'roots.json'), JSON.stringify({ version: 1, keys: [entry] }));
    const other = createEd25519Signer(new Uint8Array(32).fill(6));
    const otherEntry = trustedRootEntry(other.publicKey, { publishers: ['fayger.snapshot'] });
    writeFileSync(join(dir, 'other-roots.json'), JSON.stringify({ version: 1, keys: [otherEntry] }));

    const plain = io(dir);
    expect(await runCli(['inspect', 'run.snap'], plain)).toBe(0);
    const out = plain.out;
    expect(out).toMatch(/instance snapshot v1/);
    expect(out).toMatch(/app\s+com\.example\.apps\.counter 2\.1\.0/);
    expect(out).toContain(`code digest   ${'ab'.repeat(32)}`);
    expect(out).toMatch(
      /engine\s+written by fayger-interpreter, state version 1 \(.*, resumes on fayger-interpreter only\)/,
    );
    expect(out).toMatch(/fuel used\s+987654/);
    expect(out).toMatch(/0 {2}64 pages \(4(\.0)? MiB\), 3 non-zero stored/);
    expect(out).toMatch(/_start\s+\(waiting on a host call\)/);
    expect(out).toMatch(/pending call\s+fs\.read \(capability fs\.read\)/);
    expect(out).toContain('wasi.fd 4 [fs.read] {"offset":12,"path":"/data/in.txt"}');
    expect(out).toMatch(/origin\s+server, taken 2026-12-03T11:00:00.000Z/);
    expect(out).toContain(`signer ${hostKey.keyId}`);
    expect(out).toMatch(/trust\s+not checked/);

    const trusted = io(dir);
    expect(await runCli(['inspect', 'run.snap', '--trusted-roots', 'roots.json'], trusted)).toBe(0);
    expect(trusted.out).toContain(`trust       verified: ${hostKey.keyId}`);
    const untrusted = io(dir);
    expect(await runCli(['inspect', 'run.snap', '--trusted-roots', 'other-roots.json'], untrusted)).toBe(0);
    expect(untrusted.out).toMatch(/trust\s+NOT verified/);

    const json = io(dir);
    expect(await runCli(['inspect', 'run.snap', '--json', '--trusted-roots', 'roots.json'], json)).toBe(0);
    const data = JSON.parse(json.out);
    expect(data.kind).toBe('snapshot');
    expect(data.memories).toEqual([{ index: 0, pages: 64, nonZeroPages: 3, bytes: 8 + 16 + 3 * PAGE }]);
    expect(data.signature).toMatchObject({ checked: true, verified: true, verifiedKeyIds: [hostKey.keyId] });
    expect(data.size).toBe(bytes.length);
  });

  it('a tampered snapshot fails inspect with a typed error and the verification exit code', async () => {
    const dir = tempDir();
    const bytes = await encodeSnapshot(snapshot(), { digest: detectDigestProvider(), signer: hostKey });
    bytes[bytes.length - 200]! ^= 1; // inside the stored page before the signature section
    writeFileSync(join(dir, 'bad.snap'), bytes);
    const o = io(dir);
    expect(await runCli(['inspect', 'bad.snap'], o)).toBe(EXIT_CODES.VERIFICATION_FAILED);
    expect(o.err).toMatch(/SNAPSHOT_DIGEST_MISMATCH/);
  });
});

describe('snapshot flags of fayger run and fayger resume', () => {
  it('run: --snapshot options are checked as usage errors', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['--snapshot-on-exit-after', '100'], /--snapshot-on-exit-after without --snapshot/],
      [['--snapshot-key', 'k.json'], /--snapshot-key without --snapshot/],
      [['--snapshot', 's.snap', '--snapshot-on-exit-after', '0'], /a positive integer amount of fuel/],
      [['--snapshot', 's.snap', '--snapshot-on-exit-after', '12abc'], /a positive integer amount of fuel/],
    ];
    for (const [flags, message] of cases) {
      const o = io(dir);
      expect(await runCli(['run', 'app.buf', '--allow-unsigned', ...flags], o)).toBe(111);
      expect(o.err).toMatch(/CLI_USAGE/);
      expect(o.err).toMatch(message);
    }
  });

  it('the snapshot host key is created once in the state dir, scoped to fayger.snapshot, with a trust hint', async () => {
    const { snapshotKey } = await import('../src/snapshot-options.js');
    const { statSync, readFileSync } = await import('node:fs');
    const state = tempDir();
    const first = await snapshotKey(state);
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = await snapshotKey(state);
    expect(again.created).toBe(false);
    expect(again.signer.keyId).toBe(first.signer.keyId);
    const entry = JSON.parse(readFileSync(first.pubFile, 'utf8'));
    expect(entry).toMatchObject({ id: first.signer.keyId, publishers: ['fayger.snapshot'] });
    expect(first.trustHint).toContain(first.pubFile);
    // A snapshot signed by it verifies against roots holding that entry.
    const roots = join(state, 'roots.json');
    writeFileSync(roots, JSON.stringify({ version: 1, keys: [entry] }));
    const bytes = await encodeSnapshot(snapshot(), { digest: detectDigestProvider(), signer: first.signer });
    writeFileSync(join(state, 'a.snap'), bytes);
    const o = io(state);
    expect(await runCli(['inspect', 'a.snap', '--trusted-roots', 'roots.json'], o)).toBe(0);
    expect(o.out).toContain(`verified: ${first.signer.keyId}`);
  });

  it('resume: the snapshot file comes first; a missing BuF or trusted roots is a usage error', async () => {
    const dir = tempDir();
    const bytes = await encodeSnapshot(snapshot(), { digest: detectDigestProvider(), signer: hostKey });
    writeFileSync(join(dir, 'ok.snap'), bytes);
    const run = async (...a: string[]) => {
      const o = io(dir);
      return { code: await runCli(['resume', ...a], o), err: o.err };
    };
    expect(await run()).toMatchObject({ code: 111 });
    expect(await run('--trusted-roots', 'r.json', 'ok.snap')).toMatchObject({ code: 111 });
    expect(await run('ok.snap')).toMatchObject({ code: 111 });
    expect((await run('ok.snap', 'app.buf')).err).toMatch(/CLI_IO/); // the BuF is read before the trust flags matter
    // Any engine may resume (the transpiler restores too): not a usage error, the missing BuF is the error.
    expect((await run('ok.snap', 'app.buf', '--allow-unsigned', '--engine', 'transpiler')).err).toMatch(/CLI_IO/);
  });
});

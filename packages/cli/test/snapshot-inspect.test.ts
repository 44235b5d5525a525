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
    expect(out).toMatch(/engine\s+fayger-interpreter, state version 1/);
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

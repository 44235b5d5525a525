import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fayger, MANIFEST, tempDir, writeApp } from './helpers.js';

describe('fayger end to end (spawned)', () => {
  let dir: string;
  let roots: string;
  let keyA: string;
  let keyB: string;
  let buf: string;

  beforeAll(() => {
    dir = tempDir();
    writeApp(dir);
    roots = join(dir, 'roots.json');
  });

  it('keygen writes a 0600 secret key, a public entry, and extends a roots file', () => {
    const r = fayger(dir, 'keygen', '-p', 'com.example.*', '-o', 'keys/a', '--roots', 'roots.json', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    keyA = out.keyFile;
    expect(out.keyId).toMatch(/^ed25519:/);
    expect(statSync(keyA).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(out.publicKeyFile, 'utf8')).id).toBe(out.keyId);
    const r2 = fayger(dir, 'keygen', '-p', 'com.example.apps', '-o', 'keys/b', '--roots', 'roots.json', '--json');
    expect(r2.code).toBe(0);
    keyB = JSON.parse(r2.stdout).keyFile;
    const doc = JSON.parse(readFileSync(roots, 'utf8'));
    expect(doc.keys.map((k: { id: string }) => k.id)).toEqual([out.keyId, JSON.parse(r2.stdout).keyId]);
    // Refuses to overwrite without --force.
    const again = fayger(dir, 'keygen', '-p', 'x', '-o', 'keys/a');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CLI_OUTPUT_EXISTS');
  });

  it('pack → verify → inspect --json', () => {
    buf = join(dir, 'hello.buf');
    const p = fayger(dir, 'pack', 'app', '-o', 'hello.buf', '--sign', 'keys/a.key.json');
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('com.example.apps.hello@1.2.3');

    const v = fayger(dir, 'verify', 'hello.buf', '--roots', 'roots.json', '--json');
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const res = JSON.parse(v.stdout);
    expect(res).toMatchObject({
      ok: true,
      id: 'com.example.apps.hello',
      unsigned: false,
      threshold: 1,
      sectionsVerified: 3,
    });
    expect(res.verifiedKeyIds).toHaveLength(1);

    const i = fayger(dir, 'inspect', 'hello.buf', '--json');
    expect(i.code).toBe(0);
    const info = JSON.parse(i.stdout);
    expect(info.manifest).toEqual(MANIFEST);
    expect(info.header.formatMajor).toBe(1);
    const byName = Object.fromEntries(info.sections.map((s: { name: string }) => [s.name, s]));
    expect(byName.main).toMatchObject({ kind: 'code', size: 8, required: true });
    expect(byName['server-data']).toMatchObject({
      kind: 'data',
      size: 5000,
      hosts: ['server'],
      priority: 3,
      dependsOn: [byName.main.id],
      chunkSize: 4096,
    });
    expect(byName.fr.locales).toEqual(['fr']);
    expect(byName.main.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(info.signatures.keyIds).toEqual([res.verifiedKeyIds[0]]);

    const table = fayger(dir, 'inspect', 'hello.buf');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/sections\n\s+id\s+name\s+kind\s+size\s+sha256\s+selectors/);
    expect(table.stdout).toContain('hosts=server');
  });

  it('tampered section body → exit 2 with LOADER_SECTION_DIGEST_MISMATCH on stderr', () => {
    const info = JSON.parse(fayger(dir, 'inspect', 'hello.buf', '--json').stdout);
    const server = info.sections.find((s: { name: string }) => s.name === 'server-data');
    const bytes = readFileSync(buf);
    bytes[server.offset + 100] ^= 0xff;
    writeFileSync(join(dir, 'tampered.buf'), bytes);
    const v = fayger(dir, 'verify', 'tampered.buf', '--roots', 'roots.json');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('LOADER_SECTION_DIGEST_MISMATCH');
  });

  it('tampered signature → exit 2 with SECURITY_SIGNATURE_INVALID', () => {
    const bytes = readFileSync(buf);
    bytes[bytes.length - 5] ^= 0x01; // inside the last signature (the signature section is last)
    writeFileSync(join(dir, 'badsig.buf'), bytes);
    const v = fayger(dir, 'verify', 'badsig.buf', '--roots', 'roots.json', '--json');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('SECURITY_SIGNATURE_INVALID');
    expect(JSON.parse(v.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'SECURITY_SIGNATURE_INVALID' },
    });
  });

  it('tampered manifest or garbage → non-zero with a LOADER_ code', () => {
    const bytes = readFileSync(buf);
    const info = JSON.parse(fayger(dir, 'inspect', 'hello.buf', '--json').stdout);
    bytes[info.header.manifestOffset + 10] ^= 0x20;
    writeFileSync(join(dir, 'badmanifest.buf'), bytes);
    const v = fayger(dir, 'verify', 'badmanifest.buf', '--roots', 'roots.json');
    expect([2, 3]).toContain(v.code);
    expect(v.stderr).toMatch(/error LOADER_[A-Z_]+/);
    writeFileSync(join(dir, 'garbage.buf'), Buffer.from('this is not a buf file at all, just text'));
    const g = fayger(dir, 'inspect', 'garbage.buf');
    expect(g.code).toBe(3);
    expect(g.stderr).toMatch(/error LOADER_(BAD_MAGIC|TRUNCATED)/);
  });

  it('unsigned artifact: exit 2 by default, 0 with --allow-unsigned', () => {
    expect(fayger(dir, 'pack', 'app', '-o', 'unsigned.buf').code).toBe(0);
    const v = fayger(dir, 'verify', 'unsigned.buf', '--roots', 'roots.json');
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/SECURITY_UNSIGNED|LOADER_UNSIGNED/);
    expect(fayger(dir, 'verify', 'unsigned.buf', '--roots', 'roots.json', '--allow-unsigned').code).toBe(0);
  });

  it('sign adds signatures by re-serialising; threshold 2 needs two distinct keys', () => {
    expect(fayger(dir, 'sign', 'unsigned.buf', '-k', 'keys/a.key.json', '-o', 'one.buf').code).toBe(0);
    const t2 = fayger(dir, 'verify', 'one.buf', '--roots', 'roots.json', '--threshold', '2');
    expect(t2.code).toBe(2);
    expect(t2.stderr).toContain('SECURITY_THRESHOLD_NOT_MET');
    // Keeping the existing signer requires its key (or --replace).
    const drop = fayger(dir, 'sign', 'one.buf', '-k', 'keys/b.key.json', '-o', 'two.buf');
    expect(drop.code).toBe(1);
    expect(drop.stderr).toContain('CLI_SIGNATURES_DROPPED');
    expect(fayger(dir, 'sign', 'one.buf', '-k', 'keys/a.key.json', '-k', 'keys/b.key.json', '-o', 'two.buf').code).toBe(
      0,
    );
    const ok = fayger(dir, 'verify', 'two.buf', '--roots', 'roots.json', '--threshold', '2', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).verifiedKeyIds).toHaveLength(2);
    // Signing is deterministic: packing signed directly gives the same bytes as pack + sign.
    expect(readFileSync(join(dir, 'one.buf')).equals(readFileSync(buf))).toBe(true);
  });

  it('key out of scope, rollback and expiry give exit 2 with the specific code', () => {
    // Key b is scoped to com.example.apps exactly; a manifest by another publisher is out of its scope.
    const other = tempDir();
    writeApp(other, { ...MANIFEST, publisher: 'com.example.other', security: { sequence: 1 } });
    // pack refuses the key outside its scopes (CLI_KEY_OUT_OF_SCOPE); --any-scope packs it so verify can say so too.
    expect(fayger(other, 'pack', 'app', '-o', 'o.buf', '-k', keyB).code).toBe(1);
    expect(fayger(other, 'pack', 'app', '-o', 'o.buf', '-k', keyB, '--any-scope').code).toBe(0);
    const scope = fayger(other, 'verify', 'o.buf', '--roots', roots);
    expect(scope.code).toBe(2);
    expect(scope.stderr).toContain('SECURITY_KEY_OUT_OF_SCOPE');

    const store = join(dir, 'versions.json');
    expect(fayger(dir, 'verify', 'hello.buf', '--roots', 'roots.json', '--version-store', store).code).toBe(0);
    const older = tempDir();
    writeApp(older, { ...MANIFEST, security: { sequence: 2 } });
    expect(fayger(older, 'pack', 'app', '-o', 'old.buf', '-k', keyA).code).toBe(0);
    const rb = fayger(older, 'verify', 'old.buf', '--roots', roots, '--version-store', store);
    expect(rb.code).toBe(2);
    expect(rb.stderr).toContain('SECURITY_ROLLBACK');
    expect(
      fayger(older, 'verify', 'old.buf', '--roots', roots, '--version-store', store, '--allow-rollback').code,
    ).toBe(0);

    const exp = tempDir();
    writeApp(exp, { ...MANIFEST, security: { sequence: 9, expires: '2030-01-01T00:00:00Z' } });
    expect(fayger(exp, 'pack', 'app', '-o', 'e.buf', '-k', keyA).code).toBe(0);
    expect(fayger(exp, 'verify', 'e.buf', '--roots', roots).code).toBe(0);
    const late = fayger(exp, 'verify', 'e.buf', '--roots', roots, '--now', '2031-01-01T00:00:00Z');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('SECURITY_MANIFEST_EXPIRED');
  });

  it('malformed inputs give exit 3 naming the problem; usage errors exit 1', () => {
    writeFileSync(join(dir, 'bad-roots.json'), JSON.stringify({ version: 1, keys: [{ id: 'x' }] }));
    const r = fayger(dir, 'verify', 'hello.buf', '--roots', 'bad-roots.json');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('SECURITY_ROOTS_INVALID');
    expect(r.stderr).toContain('keys[0]');

    const badApp = tempDir();
    writeApp(badApp, { ...MANIFEST, version: 'not-semver' });
    const p = fayger(badApp, 'pack', 'app', '-o', 'x.buf');
    expect(p.code).toBe(3);
    expect(p.stderr).toContain('CLI_PACK_CONFIG_INVALID');
    expect(existsSync(join(badApp, 'x.buf'))).toBe(false);

    writeFileSync(join(dir, 'bad.key.json'), '{"type":"nope"}');
    const k = fayger(dir, 'sign', 'hello.buf', '-k', 'bad.key.json', '-o', 'z.buf');
    expect(k.code).toBe(3);
    expect(k.stderr).toContain('SECURITY_KEY_INVALID');

    const u = fayger(dir, 'verify', 'hello.buf');
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('CLI_USAGE');
    expect(fayger(dir, 'frobnicate').code).toBe(1);
    expect(fayger(dir, 'verify', 'hello.buf', '--roots', 'roots.json', '--bogus').code).toBe(1);
    const missing = fayger(dir, 'inspect', 'nope.buf');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('CLI_IO');
    // `run` refuses to start without trusted roots (or an explicit --allow-unsigned).
    const run = fayger(dir, 'run', 'hello.buf');
    expect(run.code).toBe(111); // run's usage code: 1 could be the guest's own
    expect(run.stderr).toContain('--trusted-roots');
  });

  it('--help for every command has usage and examples', () => {
    const main = fayger(dir, '--help');
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('Exit codes:');
    for (const c of ['keygen', 'pack', 'sign', 'verify', 'inspect']) {
      const h = fayger(dir, c, '--help');
      expect(h.code, c).toBe(0);
      expect(h.stdout).toContain(`Usage: fayger ${c}`);
      expect(h.stdout).toContain('Examples:');
    }
  });
});

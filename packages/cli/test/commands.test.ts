import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { EXIT_CODES, exitCodeFor, runCli, type CliIo } from '../src/index.js';
import { MANIFEST, tempDir, writeApp } from './helpers.js';

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

describe('pack config and keygen validation (in-process)', () => {
  it('refuses section files outside the pack directory', async () => {
    const dir = tempDir();
    const app = writeApp(dir);
    const cfg = JSON.parse(readFileSync(join(app, 'fayger.pack.json'), 'utf8'));
    cfg.sections[0].file = '../../etc/passwd';
    writeFileSync(join(app, 'fayger.pack.json'), JSON.stringify(cfg));
    const o = io(dir);
    expect(await runCli(['pack', 'app', '-o', 'x.buf'], o)).toBe(EXIT_CODES.MALFORMED_INPUT);
    expect(o.err).toContain('CLI_PACK_PATH_ESCAPES');
    expect(o.err).toContain('sections[0].file');
  });

  it('refuses inputs whose real path leaves the pack directory: symlinks, absolute paths, special files', async () => {
    const dir = tempDir();
    const app = writeApp(dir);
    writeFileSync(join(dir, 'secret.key.json'), '{"secret":"do not pack me"}');
    symlinkSync(join(dir, 'secret.key.json'), join(app, 'innocent.wasm'));
    mkdirSync(join(app, 'sub'));
    symlinkSync(dir, join(app, 'sub', 'up'));
    const cfg = JSON.parse(readFileSync(join(app, 'fayger.pack.json'), 'utf8'));
    const attempt = async (file: string, manifest?: string) => {
      writeFileSync(
        join(app, 'fayger.pack.json'),
        JSON.stringify({ ...cfg, ...(manifest ? { manifest } : {}), sections: [{ ...cfg.sections[0], file }] }),
      );
      const o = io(dir);
      const code = await runCli(['pack', 'app', '-o', 'x.buf', '--force'], o);
      return { code, err: o.err };
    };
    for (const file of ['innocent.wasm', 'sub/up/secret.key.json', join(dir, 'secret.key.json')]) {
      const r = await attempt(file);
      expect(r.code, file).toBe(EXIT_CODES.MALFORMED_INPUT);
      expect(r.err, file).toContain('CLI_PACK_PATH_ESCAPES');
      expect(existsSync(join(dir, 'x.buf')), file).toBe(false);
    }
    const m = await attempt(cfg.sections[0].file, 'sub/up/secret.key.json');
    expect(m.err).toContain('CLI_PACK_PATH_ESCAPES');
    expect(m.err).toContain('manifest');
    // A link that stays inside the directory is fine.
    symlinkSync(join(app, cfg.sections[0].file), join(app, 'alias.wasm'));
    expect((await attempt('alias.wasm')).code).toBe(0);
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [join(app, 'pipe.wasm')]);
      const f = await attempt('pipe.wasm');
      expect(f.code).toBe(EXIT_CODES.MALFORMED_INPUT);
      expect(f.err).toContain('CLI_PACK_PATH_ESCAPES');
      expect(f.err).toContain('special file');
    }
  });

  it('names the malformed pack-config field', async () => {
    const dir = tempDir();
    const app = writeApp(dir);
    writeFileSync(
      join(app, 'fayger.pack.json'),
      JSON.stringify({ manifest: 'manifest.json', sections: [{ name: 'main', kind: 'wasm', file: 'main.wasm' }] }),
    );
    const o = io(dir);
    expect(await runCli(['pack', 'app'], o)).toBe(EXIT_CODES.MALFORMED_INPUT);
    expect(o.err).toMatch(/sections\[0\]\.kind/);
  });

  it('accepts an inline manifest and names the default output after id and version', async () => {
    const dir = tempDir();
    const app = writeApp(dir);
    const cfg = JSON.parse(readFileSync(join(app, 'fayger.pack.json'), 'utf8'));
    cfg.manifest = MANIFEST;
    writeFileSync(join(app, 'fayger.pack.json'), JSON.stringify(cfg));
    const o = io(dir);
    expect(await runCli(['pack', 'app', '--json'], o)).toBe(0);
    expect(JSON.parse(o.out).file).toBe(join(dir, 'com.example.apps.hello-1.2.3.buf'));
    // A second pack to the same path needs --force.
    const again = io(dir);
    expect(await runCli(['pack', 'app'], again)).toBe(EXIT_CODES.USAGE);
    expect(again.err).toContain('CLI_OUTPUT_EXISTS');
    expect(await runCli(['pack', 'app', '--force'], io(dir))).toBe(0);
  });

  it('keygen refuses a bad scope or date as a usage error and writes nothing', async () => {
    const dir = tempDir();
    const o = io(dir);
    expect(await runCli(['keygen', '-p', 'a*b', '-o', 'k'], o)).toBe(EXIT_CODES.USAGE);
    expect(o.err).toContain('CLI_USAGE');
    expect(await runCli(['keygen', '-p', 'x', '--not-after', 'someday', '-o', 'k'], io(dir))).toBe(EXIT_CODES.USAGE);
    expect(await runCli(['keygen', '-o', 'k'], io(dir))).toBe(EXIT_CODES.USAGE);
    expect(() => readFileSync(join(dir, 'k.key.json'))).toThrow();
  });

  it('keygen refuses to extend a malformed roots file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'roots.json'), '{"version":1,"keys":[{"id":"nope"}]}');
    const o = io(dir);
    expect(await runCli(['keygen', '-p', 'x', '-o', 'k', '--roots', 'roots.json'], o)).toBe(EXIT_CODES.MALFORMED_INPUT);
    expect(o.err).toContain('SECURITY_ROOTS_INVALID');
    expect(readFileSync(join(dir, 'roots.json'), 'utf8')).toBe('{"version":1,"keys":[{"id":"nope"}]}');
  });

  it('maps error codes to exit codes', () => {
    const e = (code: string) => new FaygerError({ code: code as never });
    expect(exitCodeFor(e('SECURITY_KEY_REVOKED'))).toBe(2);
    expect(exitCodeFor(e('LOADER_SECTION_DIGEST_MISMATCH'))).toBe(2);
    expect(exitCodeFor(e('LOADER_BAD_MAGIC'))).toBe(3);
    expect(exitCodeFor(e('SECURITY_ROOTS_INVALID'))).toBe(3);
    expect(exitCodeFor(e('LOADER_SOURCE_IO'))).toBe(4);
    expect(exitCodeFor(e('LOADER_FORMAT_UNSUPPORTED'))).toBe(5);
    expect(exitCodeFor(e('CLI_USAGE'))).toBe(1);
    expect(exitCodeFor(e('INTERNAL'))).toBe(10);
    expect(exitCodeFor(new Error('x'))).toBe(10);
  });
});

describe('hints in flags', () => {
  it('every remedy that names a library option has a CLI hint that names a flag instead', async () => {
    const { errorCatalogue } = await import('@fayger/contracts');
    const { cliHint } = await import('../src/hints.js');
    // Option names a CLI user cannot type (the API's words for what `fayger run` / `verify` do with flags).
    const apiWords =
      /`\w+: true`|\{ trust:|LoadProfile\.|quotas\.\w+ in the manifest \(and the host policy cap\)|raise quotas\.\w+|maxFallbackBytes|raise timeoutMs|maxHostCallBytes|linkPolicy/i;
    const reachable = Object.entries(errorCatalogue).filter(
      ([, info]) => ['security', 'loader', 'runtime'].includes(info.layer) && apiWords.test(info.remedy),
    );
    expect(reachable.length).toBeGreaterThan(5);
    for (const [code] of reachable) {
      const hint = cliHint(code, 'run');
      expect(hint, code).toBeDefined();
      expect(hint, code).not.toMatch(apiWords);
    }
    expect(cliHint('SECURITY_ROLLBACK', 'verify')).toContain('--allow-rollback');
    expect(cliHint('QUOTA_FUEL_EXCEEDED', 'run')).toContain('--quota fuel=');
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fayger, MANIFEST, tempDir, writeApp } from './helpers.js';

// The CLI speaks in flags (issue #16): help without arguments, did-you-mean for unknown options, one statement of
// each error, hints that name the flag that does it, and a sign that refuses a key outside its publisher scopes.

/** `(module (func (export "_start")))`: a guest that exits 0. */
const START_WASM = Buffer.from([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0,
  0, 0x0a, 4, 1, 2, 0, 0x0b,
]);

/** An app directory whose code section is START_WASM. */
function writeRunnableApp(dir: string, manifest: Record<string, unknown> = MANIFEST): void {
  const app = writeApp(dir, manifest);
  writeFileSync(join(app, 'main.wasm'), START_WASM);
}

/** Library option names a CLI user cannot type. */
const API_OPTION =
  /allowUnsigned|allowRollback|\{ trust:|LoadProfile|quotas\.fuel in the manifest \(and the host policy cap\)/;

describe('the CLI speaks in flags', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeRunnableApp(dir);
    expect(fayger(dir, 'keygen', '-p', 'com.example.apps', '-o', 'keys/apps', '--roots', 'roots.json').code).toBe(0);
    expect(fayger(dir, 'pack', 'app', '-o', 'hello.buf', '--sign', 'keys/apps.key.json').code).toBe(0);
  });

  it('`fayger` alone prints the help and exits 0', () => {
    const r = fayger(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: fayger <command>');
    expect(r.stdout).toContain('Commands:');
    expect(r.stderr).toBe('');
  });

  it('an unknown option names the closest known one, in the CLI words (no parseArgs text)', () => {
    const run = fayger(dir, 'run', 'hello.buf', '--trusted-rots', 'roots.json');
    expect(run.code).toBe(111);
    expect(run.stderr).toContain('unknown option --trusted-rots');
    expect(run.stderr).toContain('Did you mean --trusted-roots?');
    expect(run.stderr).not.toMatch(/Unknown option|To specify a positional argument/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);

    const pack = fayger(dir, 'pack', 'app', '--ouput', 'x.buf');
    expect(pack.code).toBe(1);
    expect(pack.stderr).toContain('Did you mean --out?');
    // A swapped pair of letters, a prefix, and a flag nothing resembles.
    expect(fayger(dir, 'verify', 'hello.buf', '--roost', 'roots.json').stderr).toContain('Did you mean --roots?');
    expect(fayger(dir, 'run', 'hello.buf', '--expl').stderr).toContain('Did you mean --explain?');
    const none = fayger(dir, 'inspect', 'hello.buf', '--zzzzzz');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('unknown option --zzzzzz');
    expect(none.stderr).not.toContain('Did you mean');
    // A value-taking option without its value.
    const missing = fayger(dir, 'pack', 'app', '--out');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--out without a value');
    expect(missing.stderr).not.toContain('argument missing');
  });

  it('a bad --grant is stated once, naming the flag', () => {
    const r = fayger(dir, 'run', 'hello.buf', '--trusted-roots', 'roots.json', '--grant', 'nope');
    expect(r.code).toBe(111);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--grant "nope"');
    expect(lines[0]!.match(/expected/g)).toHaveLength(1);
    expect(lines[0]!.match(/failed/g)).toHaveLength(1);
    expect(lines[0]).toContain('a capability name (log,');
    const port = fayger(dir, 'run', 'hello.buf', '--trusted-roots', 'roots.json', '--grant', 'net.listen:99999');
    expect(port.stderr).toContain('--grant "net.listen:99999" (99999)');
    expect(port.stderr).toContain('ports between 0 and 65535');
  });

  it('an unsigned artifact: the hint names --allow-unsigned, for run and verify', () => {
    const unsignedDir = tempDir();
    writeRunnableApp(unsignedDir);
    expect(fayger(unsignedDir, 'pack', 'app', '-o', 'u.buf').code).toBe(0);
    const roots = join(dir, 'roots.json');
    const run = fayger(unsignedDir, 'run', 'u.buf', '--trusted-roots', roots, '--json');
    expect(run.code).toBe(112);
    expect(run.stderr).toMatch(/SECURITY_UNSIGNED|LOADER_UNSIGNED/);
    expect(run.stderr).toContain('`--allow-unsigned`');
    expect(run.stderr).not.toMatch(API_OPTION);
    const verify = fayger(unsignedDir, 'verify', 'u.buf', '--roots', roots, '--json');
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain('pass `--allow-unsigned` to `fayger verify`');
    expect(verify.stdout + verify.stderr).not.toMatch(API_OPTION);
    expect(fayger(unsignedDir, 'run', 'u.buf', '--trusted-roots', roots, '--allow-unsigned').code).toBe(0);
  });

  it('run refuses a rollback with a hint naming --allow-rollback, which lets it run', () => {
    const state = join(dir, 'state');
    const roots = join(dir, 'roots.json');
    const key = join(dir, 'keys', 'apps.key.json');
    const first = fayger(dir, 'run', 'hello.buf', '--trusted-roots', 'roots.json', '--state-dir', state, '--explain');
    expect(first.code).toBe(0); // sequence 4 recorded
    // The CLI keeps its state dir (the library alone would keep rollback sequences in memory), and --explain says where.
    expect(first.stderr).toContain(
      `storage: rollback protection in ${join(state, 'versions.json')}; per-app state in ${state}`,
    );
    const older = tempDir();
    writeRunnableApp(older, { ...MANIFEST, security: { sequence: 2 } });
    expect(fayger(older, 'pack', 'app', '-o', 'old.buf', '-k', key).code).toBe(0);
    const rb = fayger(older, 'run', 'old.buf', '--trusted-roots', roots, '--state-dir', state);
    expect(rb.code).toBe(112);
    expect(rb.stderr).toContain('SECURITY_ROLLBACK');
    expect(rb.stderr).toContain('pass `--allow-rollback` to `fayger run`');
    expect(rb.stderr).not.toMatch(API_OPTION);
    const ok = fayger(older, 'run', 'old.buf', '--trusted-roots', roots, '--state-dir', state, '--allow-rollback');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // The recorded sequence is not lowered by the deliberate downgrade.
    expect(fayger(older, 'run', 'old.buf', '--trusted-roots', roots, '--state-dir', state).code).toBe(112);
  });

  it('a quota breach names --quota, and run --help says what one unit of fuel is', () => {
    const r = fayger(dir, 'run', 'hello.buf', '--trusted-roots', 'roots.json', '--quota', 'fuel=0');
    expect(r.code).toBe(116);
    expect(r.stderr).toContain('QUOTA_FUEL_EXCEEDED');
    expect(r.stderr).toContain('`--quota fuel=N`');
    expect(r.stderr).not.toMatch(API_OPTION);
    const help = fayger(dir, 'run', '--help').stdout;
    expect(help).toContain('One unit of fuel is one');
    expect(help).toContain('WebAssembly instruction executed');
    expect(help).toContain('--allow-rollback');
  });

  it('sign refuses a key whose publisher scopes do not cover the artifact, unless --any-scope', () => {
    const other = tempDir();
    writeRunnableApp(other, { ...MANIFEST, id: 'com.example.hello', publisher: 'com.example' });
    expect(fayger(other, 'keygen', '-p', 'com.example.*', '-o', 'k', '--roots', 'roots.json').code).toBe(0);
    expect(JSON.parse(readFileSync(join(other, 'k.key.json'), 'utf8')).publishers).toEqual(['com.example.*']);
    expect(fayger(other, 'pack', 'app', '-o', 'a.buf').code).toBe(0);
    // `com.example.*` covers com.example.apps, not the publisher com.example itself.
    const refused = fayger(other, 'sign', 'a.buf', '--key', 'k.key.json', '--json');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('CLI_KEY_OUT_OF_SCOPE');
    expect(refused.stderr).toContain('the publisher com.example outside them');
    expect(refused.stderr).toContain('--any-scope');
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      error: { code: 'CLI_KEY_OUT_OF_SCOPE', details: { scopes: ['com.example.*'] } },
    });
    // pack --sign refuses the same way, and writes nothing.
    const packed = fayger(other, 'pack', 'app', '-o', 'b.buf', '--sign', 'k.key.json');
    expect(packed.code).toBe(1);
    expect(packed.stderr).toContain('CLI_KEY_OUT_OF_SCOPE');
    // --force only overwrites: it no longer signs outside the scopes.
    const forced = fayger(other, 'sign', 'a.buf', '--key', 'k.key.json', '--force');
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('CLI_KEY_OUT_OF_SCOPE');
    // --any-scope signs anyway, and verify then says what every host would say.
    expect(fayger(other, 'sign', 'a.buf', '--key', 'k.key.json', '--any-scope').code).toBe(0);
    const v = fayger(other, 'verify', 'a.buf', '--roots', 'roots.json');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('SECURITY_KEY_OUT_OF_SCOPE');
    // A key file written before scopes were recorded: its .pub.json beside it still tells.
    const key = JSON.parse(readFileSync(join(other, 'k.key.json'), 'utf8'));
    delete key.publishers;
    writeFileSync(join(other, 'k.key.json'), JSON.stringify(key));
    expect(fayger(other, 'sign', 'a.buf', '--key', 'k.key.json', '-o', 'c.buf').stderr).toContain(
      'CLI_KEY_OUT_OF_SCOPE',
    );
    // A key in scope signs without --any-scope.
    expect(fayger(other, 'keygen', '-p', 'com.example', '-o', 'exact').code).toBe(0);
    expect(fayger(other, 'sign', 'a.buf', '--key', 'exact.key.json', '--replace', '-o', 'd.buf').code).toBe(0);
  });
});

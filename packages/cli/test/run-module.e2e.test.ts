import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from './helpers.js';
import { ARGS_ENV_WAT, NO_START_WAT, TRAP_WAT, WRITE_WAT, assemble, exitWat } from './wat.js';

const WASI_C = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'wasi-c', 'wasi-c.wasm');

let dir: string;
let state: string;

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'run', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FAYGER_STATE_DIR: state, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The --json summary: the last line of stderr. */
function summary(stderr: string) {
  const lines = stderr.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

async function write(name: string, wat: string): Promise<string> {
  writeFileSync(join(dir, name), await assemble(wat));
  return name;
}

describe('fayger run app.wasm (spawned CLI, bare WASI modules)', () => {
  beforeAll(async () => {
    dir = tempDir('fayger-cli-module-');
    state = join(dir, 'state');
    await write('args.wasm', ARGS_ENV_WAT);
    await write('trap.wasm', TRAP_WAT);
    await write('write.wasm', WRITE_WAT);
    await write('reactor.wasm', NO_START_WAT);
    for (const code of [0, 1, 42, 255, 256, 4294967295]) await write(`exit-${code}.wasm`, exitWat(code));
  });

  it('runs with no trusted roots; argv[0] is the path as typed, args after --, no environment by default', () => {
    const r = run(['args.wasm', '--', 'a b', '-x'], { FAYGER_SECRET: 'not for the guest' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('args.wasm\na b\n-x\n--\n');
  });

  it('--argv0 names argv[0]; --env K=V sets, --env K passes this process’s K through, an unset K is skipped', () => {
    const r = run(
      [
        'args.wasm',
        '--argv0',
        'prog',
        '--env',
        'GREETING=hi there',
        '--env',
        'FROM_HOST',
        '--env',
        'UNSET_HERE',
        '--env',
        'EMPTY=',
        '--',
        'one',
      ],
      {
        FROM_HOST: 'host value',
        OTHER: 'hidden',
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const [argv, env] = r.stdout.split('--\n');
    expect(argv).toBe('prog\none\n');
    expect(env.split('\n').filter(Boolean).sort()).toEqual(['EMPTY=', 'FROM_HOST=host value', 'GREETING=hi there']);
  });

  it('--explain reports an unsigned local module and the capabilities synthesised from its imports', () => {
    const r = run(['args.wasm', '--explain', '--env', 'A=1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('unsigned local module args.wasm');
    expect(r.stderr).toMatch(/\+ env\s+GRANTED\s+optional/);
    expect(r.stderr).toMatch(/\+ stdio\s+GRANTED\s+optional/);
  });

  it('--dir HOST::/ mounts at the guest root and the guest writes there', () => {
    const root = join(dir, 'root-rw');
    mkdirSync(root);
    const r = run(['write.wasm', '--dir', 'root-rw::/']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(root, 'out.txt'), 'utf8')).toBe('written\n');
  });

  it(':ro mounts are read-only: creating a file fails with a capability errno and nothing is written', () => {
    const root = join(dir, 'root-ro');
    mkdirSync(root);
    const r = run(['write.wasm', '--dir', 'root-ro::/:ro']);
    // wasmtime reports EPERM (63) or ENOTCAPABLE (76) here; EROFS (69) and EACCES (2) are the other honest answers.
    expect([2, 63, 69, 76], r.stderr).toContain(r.code);
    expect(existsSync(join(root, 'out.txt'))).toBe(false);
  });

  it('--dir forms: HOST alone (absolute at itself, relative at /HOST), HOST::GUEST, and the older GUEST=HOST', () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'words.txt'), 'one two\nthree\n');
    writeFileSync(join(dir, 'wc.wasm'), readFileSync(WASI_C));
    const cases: [string[], string][] = [
      [['--dir', data], `${data}/words.txt`],
      [['--dir', 'data'], '/data/words.txt'],
      [['--dir', './data::/in:ro'], '/in/words.txt'],
      [['--dir', `/legacy=${data}`], '/legacy/words.txt'],
    ];
    for (const [flags, path] of cases) {
      const r = run(['wc.wasm', ...flags, '--', path]);
      expect(r.code, `${flags.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toBe(`2 3 14 ${path}\n`);
    }
    const bad = run(['wc.wasm', '--dir', 'data::relative']);
    expect(bad.code).toBe(111);
    expect(bad.stderr).toContain('FAYGER_MOUNT_INVALID');
  });

  it('a bare module is refused from a URL (exit 111, nothing fetched)', () => {
    const r = run(['https://example.invalid/app.wasm', '--json']);
    expect(r.code).toBe(111);
    expect(r.stderr).toContain('CLI_MODULE_NOT_LOCAL');
    expect(summary(r.stderr)).toMatchObject({
      ok: false,
      endedBy: 'fayger',
      exitCode: 111,
      error: { code: 'CLI_MODULE_NOT_LOCAL' },
    });
  });

  it('a module without _start is malformed input (113) naming the entry point', () => {
    const r = run(['reactor.wasm']);
    expect(r.code).toBe(113);
    expect(r.stderr).toContain('FAYGER_MODULE_INVALID');
    expect(r.stderr).toContain('_start');
  });

  it('proc_exit codes pass through unchanged (0, 1, 42, 255) and --json says the guest ended the run', () => {
    for (const code of [0, 1, 42, 255]) {
      const r = run([`exit-${code}.wasm`, '--json']);
      expect(r.code).toBe(code);
      expect(summary(r.stderr)).toEqual({ ok: code === 0, endedBy: 'guest', exitCode: code, guestExitCode: code });
    }
  });

  it('exit codes above 255 are reported, not truncated: exit 119 with the full code on stderr and in --json', () => {
    for (const code of [256, 4294967295]) {
      const r = run([`exit-${code}.wasm`, '--json']);
      expect(r.code).toBe(119);
      expect(r.stderr).toContain(`the guest exited with code ${code}`);
      expect(summary(r.stderr)).toEqual({ ok: false, endedBy: 'guest', exitCode: 119, guestExitCode: code });
    }
  });

  it('a trap exits 134 (as wasmtime) and is attributed to the guest, in --json and in --events json', () => {
    const r = run(['trap.wasm', '--json']);
    expect(r.code).toBe(134);
    expect(r.stdout).toBe('about to trap\n');
    expect(r.stderr).toContain('guest trapped TRAP_UNREACHABLE');
    expect(summary(r.stderr)).toMatchObject({
      ok: false,
      endedBy: 'guest',
      exitCode: 134,
      error: { code: 'TRAP_UNREACHABLE' },
    });
    const e = run(['trap.wasm', '--events', 'json']);
    expect(e.code).toBe(134);
    const ended = summary(e.stderr);
    expect(ended).toMatchObject({
      name: 'cli.run.ended',
      data: { endedBy: 'guest', exitCode: 134, error: { code: 'TRAP_UNREACHABLE' } },
    });
  });

  it('--events json ends with cli.run.ended for a guest exit too', () => {
    const r = run(['exit-42.wasm', '--events', 'json']);
    expect(r.code).toBe(42);
    expect(summary(r.stderr)).toMatchObject({
      name: 'cli.run.ended',
      data: { endedBy: 'guest', exitCode: 42, guestExitCode: 42 },
    });
  });

  it('usage errors name the flag and exit 111, attributed to Fayger', () => {
    const r = run(['args.wasm', '--env', '=x', '--json']);
    expect(r.code).toBe(111);
    expect(r.stderr).toContain('--env');
    expect(summary(r.stderr)).toMatchObject({ endedBy: 'fayger', exitCode: 111, error: { code: 'CLI_USAGE' } });
    const missing = run(['nope.wasm']);
    expect(missing.code).toBe(114);
  });
});

describe('fayger run app.buf: Fayger failures keep documented codes distinct from the guest’s', () => {
  it('a BuF signed by an untrusted key fails verification: exit 112, endedBy fayger', async () => {
    dir = tempDir('fayger-cli-buf-');
    state = join(dir, 'state');
    const fay = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'main.wasm'), await assemble(exitWat(3)));
    writeFileSync(
      join(app, 'manifest.json'),
      // No "quotas": optional in a manifest now (the host's defaults apply).
      JSON.stringify({
        id: 'com.example.three',
        version: '1.0.0',
        publisher: 'com.example',
        runtime: { interface: '^1.0.0' },
        entry: { section: 'main', export: '_start' },
        capabilities: [],
        security: { sequence: 1 },
      }),
    );
    writeFileSync(
      join(app, 'fayger.pack.json'),
      JSON.stringify({
        manifest: 'manifest.json',
        sections: [{ name: 'main', kind: 'code', file: 'main.wasm', required: true }],
      }),
    );
    expect(fay('keygen', '-p', 'com.example', '-o', 'keys/good', '--roots', 'good-roots.json').status).toBe(0);
    expect(fay('keygen', '-p', 'com.example', '-o', 'keys/other', '--roots', 'other-roots.json').status).toBe(0);
    const packed = fay('pack', 'app', '-o', 'app.buf', '--sign', 'keys/good.key.json');
    expect(packed.status, packed.stderr).toBe(0);

    const ok = run(['app.buf', '--trusted-roots', 'good-roots.json', '--json']);
    expect(ok.code, ok.stderr).toBe(3);
    expect(summary(ok.stderr)).toEqual({ ok: false, endedBy: 'guest', exitCode: 3, guestExitCode: 3 });

    const bad = run(['app.buf', '--trusted-roots', 'other-roots.json', '--json']);
    expect(bad.code).toBe(112);
    expect(bad.stderr).toMatch(/error SECURITY_\w+/);
    expect(summary(bad.stderr)).toMatchObject({ ok: false, endedBy: 'fayger', exitCode: 112 });
  });
});

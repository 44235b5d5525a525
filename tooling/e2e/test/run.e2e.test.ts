import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '@fayger/contracts';
import { denialProbe, testKey } from '../../../packages/fayger/test/support/guests.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const bin = join(here, '..', 'test-artifacts', 'bin', 'fayger.js');
const roots = join(repo, '.fayger-dev', 'trusted-roots.json');
const state = mkdtempSync(join(tmpdir(), 'fayger-e2e-state-'));
const scratch = mkdtempSync(join(tmpdir(), 'fayger-e2e-'));
afterAll(() => {
  rmSync(state, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ ...process.env, FAYGER_STATE_DIR: state, ...extra });
function fayger(args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: env(extra),
    cwd: scratch,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const example = (name: string) => join(repo, 'examples', name, 'dist', `${name}.buf`);
const built = (name: string) => existsSync(example(name)) && existsSync(roots);
// An example whose .buf is not built is skipped with the reason in the test name.
const withBuf = (name: string) => (built(name) ? it : it.skip);
const skipNote = (name: string) =>
  built(name) ? '' : ` [skipped: ${example(name)} not built — run pnpm turbo run build --filter './examples/*']`;

describe('fayger run (spawned CLI, real signed example BuFs)', () => {
  withBuf('hello')(`hello: exit 0, its log lines, and --explain shows the grants${skipNote('hello')}`, () => {
    const r = fayger(['run', example('hello'), '--trusted-roots', roots, '--host', 'server', '--explain']);
    expect(r.stderr).toContain('hello from a Fayger guest (AssemblyScript)');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\+ log\s+GRANTED\s+required/);
    expect(r.stderr).toMatch(/\+ clock\s+GRANTED/);
    expect(r.stderr).toMatch(/sections: 1 of 1 selected/);
    expect(r.stderr).toContain('goodbye');
  });

  withBuf('file-tool')(
    `file-tool: reads and writes in a granted --dir, typed denial outside${skipNote('file-tool')}`,
    () => {
      const dir = mkdtempSync(join(scratch, 'ft-'));
      writeFileSync(join(dir, 'input.txt'), 'first line\nsecond line\n');
      const r = fayger([
        'run',
        example('file-tool'),
        '--trusted-roots',
        roots,
        '--host',
        'server',
        '--dir',
        `/data=${dir}`,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toContain('first line: first line');
      expect(r.stderr).toContain('read /data/input.txt: 23 bytes, 2 line(s)');
      expect(r.stderr).toMatch(/read \/etc\/passwd -> .*CAPABILITY_(SCOPE_)?DENIED.*denied, as expected/);
      expect(existsSync('/tmp/fayger-file-tool.txt')).toBe(false);
    },
  );

  withBuf('file-tool')(
    `file-tool without --dir: the required fs capabilities are missing → exit 117${skipNote('file-tool')}`,
    () => {
      const r = fayger([
        'run',
        example('file-tool'),
        '--trusted-roots',
        roots,
        '--host',
        'server',
        '--deny',
        'fs.write',
      ]);
      expect(r.code).toBe(117);
      expect(r.stderr).toContain('CAPABILITY_REQUIRED_MISSING');
    },
  );

  withBuf('http-echo')(
    `http-echo: serves on a loopback port and answers a real HTTP request${skipNote('http-echo')}`,
    async () => {
      const child = spawn(
        process.execPath,
        [
          bin,
          'run',
          example('http-echo'),
          '--trusted-roots',
          roots,
          '--host',
          'server',
          '--grant',
          'net.listen:8787',
          '--env',
          'ECHO_MAX_REQUESTS',
        ],
        {
          env: env({ ECHO_MAX_REQUESTS: '1' }),
          cwd: scratch,
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
      try {
        const deadline = Date.now() + 20_000;
        while (!stderr.includes('listening on 127.0.0.1:8787')) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`http-echo did not start:\n${stderr}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const res = await fetch('http://127.0.0.1:8787/echo/me?x=1', { method: 'POST', body: 'ping' });
        const body = await res.text();
        expect(res.status).toBe(200);
        expect(body).toContain('/echo/me?x=1');
        expect(body).toContain('ping');
        expect(await exited).toBe(0);
      } finally {
        child.kill();
      }
    },
  );

  withBuf('ui-counter')(
    `ui-counter on --host server: ui trimmed by negotiation, degrades and exits 0${skipNote('ui-counter')}`,
    () => {
      const r = fayger(['run', example('ui-counter'), '--trusted-roots', roots, '--host', 'server', '--explain']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/- ui\s+absent\s+optional\s+.*adapter: no/);
      expect(r.stderr).toContain('ui-counter: no ui on this host');
    },
  );

  withBuf('wasi-c')(`wasi-c: an unmodified WASI C program prints correct counts${skipNote('wasi-c')}`, () => {
    const dir = mkdtempSync(join(scratch, 'wc-'));
    writeFileSync(join(dir, 'words.txt'), 'one two three\nfour five\n\nsix\n');
    const r = fayger([
      'run',
      example('wasi-c'),
      '--trusted-roots',
      roots,
      '--host',
      'server',
      '--dir',
      `/data=${dir}`,
      '--',
      '/data/words.txt',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('4 6 29 /data/words.txt\n');
    const label = fayger(
      [
        'run',
        example('wasi-c'),
        '--trusted-roots',
        roots,
        '--host',
        'server',
        '--dir',
        `/data=${dir}`,
        '--env',
        'WC_LABEL',
        '--',
        '/data/words.txt',
      ],
      { WC_LABEL: 'words' },
    );
    expect(label.stdout).toBe('words: 4 6 29 /data/words.txt\n');
    const missing = fayger([
      'run',
      example('wasi-c'),
      '--trusted-roots',
      roots,
      '--host',
      'server',
      '--dir',
      `/data=${dir}`,
      '--',
      '/data/nope.txt',
    ]);
    expect(missing.code).toBe(2); // the program's own "cannot open" exit code
    expect(missing.stderr).toContain('cannot open /data/nope.txt');
  });

  withBuf('hello')(`a tampered .buf is refused with the verification exit code (112)${skipNote('hello')}`, () => {
    const bytes = readFileSync(example('hello'));
    const tampered = Uint8Array.from(bytes);
    tampered[Math.floor(bytes.length / 2)] ^= 0x01; // inside the code section
    const file = join(scratch, 'tampered.buf');
    writeFileSync(file, tampered);
    const r = fayger(['run', file, '--trusted-roots', roots, '--host', 'server']);
    expect(r.code).toBe(112);
    expect(r.stderr).toMatch(/error (LOADER_SECTION_DIGEST_MISMATCH|LOADER_ROOT_DIGEST_MISMATCH|SECURITY_\w+)/);
    expect(r.stderr).not.toContain('hello from a Fayger guest');
  });

  it('a capability denied with --deny reaches the guest as a typed denial (exit 1 = FAYGER_EDENIED), never a no-op', async () => {
    const key = testKey();
    const rootsFile = join(scratch, 'test-roots.json');
    writeFileSync(rootsFile, JSON.stringify(key.roots));
    const file = join(scratch, 'probe.buf');
    writeFileSync(
      file,
      await key.pack('test.fayger.probe', denialProbe(), [
        { name: 'random', required: false },
        { name: 'app', required: true },
      ]),
    );
    expect(fayger(['run', file, '--trusted-roots', rootsFile, '--host', 'server']).code).toBe(0);
    const r = fayger([
      'run',
      file,
      '--trusted-roots',
      rootsFile,
      '--host',
      'server',
      '--deny',
      'random',
      '--events',
      'json',
    ]);
    expect(r.code).toBe(1);
    const denied = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find((e) => e.name === 'instruction.denied');
    expect(denied.data).toMatchObject({ op: 'random.bytes', capability: 'random', code: 'CAPABILITY_DENIED' });
  });

  withBuf('hello')(
    `--events json: every stderr line is JSON, events use the contract names${skipNote('hello')}`,
    () => {
      const r = fayger([
        'run',
        example('hello'),
        '--trusted-roots',
        roots,
        '--host',
        'server',
        '--events',
        'json',
        '--log',
        'json',
      ]);
      expect(r.code).toBe(0);
      const lines = r.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const events = lines.filter((l) => typeof l.name === 'string' && 'layer' in l);
      const logs = lines.filter((l) => 'msg' in l);
      expect(logs.map((l) => l.msg)).toContain('hello from a Fayger guest (AssemblyScript)');
      for (const e of events) expect(EVENT_NAMES).toContain(e.name);
      const names = new Set(events.map((e) => e.name));
      for (const n of [
        'adapter.host.detected',
        'loader.phase.start',
        'loader.load.end',
        'security.signature.verified',
        'adapter.capabilities.negotiated',
        'runtime.lifecycle.transition',
        'instruction.dispatched',
      ]) {
        expect(names, n).toContain(n);
      }
    },
  );
});

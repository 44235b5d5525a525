// Hostile inputs against trust, isolation and input handling (issue 9, items 4–5): each row runs the real CLI
// (bundled from the current sources by global-setup) as a child process under a small V8 heap, and asserts the
// typed error code, the exit code, that the process exits by itself (a bounded wait, not a timing assertion),
// and its peak RSS (written at exit by a --require preload).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '@fayger/contracts';
import { packBuf } from '@fayger/loader';
import {
  createEd25519Signer,
  detectDigestProvider,
  generateEd25519KeyPair,
  trustedRootEntry,
  type Ed25519KeyPair,
} from '@fayger/security';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'test-artifacts', 'bin', 'fayger.js');
const scratch = mkdtempSync(join(tmpdir(), 'fayger-hostile-trust-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HEAP_MB = 256;
const RSS_LIMIT_KB = 512 * 1024;
/** A bound on how long a row may take before it counts as "did not exit" (not a speed assertion). */
const EXIT_BOUND_MS = 60_000;

// Writes the peak RSS (KiB) of the process to $FAYGER_RSS_FILE when it exits, however it exits normally.
const preload = join(scratch, 'peak-rss.cjs');
writeFileSync(
  preload,
  "process.on('exit', () => { if (process.env.FAYGER_RSS_FILE) require('node:fs').writeFileSync(process.env.FAYGER_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n",
);

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  peakRssKb: number;
}

let runs = 0;
/** `node --max-old-space-size=256 --require peak-rss fayger …`, waited for at most EXIT_BOUND_MS. */
function fayger(args: string[], opts: { cwd?: string; state: string }): Outcome {
  const rssFile = join(scratch, `rss-${++runs}.txt`);
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--require', preload, bin, ...args], {
    encoding: 'utf8',
    cwd: opts.cwd ?? scratch,
    env: { ...process.env, FAYGER_STATE_DIR: opts.state, FAYGER_RSS_FILE: rssFile },
    timeout: EXIT_BOUND_MS,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const peakRssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, peakRssKb };
}

/** The process ended by itself (not killed at the bound), with this exit code, within the memory budget. */
function expectExit(r: Outcome, code: number, what: string): void {
  expect(r.signal, `${what}: killed (did not exit by itself)\n${r.stderr}`).toBeNull();
  expect(r.code, `${what}\n${r.stderr}`).toBe(code);
  expect(r.peakRssKb, `${what}: peak RSS`).toBeLessThanOrEqual(RSS_LIMIT_KB);
}

// ---- hand-assembled guests (fayger ABI: call, result_len; `_start` returns the exit code) --------------------

const enc = new TextEncoder();
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return (out.push(b), out);
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => [...uleb(enc.encode(s).length), ...enc.encode(s)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

/**
 * A module importing fayger.call / fayger.result_len, with `strings` laid out in a data segment, and a
 * `_start: () -> i32` whose body `code` gets `at(s)` = [ptr, len] of each string.
 */
function guest(strings: string[], code: (at: (s: string) => number[]) => number[], locals = 0): Uint8Array {
  const offsets = new Map<string, [number, number]>();
  let data: number[] = [];
  for (const s of strings) {
    const b = [...enc.encode(s)];
    offsets.set(s, [data.length, b.length]);
    data = [...data, ...b];
  }
  const i32 = (n: number) => [0x41, ...sleb(n)];
  const at = (s: string) => [...i32(offsets.get(s)![0]), ...i32(offsets.get(s)![1])];
  const body = [...vec(locals ? [[...uleb(locals), 0x7f]] : []), ...code(at), 0x0b];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(
      1,
      vec([
        [0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f]]), 0x01, 0x7f],
        [0x60, 0x00, 0x01, 0x7f],
      ]),
    ),
    ...section(
      2,
      vec([
        [...str('fayger'), ...str('call'), 0x00, 0x00],
        [...str('fayger'), ...str('result_len'), 0x00, 0x01],
      ]),
    ),
    ...section(3, vec([[0x01]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(
      7,
      vec([
        [...str('memory'), 0x02, 0x00],
        [...str('_start'), 0x00, 0x02],
      ]),
    ),
    ...section(10, vec([[...uleb(body.length), ...body]])),
    ...section(11, vec([[0x00, 0x41, 0x00, 0x0b, ...vec(data.map((b) => [b]))]])),
  ]);
}
const CALL = [0x10, 0x00];
const RESULT_LEN = [0x10, 0x01];
const call = (at: (s: string) => number[], op: string, args: string) => [...at(op), ...at(args), ...CALL];

/** `_start` returns 0. */
const exitZero = () => guest([], () => [0x41, 0x00]);

const KV_SET = '{"key":"token","value":{"$b64":"c2VjcmV0LXRva2Vu"}}';
const FS_WRITE = '{"data":{"$b64":"cHJpdmF0ZQ=="},"path":"/data/private.txt"}';
/** Stores a kv token and /data/private.txt; exits 10 × kv.set status + fs.write status (0: both stored). */
const writer = () =>
  guest(['kv.set', KV_SET, 'fs.write', FS_WRITE], (at) => [
    ...call(at, 'kv.set', KV_SET),
    0x41,
    ...sleb(10),
    0x6c,
    ...call(at, 'fs.write', FS_WRITE),
    0x6a,
  ]);

const KV_GET = '{"key":"token"}';
const FS_READ = '{"path":"/data/private.txt"}';
/**
 * Tries to read the token and /data/private.txt. Exit code = 100 × (kv.get found a value) + 10 × (fs.read
 * succeeded) + kv.get status: 0 means it saw nothing; its own app's state gives 110.
 */
const reader = () =>
  guest(
    ['kv.get', KV_GET, 'fs.read', FS_READ],
    (at) => [
      ...call(at, 'kv.get', KV_GET),
      0x21,
      0x00, // local 0 = kv.get status
      ...RESULT_LEN,
      0x41,
      ...sleb(16),
      0x4a,
      0x41,
      ...sleb(100),
      0x6c,
      0x21,
      0x01, // local 1 = 100 × (result longer than {"value":null})
      ...call(at, 'fs.read', FS_READ),
      0x45,
      0x41,
      ...sleb(10),
      0x6c, // 10 × (fs.read status == 0)
      0x20,
      0x01,
      0x6a,
      0x20,
      0x00,
      0x6a,
    ],
    2,
  );

const FIFO_READ = '{"path":"/data/pipe"}';
/** Reads /data/pipe once and exits with the call's status (4 = FAYGER_EHOST). */
const fifoReader = () => guest(['fs.read', FIFO_READ], (at) => call(at, 'fs.read', FIFO_READ));

// ---- keys and artifacts ---------------------------------------------------------------------------------------

const digest = detectDigestProvider();
const keyA = generateEd25519KeyPair();
const keyB = generateEd25519KeyPair();
const stranger = generateEd25519KeyPair();
const rootsFile = join(scratch, 'roots.json');
writeFileSync(
  rootsFile,
  JSON.stringify({
    version: 1,
    keys: [
      trustedRootEntry(keyA.publicKey, { publishers: ['com.a', 'com.a.*'] }),
      trustedRootEntry(keyB.publicKey, { publishers: ['com.b', 'com.b.*'] }),
    ],
  }),
);

function manifest(
  publisher: string,
  id: string,
  sequence: number,
  capabilities: Manifest['capabilities'] = [],
): Manifest {
  return {
    id,
    version: '1.0.0',
    publisher,
    runtime: { interface: '^1.0.0' },
    entry: { section: 'main', export: '_start' },
    capabilities,
    quotas: {},
    security: { sequence },
  };
}

async function artifact(name: string, m: Manifest, wasm: Uint8Array, keys: Ed25519KeyPair[]): Promise<string> {
  const bytes = await packBuf(m, [{ name: 'main', kind: 'code', data: wasm, required: true }], {
    digest,
    signers: keys.map((k) => createEd25519Signer(k.secretKey)),
  });
  const file = join(scratch, `${name}.buf`);
  writeFileSync(file, bytes);
  return file;
}

const jsonEvents = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { name: string; data: Record<string, unknown> });

describe('hostile trust, isolation and input (spawned CLI, --max-old-space-size=256)', () => {
  it('rollback squatting: a key for com.a.* cannot sign com.b.app (SECURITY_ID_OUT_OF_SCOPE, run exit 112); B’s genuine releases still load', async () => {
    const state = mkdtempSync(join(scratch, 'state-'));
    const squat = await artifact('squat', manifest('com.a', 'com.b.app', Number.MAX_SAFE_INTEGER), exitZero(), [keyA]);
    const r = fayger(['run', squat, '--trusted-roots', rootsFile, '--host', 'server'], { state });
    expectExit(r, 112, 'squat');
    expect(r.stderr).toMatch(/error SECURITY_ID_OUT_OF_SCOPE \(phase signature\)/);
    expect(r.stderr).toContain('com.b.app');

    const genuine2 = await artifact('b-2', manifest('com.b', 'com.b.app', 2), exitZero(), [keyB]);
    expectExit(
      fayger(['run', genuine2, '--trusted-roots', rootsFile, '--host', 'server'], { state }),
      0,
      'B sequence 2',
    );
    // Rollback protection still holds for B itself.
    const genuine1 = await artifact('b-1', manifest('com.b', 'com.b.app', 1), exitZero(), [keyB]);
    const rb = fayger(['run', genuine1, '--trusted-roots', rootsFile, '--host', 'server'], { state });
    expectExit(rb, 112, 'B rollback');
    expect(rb.stderr).toContain('error SECURITY_ROLLBACK');

    // Even a key trusted for every id records under its own publisher: it cannot move com.b's floor.
    const wide = join(scratch, 'wide-roots.json');
    const doc = JSON.parse(readFileSync(rootsFile, 'utf8'));
    doc.keys.push(trustedRootEntry(stranger.publicKey, { publishers: ['*'] }));
    writeFileSync(wide, JSON.stringify(doc));
    const other = await artifact('wide-squat', manifest('com.c', 'com.b.app', Number.MAX_SAFE_INTEGER), exitZero(), [
      stranger,
    ]);
    expectExit(
      fayger(['run', other, '--trusted-roots', wide, '--host', 'server'], { state }),
      0,
      'com.c squats with a * key',
    );
    const genuine3 = await artifact('b-3', manifest('com.b', 'com.b.app', 3), exitZero(), [keyB]);
    expectExit(
      fayger(['run', genuine3, '--trusted-roots', wide, '--host', 'server'], { state }),
      0,
      'B sequence 3 after the squat',
    );
    const store = JSON.parse(readFileSync(join(state, 'versions.json'), 'utf8'));
    expect(store.apps).toEqual({ 'com.b': { 'com.b.app': 3 }, 'com.c': { 'com.b.app': Number.MAX_SAFE_INTEGER } });
  });

  it('shared state: com.b.game cannot read com.a.wallet’s kv token or /data file', async () => {
    const state = mkdtempSync(join(scratch, 'state-'));
    const caps: Manifest['capabilities'] = [
      { name: 'kv', required: true },
      { name: 'fs.read', required: true },
      { name: 'fs.write', required: true },
    ];
    const grants = [
      '--grant',
      'kv',
      '--grant',
      'fs.read:/data',
      '--grant',
      'fs.write:/data',
      '--host',
      'server',
      '--trusted-roots',
      rootsFile,
    ];
    const wallet = await artifact('wallet', manifest('com.a', 'com.a.wallet', 1, caps), writer(), [keyA]);
    expectExit(fayger(['run', wallet, ...grants], { state }), 0, 'wallet stores its secrets');
    expect(readFileSync(join(state, 'apps', 'com.a', 'com.a.wallet', 'files', 'private.txt'), 'utf8')).toBe('private');

    const game = await artifact('game', manifest('com.b', 'com.b.game', 1, caps), reader(), [keyB]);
    const r = fayger(['run', game, ...grants, '--events', 'json'], { state });
    expectExit(r, 0, 'game sees neither the token nor the file');
    const fsRead = jsonEvents(r.stderr).find((e) => e.name === 'instruction.completed' && e.data.op === 'fs.read');
    expect(fsRead?.data).toMatchObject({ ok: false, errorCode: 'ADAPTER_PATH_NOT_FOUND' });
    // Control: the same reader as the wallet app sees its own state (so 0 above is isolation, not a broken probe).
    const own = await artifact('wallet-reader', manifest('com.a', 'com.a.wallet', 2, caps), reader(), [keyA]);
    expectExit(fayger(['run', own, ...grants], { state }), 110, 'wallet reads its own state');
    expect(existsSync(join(state, 'data', 'files', 'private.txt'))).toBe(false);
  });

  it('pack: a section file that links to a secret outside the pack directory is refused (CLI_PACK_PATH_ESCAPES, exit 3)', () => {
    const state = mkdtempSync(join(scratch, 'state-'));
    const dir = mkdtempSync(join(scratch, 'pack-'));
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(dir, 'dev-secret.key.json'), '{"secretKey":"not for packing"}');
    symlinkSync(join(dir, 'dev-secret.key.json'), join(app, 'main.wasm'));
    writeFileSync(
      join(app, 'fayger.pack.json'),
      JSON.stringify({
        manifest: manifest('com.a', 'com.a.leak', 1),
        sections: [{ name: 'main', kind: 'code', file: 'main.wasm', required: true }],
      }),
    );
    const r = fayger(['pack', 'app', '-o', 'leak.buf'], { cwd: dir, state });
    expectExit(r, 3, 'pack through a symlink');
    expect(r.stderr).toContain('error CLI_PACK_PATH_ESCAPES');
    expect(existsSync(join(dir, 'leak.buf'))).toBe(false);
  });

  it('--allow-unsigned means "no signature section": an unknown-key or tampered signature is refused (run exit 112)', async () => {
    const state = mkdtempSync(join(scratch, 'state-'));
    const unsignedFile = await artifact('unsigned', manifest('com.a', 'com.a.dev', 1), exitZero(), []);
    const ok = fayger(['run', unsignedFile, '--allow-unsigned', '--host', 'server', '--explain'], { state });
    expectExit(ok, 0, 'no signature section');
    expect(ok.stderr).toContain('unsigned (allowed)');

    const foreign = await artifact('foreign', manifest('com.a', 'com.a.dev', 1), exitZero(), [stranger]);
    const unknown = fayger(['run', foreign, '--allow-unsigned', '--host', 'server'], { state });
    expectExit(unknown, 112, 'unknown key, no roots');
    expect(unknown.stderr).toContain('error SECURITY_UNKNOWN_KEY');
    const unknownWithRoots = fayger(
      ['run', foreign, '--allow-unsigned', '--trusted-roots', rootsFile, '--host', 'server'],
      { state },
    );
    expectExit(unknownWithRoots, 112, 'unknown key, with roots');
    expect(unknownWithRoots.stderr).toContain('error SECURITY_UNKNOWN_KEY');

    // Tampered manifest: the attacker rewrites the manifest and the root digest but cannot re-sign; the old
    // signature (the last 64 bytes: a one-record signature section is the end of the file) no longer verifies.
    const original = readFileSync(await artifact('orig', manifest('com.a', 'com.a.dev', 1), exitZero(), [keyA]));
    const tampered = Uint8Array.from(
      readFileSync(
        await artifact('evil', manifest('com.a', 'com.a.dev', 1, [{ name: 'kv', required: true }]), exitZero(), [keyA]),
      ),
    );
    tampered.set(original.subarray(original.length - 64), tampered.length - 64);
    const tamperedFile = join(scratch, 'tampered.buf');
    writeFileSync(tamperedFile, tampered);
    for (const [args, code] of [
      [['--allow-unsigned'], 'SECURITY_UNKNOWN_KEY'],
      [['--allow-unsigned', '--trusted-roots', rootsFile], 'SECURITY_SIGNATURE_INVALID'],
    ] as const) {
      const r = fayger(['run', tamperedFile, ...args, '--host', 'server'], { state });
      expectExit(r, 112, `tampered, ${args.join(' ')}`);
      expect(r.stderr).toContain(`error ${code}`);
      expect(r.stderr).not.toContain('unsigned (allowed)');
    }
  });

  const canMkfifo = (() => {
    try {
      execFileSync('mkfifo', [join(scratch, 'probe-fifo')]);
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!canMkfifo)(
    'a FIFO in a granted dir: refused with ADAPTER_SPECIAL_FILE, never opened blocking; the process exits',
    async () => {
      const state = mkdtempSync(join(scratch, 'state-'));
      const dir = mkdtempSync(join(scratch, 'fifo-'));
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      const file = await artifact(
        'fifo',
        manifest('com.a', 'com.a.fifo', 1, [{ name: 'fs.read', required: true }]),
        fifoReader(),
        [keyA],
      );
      const r = fayger(
        [
          'run',
          file,
          '--trusted-roots',
          rootsFile,
          '--host',
          'server',
          '--dir',
          `/data=${dir}`,
          '--quota',
          'wallTimeMs=20000',
          '--events',
          'json',
        ],
        { state },
      );
      expectExit(r, 4, 'FIFO read (the guest exits with FAYGER_EHOST)');
      const read = jsonEvents(r.stderr).find((e) => e.name === 'instruction.completed' && e.data.op === 'fs.read');
      expect(read?.data).toMatchObject({ ok: false, errorCode: 'ADAPTER_SPECIAL_FILE' });
    },
  );

  it('a 249 MB file whose index declares 3M entries fails from its header: LOADER_LIMIT_EXCEEDED, exit 3, small RSS', () => {
    const state = mkdtempSync(join(scratch, 'state-'));
    // header | canonical manifest | index: count 3,000,000 then zeros (sparse) — what took 1.56 GB and 33–47 s.
    const m = enc.encode(
      '{"capabilities":[],"entry":{"export":"_start","section":"main"},"id":"com.a.huge","publisher":"com.a","quotas":{},"runtime":{"interface":"^1.0.0"},"security":{"sequence":1},"version":"1.0.0"}',
    );
    const count = 3_000_000;
    const indexOffset = Math.ceil((64 + m.length) / 8) * 8;
    const indexLength = 8 + count * 83;
    const total = indexOffset + indexLength;
    const header = new Uint8Array(64);
    const v = new DataView(header.buffer);
    header.set([0x89, 0x42, 0x75, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    v.setUint16(8, 1, true); // format 1.0
    v.setUint8(20, 1); // sha256
    v.setUint8(21, 3); // alignment 8
    v.setUint16(22, 64, true);
    const u64 = (at: number, n: number) => v.setBigUint64(at, BigInt(n), true);
    u64(24, total);
    u64(32, 64);
    u64(40, m.length);
    u64(48, indexOffset);
    u64(56, indexLength);
    const file = join(scratch, 'huge-index.buf');
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, header, 0, 64, 0);
      writeSync(fd, m, 0, m.length, 64);
      const prefix = new Uint8Array(8);
      new DataView(prefix.buffer).setUint32(0, count, true);
      writeSync(fd, prefix, 0, 8, indexOffset);
      ftruncateSync(fd, total);
    } finally {
      closeSync(fd);
    }
    expect(total).toBeGreaterThan(249_000_000);
    const r = fayger(['run', file, '--allow-unsigned', '--host', 'server'], { state });
    expectExit(r, 113, 'huge index');
    expect(r.stderr).toMatch(/error LOADER_LIMIT_EXCEEDED \(phase read\)/);
    expect(r.peakRssKb).toBeLessThan(256 * 1024);
  });
});

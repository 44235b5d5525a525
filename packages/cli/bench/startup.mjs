// Start-up benchmark of the `fayger` command (the built dist/bin.js), side by side with `node -e 0`:
//   node -e 0 · fayger --version · fayger --help · fayger run hello.wasm · fayger run hello.buf (signed)
// Each round runs every command once, in a rotating order, so load on a shared machine hits all alike; the
// report gives the median, p10, p90 and min wall time of FAYGER_BENCH_RUNS rounds (default 15) and each
// command's median excess over `node -e 0` in the same round (the part Fayger adds, robust to load).
// hello.wasm is assembled from WAT here; hello.buf packs the same module, signed with a fresh key.
// Needs a built CLI (`pnpm bench` builds it). Writes bench-results/startup.json; no hyperfine needed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const RUNS = Number(process.env.FAYGER_BENCH_RUNS ?? 15);
const TARGETS_MS = { version: 150, runWasm: 300 };

if (!existsSync(bin)) {
  console.error(`startup bench: ${bin} is missing — build the CLI first (pnpm --filter @fayger/cli build)`);
  process.exit(1);
}

const HELLO_WAT = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, world\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

const work = mkdtempSync(join(tmpdir(), 'fayger-startup-'));
const env = { ...process.env, FAYGER_STATE_DIR: join(work, 'state') };
const sh = (args) => spawnSync(process.execPath, args, { cwd: work, env, encoding: 'utf8' });
const fayger = (...args) => {
  const r = sh([bin, ...args]);
  if (r.status !== 0) throw new Error(`fayger ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
};

const wabt = await wabtInit();
const mod = wabt.parseWat('hello.wat', HELLO_WAT);
writeFileSync(join(work, 'hello.wasm'), new Uint8Array(mod.toBinary({}).buffer));
mod.destroy();
mkdirSync(join(work, 'app'));
writeFileSync(join(work, 'app', 'main.wasm'), new Uint8Array(wabt.parseWat('h.wat', HELLO_WAT).toBinary({}).buffer));
writeFileSync(
  join(work, 'app', 'manifest.json'),
  JSON.stringify({
    id: 'bench.hello',
    version: '1.0.0',
    publisher: 'bench',
    runtime: { interface: '^1.0.0' },
    entry: { section: 'main', export: '_start' },
    capabilities: [{ name: 'stdio', required: true }],
    security: { sequence: 1 },
  }),
);
writeFileSync(
  join(work, 'app', 'fayger.pack.json'),
  JSON.stringify({
    manifest: 'manifest.json',
    sections: [{ name: 'main', kind: 'code', file: 'main.wasm', required: true }],
  }),
);
fayger('keygen', '-p', 'bench', '-o', 'key', '--roots', 'roots.json');
fayger('pack', 'app', '-o', 'hello.buf', '--sign', 'key.key.json');

const commands = {
  'node -e 0': ['-e', '0'],
  'fayger --version': [bin, '--version'],
  'fayger --help': [bin, '--help'],
  'fayger run hello.wasm': [bin, 'run', 'hello.wasm', '--host', 'server'],
  'fayger run hello.buf': [
    bin,
    'run',
    'hello.buf',
    '--trusted-roots',
    'roots.json',
    '--host',
    'server',
    '--no-version-store',
  ],
};
const names = Object.keys(commands);
for (const name of names.slice(3)) {
  const r = sh(commands[name]);
  if (r.status !== 0 || r.stdout !== 'hello, world\n')
    throw new Error(`${name}: exit ${r.status}, stdout ${JSON.stringify(r.stdout)}\n${r.stderr}`);
}

// CPU time (user+sys) of each child as GNU time reports it: far less sensitive to a loaded machine than wall.
const GNU_TIME =
  existsSync('/usr/bin/time') &&
  spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, '-e', '0'], { encoding: 'utf8' }).status === 0
    ? '/usr/bin/time'
    : undefined;
const cpuFile = join(work, 'cpu.txt');
const timed = (args) => {
  if (!GNU_TIME) return { r: sh(args), cpuMs: undefined };
  const r = spawnSync(GNU_TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...args], {
    cwd: work,
    env,
    encoding: 'utf8',
  });
  const [u, s] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { r, cpuMs: (u + s) * 1000 };
};
const wall = Object.fromEntries(names.map((n) => [n, []]));
const excess = Object.fromEntries(names.map((n) => [n, []]));
const cpu = Object.fromEntries(names.map((n) => [n, []]));
const cpuExcess = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < RUNS + 1; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  const t = {};
  const c = {};
  for (const name of order) {
    const start = process.hrtime.bigint();
    const { r, cpuMs } = timed(commands[name]);
    t[name] = Number(process.hrtime.bigint() - start) / 1e6;
    c[name] = cpuMs;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
  }
  if (round === 0) continue; // warm-up: file cache, first-run work (the run command's V8 code cache)
  for (const name of names) {
    wall[name].push(t[name]);
    excess[name].push(t[name] - t['node -e 0']);
    if (c[name] !== undefined) {
      cpu[name].push(c[name]);
      cpuExcess[name].push(c[name] - c['node -e 0']);
    }
  }
}
rmSync(work, { recursive: true, force: true });

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
};
const r1 = (x) => Math.round(x * 10) / 10;
const results = Object.fromEntries(
  names.map((n) => [
    n,
    {
      medianMs: r1(q(wall[n], 0.5)),
      p10Ms: r1(q(wall[n], 0.1)),
      p90Ms: r1(q(wall[n], 0.9)),
      minMs: r1(Math.min(...wall[n])),
      overNodeMedianMs: r1(q(excess[n], 0.5)),
      ...(cpu[n].length ? { cpuMedianMs: r1(q(cpu[n], 0.5)), cpuOverNodeMedianMs: r1(q(cpuExcess[n], 0.5)) } : {}),
    },
  ]),
);
const result = {
  bench: 'fayger CLI start-up (spawned, wall time; cpu = user+sys from GNU time when present)',
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadavgAtEnd: loadavg().map(r1),
  runs: RUNS,
  results,
  targets: {
    'fayger --version': {
      maxMs: TARGETS_MS.version,
      medianMs: results['fayger --version'].medianMs,
      met: results['fayger --version'].medianMs <= TARGETS_MS.version,
    },
    'fayger run hello.wasm': {
      maxMs: TARGETS_MS.runWasm,
      medianMs: results['fayger run hello.wasm'].medianMs,
      met: results['fayger run hello.wasm'].medianMs <= TARGETS_MS.runWasm,
    },
  },
};
mkdirSync(join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(join(here, '..', 'bench-results', 'startup.json'), `${JSON.stringify(result, null, 2)}\n`);

console.log(
  `fayger start-up, ${RUNS} rounds (node ${process.version}, ${cpus().length} cpus, load ${loadavg().map(r1).join(' ')})`,
);
console.log(
  `${'command'.padEnd(24)} ${'median'.padStart(8)} ${'p10'.padStart(8)} ${'p90'.padStart(8)} ${'over node'.padStart(10)} ${'cpu'.padStart(8)} ${'cpu over node'.padStart(14)}`,
);
for (const n of names) {
  const x = results[n];
  const cpuCols =
    x.cpuMedianMs === undefined
      ? ''
      : ` ${`${x.cpuMedianMs}`.padStart(6)} ms ${`${x.cpuOverNodeMedianMs}`.padStart(11)} ms`;
  console.log(
    `${n.padEnd(24)} ${`${x.medianMs}`.padStart(6)} ms ${`${x.p10Ms}`.padStart(5)} ms ${`${x.p90Ms}`.padStart(5)} ms ${`${x.overNodeMedianMs}`.padStart(7)} ms${cpuCols}`,
  );
}
for (const [n, t] of Object.entries(result.targets))
  console.log(`target ${n} ≤ ${t.maxMs} ms: ${t.met ? 'met' : 'NOT met'} (median ${t.medianMs} ms)`);
console.log('written: bench-results/startup.json');

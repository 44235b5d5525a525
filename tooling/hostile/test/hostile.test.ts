import { afterAll, describe, expect, it } from 'vitest';
import * as g from './support/guests.js';
import { fayger, Lab, MAX_RSS_BYTES, row, runChild, type RunOutcome } from './support/run.js';

/**
 * Hostile guests against the real `fayger run` (bundled from sources), each in its own child process under
 * `--max-old-space-size=256`. Every case asserts the typed outcome, the exit code, that the process exited by
 * itself (never killed by the bounded timeout), no crash trace, and peak RSS ≤ 512 MB. No verdict depends on
 * the machine's speed: limits are counts (fuel, pages, elements, bytes) or, for wall time, only "it ended".
 */

const lab = new Lab();
afterAll(() => lab.cleanup());

// `fayger run` exits 116 when Fayger stops the guest (quota breach, link error): codes 111-120 are its own.
const EXIT_GUEST_FAILED = 116;
// A guest trap exits 134, as under wasmtime.
const EXIT_TRAP = 134;

function expectContained(r: RunOutcome): void {
  expect(r.timedOut, `did not exit by itself\n${r.stderr.slice(-2000)}`).toBe(false);
  expect(r.signal, r.stderr.slice(-2000)).toBeNull();
  expect(r.stderr).not.toMatch(/FATAL ERROR|JavaScript heap out of memory|^\s+at .+:\d+:\d+\)?$/m);
  expect(r.peakRss, `peak RSS ${(r.peakRss / 1048576).toFixed(0)} MB`).toBeLessThanOrEqual(MAX_RSS_BYTES);
  expect(r.peakRss).toBeGreaterThan(0);
}

function expectQuota(r: RunOutcome, code: string): void {
  expectContained(r);
  expect(r.errorCode, r.stderr.slice(-2000)).toBe(code);
  expect(r.code).toBe(EXIT_GUEST_FAILED);
}

/** The usage footer of --explain: "--- Failed; fuel N, host calls N, peak memory N pages, N ms ---". */
function footer(r: RunOutcome): { fuel: number; hostCalls: number; peakPages: number; ms: number } {
  const m = /fuel (\d+), host calls (\d+), peak memory (\d+) pages, ([\d.]+) ms/.exec(r.stderr);
  if (!m) throw new Error(`no usage footer in:\n${r.stderr.slice(-2000)}`);
  return { fuel: Number(m[1]), hostCalls: Number(m[2]), peakPages: Number(m[3]), ms: Number(m[4]) };
}

describe('tables', () => {
  it('200 tables × 10,000,000 elements declared: QUOTA_TABLE_ELEMENTS_EXCEEDED before anything is allocated', async () => {
    const r = await fayger(await lab.pack('tables-declared', g.tablesDeclared()), lab);
    row('tables declared (200 × 10M)', r);
    expectQuota(r, 'QUOTA_TABLE_ELEMENTS_EXCEEDED');
  });

  it("…also with the issue's --quota fuel=…,memoryPages=1,wallTimeMs=… and the manifest asking for more", async () => {
    const buf = await lab.pack('tables-declared-q', g.tablesDeclared(), { quotas: { tableElements: 2_000_000_000 } });
    const r = await fayger(buf, lab, ['--quota', 'fuel=1000000,memoryPages=1,wallTimeMs=10000']);
    row('tables declared, manifest tableElements=2e9', r);
    expectQuota(r, 'QUOTA_TABLE_ELEMENTS_EXCEEDED');
  });

  it('table.grow by 10,000,000 elements, 200 times: QUOTA_TABLE_ELEMENTS_EXCEEDED at the default 1,000,000', async () => {
    const r = await fayger(await lab.pack('tables-grown', g.tablesGrown()), lab, ['--explain']);
    row('tables grown (200 × table.grow 10M)', r);
    expectQuota(r, 'QUOTA_TABLE_ELEMENTS_EXCEEDED');
    expect(r.stderr).toMatch(/tableElements\s+1000000 elements \(default\)/);
  });

  it('--quota tableElements= is accepted and wins over the default', async () => {
    const r = await fayger(await lab.pack('tables-grown-q', g.tablesGrown()), lab, [
      '--quota',
      'tableElements=5000000',
      '--explain',
    ]);
    row('tables grown, --quota tableElements=5M', r);
    expectQuota(r, 'QUOTA_TABLE_ELEMENTS_EXCEEDED');
    expect(r.stderr).toMatch(/tableElements\s+5000000 elements \(host\)/);
  });
});

describe('host-call amplification', () => {
  it('fayger.call with 48 KB of {"$mem":[0,1 MiB]} refs: refused before copying (RUNTIME_HOST_CALL_TOO_LARGE, ETOOBIG)', async () => {
    const r = await fayger(
      await lab.pack('mem-amp', g.memAmplification(), { capabilities: [{ name: 'log', required: true }] }),
      lab,
      ['--events', 'json'],
    );
    row('fayger.call $mem amplification', r);
    expectContained(r);
    // The guest saw FAYGER_ETOOBIG (5) and exited with 100 + it.
    expect(r.code).toBe(105);
    const denied = r.events.find((e) => e.name === 'instruction.denied');
    expect(denied?.data.code).toBe('RUNTIME_HOST_CALL_TOO_LARGE');
  });
});

describe('no default limits', () => {
  it('an infinite loop with no quota anywhere ends at the default fuel: QUOTA_FUEL_EXCEEDED', async () => {
    const r = await fayger(await lab.pack('spinner', g.spinner()), lab, ['--explain'], { timeoutMs: 850_000 });
    row('infinite loop, defaults only', r);
    expectQuota(r, 'QUOTA_FUEL_EXCEEDED');
    expect(r.stderr).toMatch(/fuel\s+5000000000 fuel units \(default\)/);
  }, 900_000);

  it('an infinite loop in the start function (run during instantiation) is metered too', async () => {
    const r = await fayger(await lab.pack('start-spinner', g.startSpinner()), lab, ['--quota', 'fuel=50000000']);
    row('infinite loop in the start function, fuel=5e7', r);
    expectQuota(r, 'QUOTA_FUEL_EXCEEDED');
  });

  it('…and, with fuel unlimited, wall time ends it: the start function runs in slices that yield and check the clock', async () => {
    const r = await fayger(await lab.pack('start-spinner-wall', g.startSpinner()), lab, [
      '--quota',
      'wallTimeMs=1000,fuel=unlimited',
    ]);
    row('infinite loop in the start function, wallTimeMs=1000, fuel unlimited', r);
    expectQuota(r, 'QUOTA_WALL_TIME_EXCEEDED');
  });

  it('memory.grow page by page towards 4 GiB stops at the default 2048 pages: QUOTA_MEMORY_EXCEEDED', async () => {
    const r = await fayger(await lab.pack('grow-pages', g.growByPages()), lab, ['--explain']);
    row('memory.grow 1 page at a time, defaults only', r);
    expectQuota(r, 'QUOTA_MEMORY_EXCEEDED');
    expect(footer(r).peakPages).toBeLessThanOrEqual(2049);
    expect(r.stderr).toMatch(/memoryPages\s+2048 64 KiB pages \(default\)/);
  });

  it('memory.grow(65535) at once: refused by the quota and reported as QUOTA_MEMORY_EXCEEDED (not a silent -1)', async () => {
    const r = await fayger(await lab.pack('grow-all', g.growAllAtOnce()), lab);
    row('memory.grow 4 GiB at once, defaults only', r);
    expectQuota(r, 'QUOTA_MEMORY_EXCEEDED');
  });
});

describe('quota bypass', () => {
  it('1-page grows under wallTimeMs=1000,fuel=100000: each grow is charged per byte, so fuel ends it after ~100 pages', async () => {
    const r = await fayger(await lab.pack('bypass-grow', g.growByPages(), { quotas: { memoryPages: 65536 } }), lab, [
      '--quota',
      'wallTimeMs=1000,fuel=100000,memoryPages=65536',
      '--explain',
    ]);
    row('1-page grows, wallTimeMs=1000,fuel=100000', r);
    expectContained(r);
    expect(['QUOTA_FUEL_EXCEEDED', 'QUOTA_WALL_TIME_EXCEEDED']).toContain(r.errorCode);
    expect(r.code).toBe(EXIT_GUEST_FAILED);
    // 1 page of new memory costs 65536 / 64 fuel: 100,000 fuel buys fewer than 100 grows.
    expect(footer(r).peakPages).toBeLessThan(100);
  });

  it('memory.fill of the whole memory forever, fuel unlimited, wallTimeMs=1000: the wall-time check still ends it', async () => {
    const r = await fayger(await lab.pack('bypass-fill', g.fillForever()), lab, [
      '--quota',
      'wallTimeMs=1000,fuel=unlimited',
    ]);
    row('memory.fill forever, wallTimeMs=1000, fuel unlimited', r);
    expectQuota(r, 'QUOTA_WALL_TIME_EXCEEDED');
  });
});

describe('stdout', () => {
  it('endless output to a pipe nobody reads for 3 s, outputBytes unlimited: the guest waits (drain), RSS stays bounded', async () => {
    const buf = await lab.pack('yes-2g', g.yes(), { capabilities: [{ name: 'stdio', required: true }] });
    // The guest writes forever; the fuel quota ends it after ~1.2 GiB (1 MiB per write costs 16,384 fuel of
    // payload): more than the RSS bound, so buffering it in the host would fail the test.
    const r = await fayger(buf, lab, ['--quota', 'outputBytes=unlimited,fuel=20000000'], {
      readStdoutAfterMs: 3000,
      timeoutMs: 850_000,
    });
    row('stdout >1 GiB, slow pipe', r);
    expectQuota(r, 'QUOTA_FUEL_EXCEEDED');
    expect(r.stdoutBytes).toBeGreaterThan(1 << 30);
  }, 900_000);

  it('the default outputBytes (1 GiB) ends an endless writer: QUOTA_OUTPUT_EXCEEDED', async () => {
    const buf = await lab.pack('yes-quota', g.yes(), { capabilities: [{ name: 'stdio', required: true }] });
    const r = await fayger(buf, lab, [], { timeoutMs: 850_000 });
    row('stdout endless, default outputBytes', r);
    expectQuota(r, 'QUOTA_OUTPUT_EXCEEDED');
    expect(r.stdoutBytes).toBe(1 << 30);
  }, 900_000);

  it('a log-line flood (fayger.log, 64 KiB lines) to a stderr nobody reads for 3 s, outputBytes unlimited: the guest waits (drain)', async () => {
    const buf = await lab.pack('log-slow', g.logFlood(), { capabilities: [{ name: 'log', required: true }] });
    // fuel=20,000,000 buys ~19,000 lines of 64 KiB (1,024 fuel of payload each): >1 GiB, past the RSS bound.
    const r = await fayger(buf, lab, ['--quota', 'outputBytes=unlimited,fuel=20000000'], {
      readStderrAfterMs: 3000,
      timeoutMs: 850_000,
    });
    row('log lines >1 GiB, slow stderr', r);
    expectQuota(r, 'QUOTA_FUEL_EXCEEDED');
    expect(r.stderrBytes).toBeGreaterThan(1 << 30);
  }, 900_000);

  it('| head -c 100: EPIPE ends the run cleanly with ADAPTER_STREAM_CLOSED (exit 114), no stack trace', async () => {
    const buf = await lab.pack('yes-head', g.yes(4096), { capabilities: [{ name: 'stdio', required: true }] });
    const r = await fayger(buf, lab, [], { closeStdoutAfter: 100 });
    row('stdout | head -c 100 (EPIPE)', r);
    expectContained(r);
    expect(r.errorCode, r.stderr).toBe('ADAPTER_STREAM_CLOSED');
    expect(r.code).toBe(114);
    expect(r.stderr).not.toMatch(/Error: (write )?EPIPE|internal error/);
  });
});

describe('classes of our own', () => {
  it('memory.fill of 4 GiB on a 1-page memory: TRAP_MEMORY_OUT_OF_BOUNDS before touching anything', async () => {
    const r = await fayger(await lab.pack('fill-4g', g.fill4GiB()), lab);
    row('memory.fill 4 GiB', r);
    expectContained(r);
    expect(r.errorCode).toBe('TRAP_MEMORY_OUT_OF_BOUNDS');
    expect(r.code).toBe(EXIT_TRAP);
  });

  it('memory.fill of a 256 MiB memory in a loop: charged per byte, ends at a fuel quota', async () => {
    const r = await fayger(await lab.pack('fill-256m', g.fillForever(4096)), lab, [
      '--quota',
      'fuel=100000000,memoryPages=4096',
    ]);
    row('memory.fill 256 MiB loop, fuel=1e8', r);
    expectQuota(r, 'QUOTA_FUEL_EXCEEDED');
  });

  it('unbounded recursion: QUOTA_CALL_DEPTH_EXCEEDED at the default call depth', async () => {
    const r = await fayger(await lab.pack('recursion', g.recursion()), lab);
    row('unbounded recursion', r);
    expectQuota(r, 'QUOTA_CALL_DEPTH_EXCEEDED');
  });

  it('unbounded recursion with 20,000 locals per frame: the value stack cap, reported as QUOTA_CALL_DEPTH_EXCEEDED', async () => {
    const r = await fayger(await lab.pack('recursion-fat', g.recursion(20_000)), lab);
    row('recursion, 20k locals per frame', r);
    expectQuota(r, 'QUOTA_CALL_DEPTH_EXCEEDED');
  });

  it('a log flood of 64 KiB messages with --events json: QUOTA_OUTPUT_EXCEEDED at outputBytes', async () => {
    const buf = await lab.pack('log-flood', g.logFlood(), { capabilities: [{ name: 'log', required: true }] });
    const r = await fayger(buf, lab, ['--events', 'json', '--quota', 'outputBytes=16777216']);
    row('log/event flood, outputBytes=16 MiB', r);
    expectQuota(r, 'QUOTA_OUTPUT_EXCEEDED');
    expect(r.events.some((e) => e.name === 'runtime.quota.breach' && e.data.resource === 'output')).toBe(true);
  });

  it('a host-call flood is throttled to hostCallsPerSecond and ends at wallTimeMs', async () => {
    const buf = await lab.pack('call-flood', g.hostCallFlood(), { capabilities: [{ name: 'clock', required: true }] });
    const r = await fayger(buf, lab, ['--quota', 'hostCallsPerSecond=1000,wallTimeMs=2000', '--explain']);
    row('host-call flood, 1000/s, wallTimeMs=2000', r);
    expectQuota(r, 'QUOTA_WALL_TIME_EXCEEDED');
    const f = footer(r);
    // Token bucket: at most one second's burst plus the rate times the run's wall time.
    expect(f.hostCalls).toBeLessThanOrEqual(1000 + Math.ceil((f.ms / 1000) * 1000) + 10);
  });

  it('a br_table with 1,000,000 targets: compiled and run within bounded memory', async () => {
    const r = await fayger(await lab.pack('br-table', g.hugeBrTable(1_000_000)), lab);
    row('br_table with 1M targets', r);
    expectContained(r);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
  });

  it('a 16 MiB data segment into a 1-page memory: TRAP_MEMORY_OUT_OF_BOUNDS at instantiation', async () => {
    const r = await fayger(await lab.pack('huge-data', g.hugeData(16 << 20)), lab);
    row('16 MiB data segment, 1-page memory', r);
    expectContained(r);
    expect(r.errorCode).toBe('TRAP_MEMORY_OUT_OF_BOUNDS');
    expect(r.code).toBe(EXIT_TRAP);
  });

  it('a 2,000,000-entry element segment (2 MB of module, 300 MB as objects): refused by the decoder before expanding it', async () => {
    const r = await fayger(await lab.pack('huge-elems', g.hugeElems(2_000_000)), lab);
    row('2M-entry element segment', r);
    expectContained(r);
    expect(r.errorCode).toBe('WASM_LIMIT_EXCEEDED');
    expect(r.stderr).toContain('element segment entries');
    expect(r.code).toBe(EXIT_GUEST_FAILED);
  });

  it('a 900,000-entry element segment into a 900,000-element table: QUOTA_TABLE_ELEMENTS_EXCEEDED under tableElements=500000', async () => {
    const r = await fayger(await lab.pack('big-elems', g.hugeElems(900_000)), lab, ['--quota', 'tableElements=500000']);
    row('900k-entry element segment, tableElements=500k', r);
    expectQuota(r, 'QUOTA_TABLE_ELEMENTS_EXCEEDED');
  });

  it('1,000,000 functions: refused by the decoder (implementation limit) before allocating them', async () => {
    const r = await fayger(await lab.pack('million-funcs', g.manyFunctions(1_000_000)), lab);
    row('1M functions', r);
    expectContained(r);
    expect(r.errorCode).toBe('WASM_LIMIT_EXCEEDED');
    expect(r.code).toBe(EXIT_GUEST_FAILED);
  });

  it("200,000 functions (below the decoder's 250,000 limit): instantiated and run within bounded memory", async () => {
    const r = await fayger(await lab.pack('many-funcs', g.manyFunctions(200_000)), lab);
    row('200k functions', r);
    expectContained(r);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
  });

  it('a function with 60,000 locals: refused at compile time with a typed error', async () => {
    const r = await fayger(await lab.pack('many-locals', g.manyLocals(60_000)), lab);
    row('60k locals in one function', r);
    expectContained(r);
    expect(r.errorCode).toMatch(/^WASM_/);
    expect(r.code).toBe(EXIT_GUEST_FAILED);
  });

  it('an export name of 8 MiB: loaded and run within bounded memory', async () => {
    const r = await fayger(await lab.pack('long-export', g.longExportName(8 << 20)), lab);
    row('8 MiB export name', r);
    expectContained(r);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
  });

  it('8 instances in one process, each growing to its 256-page quota: each ends QUOTA_MEMORY_EXCEEDED, memory is released', async () => {
    const buf = await lab.pack('many-instances', g.growByPages(), { quotas: { memoryPages: 256 } });
    const r = await runChild([buf, lab.roots, '8'], lab, { script: 'many-instances.js' });
    row('8 instances × 256 pages in one process', r);
    expectContained(r);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const results = JSON.parse(r.stdoutTail) as { state: string; code: string }[];
    expect(results).toHaveLength(8);
    for (const x of results) expect(x).toEqual({ state: 'Failed', code: 'QUOTA_MEMORY_EXCEEDED' });
  });
});

describe('module shape: counts checked by the decoder before anything is expanded (WASM_LIMIT_EXCEEDED)', () => {
  const cases: Array<[string, string, () => Uint8Array, string]> = [
    ['types-bomb', '5,000,000 types (15 MB)', () => g.typesBomb(5_000_000), 'types'],
    ['imports-bomb', '4,000,000 imports (16 MB)', () => g.importsBomb(4_000_000), 'imports'],
    ['globals-bomb', '3,000,000 globals (15 MB)', () => g.globalsBomb(3_000_000), 'globals'],
    ['data-bomb', '8,000,000 data segments (16 MB)', () => g.dataBomb(8_000_000), 'data segments'],
    ['funcs-2e32', '2³²−1 functions declared in 5 bytes', () => g.functionCountBomb(), 'functions'],
    [
      'locals-bomb',
      '240,000 functions × 50,000 locals (2 MB; 1.2·10¹⁰ locals)',
      () => g.localsBomb(240_000, 50_000),
      'locals of all functions together',
    ],
    ['huge-body', 'one 15 MB function body', () => g.hugeBody(5_000_000), 'function body size in bytes'],
  ];
  for (const [name, what, guest, limit] of cases) {
    it(`${what}: refused, typed`, async () => {
      const r = await fayger(await lab.pack(name, guest()), lab);
      row(what, r);
      expectQuota(r, 'WASM_LIMIT_EXCEEDED');
      expect(r.stderr).toContain(`module's ${limit}`);
    });
  }

  it('200 functions of 90 KB each (18 MB of code), every one called: compiled and run within bounded memory', async () => {
    const r = await fayger(await lab.pack('many-bodies', g.manyBodies(200, 30_000)), lab);
    row('200 × 90 KB function bodies, all called', r);
    expectContained(r);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
  });
});

describe('host-call shape', () => {
  it('fayger.call with 16 MB of JSON holding 5,000,000 empty objects (under the byte cap): refused before parsing (ETOOBIG)', async () => {
    const buf = await lab.pack('json-objects', g.jsonObjects(16_000_000), {
      capabilities: [{ name: 'log', required: true }],
    });
    const r = await fayger(buf, lab, ['--events', 'json']);
    row('fayger.call JSON of 5M objects', r);
    expectContained(r);
    expect(r.code, r.stderr.slice(-2000)).toBe(105);
    const denied = r.events.find((e) => e.name === 'instruction.denied');
    expect(denied?.data.code).toBe('RUNTIME_HOST_CALL_TOO_LARGE');
  });
});

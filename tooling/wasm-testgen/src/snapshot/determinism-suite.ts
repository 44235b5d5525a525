// @fayger/wasm-testgen/snapshot-determinism: the determinism proof of issue #18, one suite for every engine. Each
// engine's test/snapshot/determinism.test.ts calls it with its RuntimeImplementation factory and its own
// child-resume.ts (which calls runChildResume with the same factory), so both engines are held to the same proof.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'tsup';
import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.js';
import {
  type GuestSpec,
  INTERPRETER_DIR_ENV,
  benchCGuest,
  benchWatGuest,
  guestFromSpec,
  interpreterDir,
  randomGuest,
  snapGuest,
} from './guests.js';
import { type EngineFactory, type Finished, type Guest, snapshotHarness } from './harness.js';

export interface DeterminismSuiteOptions {
  /** Names the engine in the suite's title and log lines ('' for none). */
  readonly label: string;
  readonly engine: EngineFactory;
  /** The engine package's directory: the child bundle goes to its test-artifacts/snapshot, the child runs there. */
  readonly packageDir: string;
  /** The package's child-resume.ts (`await runChildResume(<its engine factory>)`), bundled with tsup. */
  readonly childEntry: string;
  /** Also run the snapshotted instance on to its end and require the same outcome. */
  readonly keepGoing?: boolean;
  /**
   * Another engine: the suite gains cross legs — snapshot on one engine, restore on the other (fresh compilation
   * and instance, and a fresh process for some), both directions. `childEntry` resumes on that engine.
   */
  readonly cross?: { readonly label: string; readonly engine: EngineFactory; readonly childEntry: string };
}

/**
 * For each guest, running to completion equals running N fuel units, snapshotting, encoding, restoring the bytes
 * into a FRESH compilation and instance (and, once, a fresh process), and running to completion — same result (or
 * trap), same final memory hash, same total fuel. With `keepGoing` the snapshotted instance itself also runs on to
 * the same end. Several seeded N per guest; counts bound everything, no timing is asserted.
 * More: SNAP_DET_SEED=<n> SNAP_DET_RANDOM=<modules> pnpm --filter <engine package> exec vitest run test/snapshot
 */
export function describeSnapshotDeterminism(opts: DeterminismSuiteOptions): void {
  const SEED = Number(process.env['SNAP_DET_SEED'] ?? 0x18_2026);
  const RANDOM = Number(process.env['SNAP_DET_RANDOM'] ?? 40);
  const N_PER_GUEST = 3;
  const { runFull, runSplit } = snapshotHarness(opts.engine);
  const prefix = opts.label ? `${opts.label} ` : '';

  async function prove(g: Guest, rng: Prng): Promise<{ full: Finished; splits: number }> {
    const full = await runFull(g);
    let splits = 0;
    for (let k = 0; k < N_PER_GUEST; k++) {
      const n = 1 + rng.int(Math.max(1, Math.floor(full.fuel * 0.95)));
      const split = await runSplit(g, n, { keepGoing: opts.keepGoing ?? false });
      if (split === undefined) continue; // ended (or trapped) within n: nothing to snapshot
      expect(split.result, `${g.name}: snapshot after ${n} of ${full.fuel} fuel (seed ${SEED})`).toEqual(full);
      if (opts.keepGoing) expect(split.original, `${g.name}: the snapshotted instance run on after ${n}`).toEqual(full);
      splits++;
    }
    return { full, splits };
  }

  if (opts.cross) describeCross(opts, opts.cross, SEED, RANDOM);

  describe(`${prefix}snapshot determinism (seed ${SEED})`, () => {
    it('hand-written guests: deep recursion, call_indirect, memory.grow, a host import answering with promises', async () => {
      const rng = new Prng(SEED);
      for (const g of [
        snapGuest('deep', 900),
        snapGuest('dispatch', 3000),
        snapGuest('grow', 12),
        snapGuest('ticks', 200),
        snapGuest('ticks', 120, 3),
      ]) {
        const { full, splits } = await prove(g, rng);
        expect(full.status, g.name).toBe('completed');
        expect(splits, g.name).toBe(N_PER_GUEST);
      }
    }, 120_000);

    it('the interpreter benchmark workloads (WAT, and the C kernels when clang is installed)', async () => {
      const rng = new Prng(SEED ^ 0xbe7c);
      const guests = await benchGuests();
      console.log(
        `${prefix}determinism over ${guests.length} benchmark guests: ${guests.map((g) => g.name).join(', ')}`,
      );
      for (const g of guests) {
        const { full, splits } = await prove(g, rng);
        expect(full.status, g.name).toBe('completed');
        expect(splits, g.name).toBeGreaterThan(0);
      }
    }, 300_000);

    it(`${RANDOM} random modules from tooling/wasm-testgen (a quarter with async host imports)`, async () => {
      const rng = new Prng(SEED ^ 0x7a4d);
      let splits = 0;
      for (let i = 0; i < RANDOM; i++) {
        const g = randomGuest((SEED + i) >>> 0, i % 4 === 3);
        splits += (await prove(g, rng)).splits;
      }
      // Most generated calls run long enough to be cut somewhere.
      expect(splits).toBeGreaterThan(RANDOM);
    }, 300_000);

    it('resumes in a fresh child process with the same outcome', async () => {
      const outDir = join(opts.packageDir, 'test-artifacts', 'snapshot');
      mkdirSync(outDir, { recursive: true });
      await bundleChild(opts.childEntry, outDir, 'child-resume');
      const specs: GuestSpec[] = [
        { kind: 'snap', export: 'deep', arg: 700 },
        { kind: 'snap', export: 'ticks', arg: 60, asyncEvery: 2 },
        { kind: 'wat', export: 'matmul', arg: 8 },
        { kind: 'random', export: 'main', arg: SEED },
      ];
      if (await benchCGuest('sha256', 1)) specs.push({ kind: 'c', export: 'sha256', arg: 1 });
      let resumed = 0;
      for (const spec of specs) {
        const g = await guestFromSpec(spec);
        const full = await runFull(g);
        const split = await runSplit(g, Math.max(1, Math.floor(full.fuel / 3)));
        if (split === undefined) continue;
        const file = join(outDir, `snapshot-${spec.kind}-${spec.export}.bin`);
        writeFileSync(file, split.snapshot);
        const out = execFileSync(process.execPath, [join(outDir, 'child-resume.mjs'), JSON.stringify(spec), file], {
          encoding: 'utf8',
          cwd: opts.packageDir,
          env: { ...process.env, [INTERPRETER_DIR_ENV]: interpreterDir() },
          timeout: 60_000,
        });
        expect(JSON.parse(out), `${g.name} resumed in a child process`).toEqual(full);
        resumed++;
      }
      expect(resumed).toBe(specs.length);
    }, 180_000);
  });
}

/** Bundles a child-resume entry (`await runChildResume(<engine factory>)`) from the sources under test. */
async function bundleChild(entry: string, outDir: string, name: string): Promise<void> {
  await build({
    entry: { [name]: entry },
    outDir,
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    platform: 'node',
    target: 'node20',
    noExternal: [/^@fayger\//],
    external: ['wabt'],
    silent: true,
    dts: false,
    config: false,
    esbuildOptions(o) {
      o.conditions = ['@fayger/source'];
    },
  });
}

/**
 * The cross legs (issue #18, "across execution strategies"): a state written by one engine is the engine-neutral
 * encoding of @fayger/wasm, so running N fuel on engine A, snapshotting, restoring on engine B and finishing
 * equals the uninterrupted run (on A; both engines meter fuel the same) — result, final memory hash, total fuel —
 * in both directions, several N per guest, a call waiting on an async host import included.
 */
function describeCross(
  opts: DeterminismSuiteOptions,
  other: NonNullable<DeterminismSuiteOptions['cross']>,
  SEED: number,
  RANDOM: number,
): void {
  const a = { label: opts.label || 'this engine', engine: opts.engine };
  const b = { label: other.label, engine: other.engine };
  const N_PER_GUEST = 2;
  const { runFull, runSplit } = snapshotHarness(opts.engine);

  async function proveCross(g: Guest, rng: Prng): Promise<number> {
    const full = await runFull(g);
    // Both engines meter the same: the uninterrupted run on B is the same outcome.
    expect(await runFull(g, b.engine()), `${g.name}: the same run on ${b.label}`).toEqual(full);
    let splits = 0;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      for (let k = 0; k < N_PER_GUEST; k++) {
        const n = 1 + rng.int(Math.max(1, Math.floor(full.fuel * 0.95)));
        const split = await runSplit(g, n, { from: from.engine(), to: to.engine() });
        if (split === undefined) continue;
        expect(
          split.result,
          `${g.name}: ${n} of ${full.fuel} fuel on ${from.label}, then ${to.label} (seed ${SEED})`,
        ).toEqual(full);
        splits++;
      }
    }
    return splits;
  }

  describe(`snapshot determinism across engines, ${a.label} <-> ${b.label} (seed ${SEED})`, () => {
    it('hand-written guests, a call waiting on an async host import included, both directions', async () => {
      const rng = new Prng(SEED ^ 0xc805);
      for (const g of [
        snapGuest('deep', 900),
        snapGuest('dispatch', 3000),
        snapGuest('grow', 12),
        snapGuest('ticks', 200),
        snapGuest('ticks', 120, 3),
      ]) {
        expect(await proveCross(g, rng), g.name).toBe(2 * N_PER_GUEST);
      }
      // Snapshotted while waiting on the host promise (atWait), resumed on the other engine: the import is
      // invoked again there with the same arguments, and the run ends the same.
      const g = snapGuest('ticks', 40, 1);
      const full = await runFull(g);
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        const split = await runSplit(g, 25, { from: from.engine(), to: to.engine(), atWait: true });
        expect(split, `ticks waiting: ${from.label} -> ${to.label}`).toBeDefined();
        expect(split!.result, `ticks waiting: ${from.label} -> ${to.label}`).toEqual(full);
      }
    }, 180_000);

    it('the interpreter benchmark workloads and C kernels, both directions', async () => {
      const rng = new Prng(SEED ^ 0xc806);
      const guests = await benchGuests();
      for (const g of guests) expect(await proveCross(g, rng), g.name).toBeGreaterThan(0);
    }, 400_000);

    it(`${Math.ceil(RANDOM / 2)} random modules, both directions`, async () => {
      const rng = new Prng(SEED ^ 0xc807);
      let splits = 0;
      for (let i = 0; i < Math.ceil(RANDOM / 2); i++) {
        splits += await proveCross(randomGuest((SEED + 7 * i) >>> 0, i % 4 === 3), rng);
      }
      expect(splits).toBeGreaterThan(RANDOM / 2);
    }, 300_000);

    it('snapshot on one engine, resume in a fresh child process on the other, both directions', async () => {
      const outDir = join(opts.packageDir, 'test-artifacts', 'snapshot');
      mkdirSync(outDir, { recursive: true });
      await bundleChild(opts.childEntry, outDir, 'child-resume-a');
      await bundleChild(other.childEntry, outDir, 'child-resume-b');
      const specs: GuestSpec[] = [
        { kind: 'snap', export: 'deep', arg: 700 },
        { kind: 'snap', export: 'ticks', arg: 60, asyncEvery: 2 },
        { kind: 'wat', export: 'matmul', arg: 8 },
        { kind: 'random', export: 'main', arg: SEED },
      ];
      let resumed = 0;
      for (const spec of specs) {
        const g = await guestFromSpec(spec);
        const full = await runFull(g);
        for (const [from, child] of [
          [a, 'child-resume-b'],
          [b, 'child-resume-a'],
        ] as const) {
          const split = await runSplit(g, Math.max(1, Math.floor(full.fuel / 3)), { from: from.engine() });
          if (split === undefined) continue;
          const file = join(outDir, `cross-${from === a ? 'a' : 'b'}-${spec.kind}-${spec.export}.bin`);
          writeFileSync(file, split.snapshot);
          const out = execFileSync(process.execPath, [join(outDir, `${child}.mjs`), JSON.stringify(spec), file], {
            encoding: 'utf8',
            cwd: opts.packageDir,
            env: { ...process.env, [INTERPRETER_DIR_ENV]: interpreterDir() },
            timeout: 60_000,
          });
          expect(JSON.parse(out), `${g.name}: snapshot on ${from.label}, resumed in a child on the other`).toEqual(
            full,
          );
          resumed++;
        }
      }
      expect(resumed).toBe(2 * specs.length);
    }, 240_000);
  });
}

/** The interpreter's benchmark workloads (WAT), and its C kernels when clang is installed. */
async function benchGuests(): Promise<Guest[]> {
  const guests: Guest[] = [
    await benchWatGuest('fib', 17),
    await benchWatGuest('alu', 20_000),
    await benchWatGuest('hash64', 1),
    await benchWatGuest('matmul', 10),
    await benchWatGuest('sort', 400),
    await benchWatGuest('dispatch', 5000),
    await benchWatGuest('hostcall', 2000),
  ];
  for (const [name, arg] of [
    ['fib', 16],
    ['qsort', 800],
    ['sha256', 1],
    ['vm', 1],
    ['lz', 1],
  ] as const) {
    const g = await benchCGuest(name, arg);
    if (g) guests.push(g);
  }
  return guests;
}

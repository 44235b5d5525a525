import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GuestValue, HostImports } from '@fayger/contracts';
// Relative imports, not the package index: the bundled child process (child-resume) must not pull in vitest.
import { HOST_IMPORTS, generateArgs, generateModule } from '../generate-module.js';
import { hostImplementations } from '../host-imports.js';
import { Prng } from '../prng.js';
import type { Guest } from './harness.js';

/**
 * The guests of the engines' snapshot determinism proofs, by name, so a child process can rebuild the same one
 * (runChildResume): the interpreter's snapshot fixture and bench workloads (read as files from
 * packages/interpreter, not imported), random modules of this package's generator. Host imports are pure
 * functions of their arguments (and guest memory), so re-invoking a pending one after a restore gives the same
 * answer.
 */

/**
 * packages/interpreter, where the fixture and the bench workloads are: found from this file's URL, or (in a
 * bundled child process, whose own URL is elsewhere) from SNAP_INTERPRETER_DIR.
 */
export const INTERPRETER_DIR_ENV = 'SNAP_INTERPRETER_DIR';
const INTERPRETER = process.env[INTERPRETER_DIR_ENV]
  ? pathToFileURL(`${process.env[INTERPRETER_DIR_ENV]}/`)
  : new URL('../../../../packages/interpreter/', import.meta.url);
const interp = (path: string) => new URL(path, INTERPRETER);

/** The path of packages/interpreter (to hand to a child process as SNAP_INTERPRETER_DIR). */
export const interpreterDir = (): string => fileURLToPath(INTERPRETER);

const tickImports = (asyncEvery: number): HostImports => ({
  host: {
    tick: ([i, acc]) => {
      const v = BigInt.asIntN(64, (acc as bigint) * 31n + BigInt(i as number) + 7n);
      return asyncEvery > 0 && (i as number) % asyncEvery === 0 ? Promise.resolve(v) : v;
    },
  },
});

export function snapGuest(exp: 'deep' | 'dispatch' | 'grow' | 'ticks', arg: number, asyncEvery = 0): Guest {
  return {
    name: `snap.${exp}(${arg})${asyncEvery ? ` async/${asyncEvery}` : ''}`,
    bytes: new Uint8Array(readFileSync(interp('test/fixtures/snap.wasm'))),
    export: exp,
    args: [arg],
    imports: () => tickImports(asyncEvery),
  };
}

/** A random module of tooling/wasm-testgen (the differential tests' generator), `main` with seeded arguments. */
export function randomGuest(seed: number, asyncHost = false): Guest {
  const m = generateModule(seed);
  const args = generateArgs(new Prng(seed ^ 0x9e37_79b9), m.mainParams).map(
    (b, i): GuestValue => (m.mainParams[i] === 'i32' ? Number(BigInt.asIntN(32, b)) : BigInt.asIntN(64, b)),
  );
  return {
    name: `random seed ${seed}${asyncHost ? ' async' : ''}`,
    bytes: m.bytes,
    export: 'main',
    args,
    // Generated code is bounded; a budget turns a runaway into a trap both sides see the same way.
    options: { fuelBudget: 20_000_000 },
    imports: () => {
      let buffer: () => ArrayBuffer = () => new ArrayBuffer(0);
      const impls = hostImplementations(() => buffer());
      const env: Record<string, (args: readonly GuestValue[], ctx: { memory?: { view(): Uint8Array } }) => unknown> =
        {};
      let n = 0;
      for (const h of HOST_IMPORTS) {
        const impl = impls[h.name] as (...a: unknown[]) => unknown;
        env[h.name] = (a, ctx) => {
          buffer = () => ctx.memory!.view().buffer as ArrayBuffer;
          const r = impl(...a);
          return asyncHost && n++ % 2 === 0 ? Promise.resolve(r) : r;
        };
      }
      return { env } as unknown as HostImports;
    },
  };
}

// wabt is loaded on first use: a WebAssembly module, which `node --jitless` (test:jitless) cannot load.
let wabt:
  | { parseWat(name: string, src: string): { toBinary(o: object): { buffer: Uint8Array }; destroy(): void } }
  | undefined;
const watCache = new Map<string, Uint8Array>();

/** A WAT workload of the interpreter benchmarks (bench/workloads), compiled with wabt. */
export async function benchWatGuest(file: string, arg: number): Promise<Guest> {
  let bytes = watCache.get(file);
  if (!bytes) {
    wabt ??= await (
      (await import('wabt')) as unknown as { default: () => Promise<NonNullable<typeof wabt>> }
    ).default();
    const src = readFileSync(interp(`bench/workloads/${file}.wat`), 'utf8');
    const mod = wabt.parseWat(`${file}.wat`, src);
    bytes = new Uint8Array(mod.toBinary({}).buffer);
    mod.destroy();
    watCache.set(file, bytes);
  }
  return {
    name: `bench/workloads/${file}.wat run(${arg})`,
    bytes,
    export: 'run',
    args: [arg],
    imports: () => ({ env: { h: ([x]) => ((x as number) * 3 + 1) | 0 } }),
  };
}

/** A C kernel of the interpreter benchmarks (bench/c), built with clang when installed; undefined without. */
export async function benchCGuest(name: string, arg: number): Promise<Guest | undefined> {
  const build = (await import(interp('bench/c-build.mjs').href)) as {
    clangVersion(): string | null;
    buildKernel(name: string, outDir: string): { bytes: Uint8Array };
  };
  if (build.clangVersion() === null) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = build.buildKernel(name, join(tmpdir(), 'fayger-snapshot-c-build')).bytes;
  } catch {
    return undefined; // clang without a wasm32 target / wasm-ld
  }
  return { name: `bench/c/${name}.c run(${arg})`, bytes, export: 'run', args: [arg], imports: () => ({}) };
}

export interface GuestSpec {
  readonly kind: 'snap' | 'random' | 'wat' | 'c';
  readonly export: string;
  readonly arg: number;
  readonly asyncEvery?: number;
}

/** Rebuilds a guest from its spec (for the child process). */
export async function guestFromSpec(spec: GuestSpec): Promise<Guest> {
  switch (spec.kind) {
    case 'snap':
      return snapGuest(spec.export as 'deep', spec.arg, spec.asyncEvery ?? 0);
    case 'random':
      return randomGuest(spec.arg, spec.asyncEvery === 1);
    case 'wat':
      return benchWatGuest(spec.export, spec.arg);
    case 'c': {
      const g = await benchCGuest(spec.export, spec.arg);
      if (g === undefined) throw new Error('clang is not available');
      return g;
    }
  }
}

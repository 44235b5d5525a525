import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GuestValue, HostImports } from '@fayger/contracts';
import { HOST_IMPORTS, Prng, generateArgs, generateModule, hostImplementations } from '@fayger/wasm-testgen';
import wabtInit from 'wabt';
import type { Guest } from './harness.js';

/**
 * The guests of the snapshot determinism proof, by name, so a child process can rebuild the same one
 * (test/snapshot/child-resume.ts). Host imports are pure functions of their arguments (and guest memory),
 * so re-invoking a pending one after a restore gives the same answer.
 */

/** The package directory (the bundled child process is told by SNAP_PACKAGE_DIR, its own URL is elsewhere). */
const PKG = process.env['SNAP_PACKAGE_DIR']
  ? pathToFileURL(`${process.env['SNAP_PACKAGE_DIR']}/`)
  : new URL('../../', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`test/fixtures/${name}.wasm`, PKG)));

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
    bytes: fixture('snap'),
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

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;
const watCache = new Map<string, Uint8Array>();

/** A WAT workload of the interpreter benchmarks (bench/workloads), compiled with wabt. */
export async function benchWatGuest(file: string, arg: number): Promise<Guest> {
  let bytes = watCache.get(file);
  if (!bytes) {
    wabt ??= await wabtInit();
    const src = readFileSync(new URL(`bench/workloads/${file}.wat`, PKG), 'utf8');
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

/** A C kernel of the benchmarks (bench/c), built with clang when installed (cached); undefined without clang. */
export async function benchCGuest(name: string, arg: number): Promise<Guest | undefined> {
  // @ts-expect-error plain .mjs bench helper without types
  const build = (await import('../../bench/c-build.mjs')) as {
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

/** Rebuilds a guest from its spec (for the child process). */
export async function guestFromSpec(spec: GuestSpec): Promise<Guest> {
  switch (spec.kind) {
    case 'snap':
      return snapGuest(spec.export as 'deep', spec.arg, spec.asyncEvery ?? 0);
    case 'random':
      return randomGuest(spec.arg, spec.asyncEvery === 1);
    case 'wat':
      return benchWatGuest(spec.export, spec.arg);
  }
}

export interface GuestSpec {
  readonly kind: 'snap' | 'random' | 'wat';
  readonly export: string;
  readonly arg: number;
  readonly asyncEvery?: number;
}

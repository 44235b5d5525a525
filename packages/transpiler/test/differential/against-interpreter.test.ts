import { FaygerError } from '@fayger/contracts';
import * as interp from '@fayger/interpreter';
import { describe, expect, it } from 'vitest';
import * as tr from '../../src/index.js';
import {
  HOST_IMPORTS,
  Prng,
  generateArgs,
  generateModule,
  hostImplementations,
  type NumType,
} from '@fayger/wasm-testgen';

/**
 * Random valid modules (@fayger/wasm-testgen, the interpreter's generator: scalar and SIMD code) run in the
 * interpreter and in the transpiler: results,
 * trap codes, exported globals, final memory and — the point of this file — fuel used must be identical, with
 * unlimited fuel, with budgets that run out part-way (both must stop at the same count), in random fuel slices
 * and with every host import answering through a Promise (the generated code suspends and resumes).
 * Reproduce a failure: `DIFF_SEED=<seed> DIFF_COUNT=1 pnpm --filter @fayger/transpiler test`; soak with
 * `DIFF_COUNT=5000`.
 */
const SEED = Number(process.env['DIFF_SEED'] ?? 0x7a11_2026);
const COUNT = Number(process.env['DIFF_COUNT'] ?? 120);
const CALLS = 3;

type Outcome = { values: bigint[] } | { trap: string };

interface Engine {
  call(args: readonly bigint[]): Outcome | Promise<Outcome>;
  fuelUsed(): number;
  memory(): Uint8Array;
  global(name: string, t: NumType): bigint;
}

function toBits(t: NumType, v: unknown): bigint {
  return t === 'i32' ? BigInt((v as number) >>> 0) : BigInt.asUintN(64, v as bigint);
}

const trapped = (e: unknown): Outcome => {
  if (FaygerError.is(e)) return { trap: e.code };
  throw e;
};

interface Mode {
  readonly fuel?: number;
  readonly slices?: Prng;
  readonly asyncHost?: boolean;
}

function engine(
  api: typeof interp | typeof tr,
  bytes: Uint8Array,
  params: readonly NumType[],
  results: readonly NumType[],
  mode: Mode,
): Engine {
  let memory: { buffer: ArrayBuffer } | undefined;
  const impls = hostImplementations(() => memory!.buffer);
  const env = Object.fromEntries(
    HOST_IMPORTS.map((h) => {
      const impl = impls[h.name] as (...a: unknown[]) => unknown;
      const f = mode.asyncHost ? (...a: unknown[]) => Promise.resolve().then(() => impl(...a)) : impl;
      return [h.name, api.hostFunction({ params: h.params, results: h.results }, f)];
    }),
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const inst = (api.instantiateModule as any)(
    (api.compileModule as any)(bytes),
    { env },
    { fuel: mode.fuel ?? 50_000_000 },
  ) as interp.WasmInstance;
  memory = inst.exports['mem'] as unknown as { buffer: ArrayBuffer };
  return {
    call(args) {
      const raw = args.map((b, i) => (params[i] === 'i32' ? Number(b) : b));
      const done = (values: readonly unknown[]): Outcome => ({ values: results.map((t, i) => toBits(t, values[i])) });
      if (!mode.slices && !mode.asyncHost) {
        try {
          return done(inst.invoke('main', raw));
        } catch (e) {
          return trapped(e);
        }
      }
      const ex = inst.call('main', raw);
      return (async () => {
        for (;;) {
          const r = ex.run(mode.slices ? { fuel: 1 + mode.slices.int(200) } : {});
          if (r.status === 'completed') return done(r.values);
          if (r.status === 'trapped') return trapped(r.error);
          if (r.status === 'waiting') await r.settled;
        }
      })();
    },
    fuelUsed: () => inst.usage().fuelUsed,
    memory: () => new Uint8Array(memory!.buffer).slice(),
    global: (name, t) => toBits(t, inst.getGlobal(name)),
  };
}

function show(o: Outcome): string {
  return 'trap' in o ? `trap ${o.trap}` : `[${o.values.map((v) => `0x${v.toString(16)}`).join(', ')}]`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs the seed's calls on both engines; returns a description of the first difference, or undefined. */
async function compare(
  seed: number,
  mode: (engine: 'i' | 't') => Mode,
): Promise<{ mismatch?: string; fuel: number; traps: number }> {
  const m = generateModule(seed);
  const a = engine(interp, m.bytes, m.mainParams, m.mainResults, mode('i'));
  const b = engine(tr, m.bytes, m.mainParams, m.mainResults, mode('t'));
  const rng = new Prng(seed ^ 0x9e37_79b9);
  let traps = 0;
  for (let k = 0; k < CALLS; k++) {
    const args = generateArgs(rng, m.mainParams);
    const oa = await a.call(args);
    const ob = await b.call(args);
    if ('trap' in oa) traps++;
    const where = `seed ${seed} call ${k} main(${args.map((x) => `0x${x.toString(16)}`).join(', ')})`;
    if (show(oa) !== show(ob))
      return { mismatch: `${where}: interpreter ${show(oa)}, transpiler ${show(ob)}`, fuel: 0, traps };
    if (a.fuelUsed() !== b.fuelUsed())
      return {
        mismatch: `${where}: fuel used interpreter ${a.fuelUsed()}, transpiler ${b.fuelUsed()}`,
        fuel: 0,
        traps,
      };
    if (!sameBytes(a.memory(), b.memory())) return { mismatch: `${where}: memory differs`, fuel: 0, traps };
  }
  for (const g of m.globals) {
    if (a.global(g.name, g.type) !== b.global(g.name, g.type))
      return { mismatch: `seed ${seed}: global ${g.name} differs`, fuel: 0, traps };
  }
  return { fuel: a.fuelUsed(), traps };
}

describe(`transpiler vs interpreter on random modules (base seed ${SEED}, ${COUNT} modules)`, () => {
  it('agrees on results, traps, memory, globals and fuel used', async () => {
    const failures: string[] = [];
    let traps = 0;
    let simd = 0;
    for (let i = 0; i < COUNT && failures.length < 5; i++) {
      const c = await compare((SEED + i) >>> 0, () => ({}));
      traps += c.traps;
      if (c.mismatch) failures.push(c.mismatch);
      // The generator's SIMD code reaches the transpiler's v128 paths (lane helpers, inline i32x4/bitwise, loads).
      if (/\b(h_v\w+|V4)\(/.test(tr.compileModule(generateModule((SEED + i) >>> 0).bytes).source)) simd++;
    }
    expect(failures).toEqual([]);
    expect(traps).toBeLessThan(COUNT * CALLS * 0.3);
    expect(simd).toBeGreaterThan(COUNT * 0.75);
  }, 300_000);

  it('stops at the same count under every budget that runs out part-way', async () => {
    const failures: string[] = [];
    let exhausted = 0;
    for (let i = 0; i < COUNT && failures.length < 5; i++) {
      const seed = (SEED + i) >>> 0;
      const full = await compare(seed, () => ({}));
      if (full.mismatch || full.fuel < 2) continue;
      const rng = new Prng(seed ^ 0x5151);
      for (const budget of [1, 1 + rng.int(full.fuel), 1 + rng.int(full.fuel), full.fuel - 1]) {
        const c = await compare(seed, () => ({ fuel: budget }));
        if (c.mismatch) failures.push(`budget ${budget}: ${c.mismatch}`);
        exhausted++;
      }
    }
    expect(failures).toEqual([]);
    expect(exhausted).toBeGreaterThan(COUNT);
  }, 300_000);

  it.each([
    ['in random fuel slices (the generated code suspends and resumes anywhere)', { slices: true, asyncHost: false }],
    ['when every host import answers with a Promise', { slices: false, asyncHost: true }],
    ['both at once, under a budget', { slices: true, asyncHost: true, fuel: 20_000 }],
  ] as const)(
    'agrees %s',
    async (_, opts) => {
      const failures: string[] = [];
      for (let i = 0; i < Math.ceil(COUNT / 3) && failures.length < 5; i++) {
        const seed = (SEED + i) >>> 0;
        const c = await compare(seed, (e) => ({
          ...(e === 't' && opts.slices ? { slices: new Prng(seed) } : {}),
          asyncHost: opts.asyncHost,
          ...('fuel' in opts ? { fuel: opts.fuel } : {}),
        }));
        if (c.mismatch) failures.push(c.mismatch);
      }
      expect(failures).toEqual([]);
    },
    300_000,
  );
});

describe.skipIf(typeof WebAssembly === 'undefined')(
  `transpiler vs V8's own WebAssembly on random modules (base seed ${SEED}, ${COUNT} modules)`,
  () => {
    it('agrees on results, trapping calls and final memory', async () => {
      const failures: string[] = [];
      for (let i = 0; i < COUNT && failures.length < 5; i++) {
        const seed = (SEED + i) >>> 0;
        const m = generateModule(seed);
        const t = engine(tr, m.bytes, m.mainParams, m.mainResults, {});
        let mem: WebAssembly.Memory | undefined;
        const impls = hostImplementations(() => mem!.buffer);
        const native = new WebAssembly.Instance(new WebAssembly.Module(m.bytes), {
          env: impls as WebAssembly.ModuleImports,
        });
        mem = native.exports['mem'] as WebAssembly.Memory;
        const rng = new Prng(seed ^ 0x9e37_79b9);
        for (let k = 0; k < CALLS; k++) {
          const args = generateArgs(rng, m.mainParams);
          const ot = await t.call(args);
          let on: Outcome;
          try {
            const raw = (native.exports['main'] as (...a: unknown[]) => unknown)(
              ...args.map((b, j) => (m.mainParams[j] === 'i32' ? Number(BigInt.asIntN(32, b)) : BigInt.asIntN(64, b))),
            );
            const vals = m.mainResults.length === 1 ? [raw] : (raw as unknown[]);
            on = { values: m.mainResults.map((ty, j) => toBits(ty, vals[j])) };
          } catch (e) {
            if (!(e instanceof WebAssembly.RuntimeError)) throw e;
            on = { trap: 'trap' };
          }
          const same = 'trap' in on ? 'trap' in ot : show(on) === show(ot);
          if (!same) failures.push(`seed ${seed} call ${k}: V8 ${show(on)}, transpiler ${show(ot)}`);
          else if (!sameBytes(new Uint8Array(mem.buffer), t.memory()))
            failures.push(`seed ${seed} call ${k}: memory differs from V8`);
          if (!same) break;
        }
      }
      expect(failures).toEqual([]);
    }, 300_000);
  },
);

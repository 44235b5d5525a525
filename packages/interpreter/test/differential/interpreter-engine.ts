import { FaygerError } from '@fayger/contracts';
import { type HostFunctionImpl, WasmMemory, compileModule, hostFunction, instantiateModule } from '../../src/index.js';
import type { CallOutcome, DiffEngine, DiffInstance } from './diff-engine.js';
import { HOST_IMPORTS, Prng, hostImplementations, type NumType } from '@fayger/wasm-testgen';

/**
 * The interpreter through its public native API: raw bit values in and out, traps as FaygerError codes.
 * With `sliceSeed`, every call runs as a resumable Execution in fuel slices of random size (1..maxSlice), so
 * suspending and resuming anywhere must not change any result.
 */
export function interpreterEngineWith(
  options: { sliceSeed?: number; maxSlice?: number; asyncHost?: boolean } = {},
): DiffEngine {
  const slices = options.sliceSeed === undefined ? undefined : new Prng(options.sliceSeed);
  const maxSlice = options.maxSlice ?? 200;
  const asyncHost = options.asyncHost ?? false;
  const name = ['interpreter', slices ? 'fuel slices' : '', asyncHost ? 'async host' : ''].filter(Boolean).join(', ');
  return {
    name,
    instantiate(bytes: Uint8Array<ArrayBuffer>): DiffInstance {
      // Generated code is bounded; a fuel cap turns an engine bug that loops forever into a reported mismatch.
      let memory: WasmMemory | undefined;
      const impls = hostImplementations(() => memory!.buffer);
      const env = Object.fromEntries(
        HOST_IMPORTS.map((h) => {
          const impl = impls[h.name] as HostFunctionImpl;
          // An async host answers later: the guest waits, suspended, and resumes with the value.
          const wrapped: HostFunctionImpl = asyncHost ? (...a) => Promise.resolve().then(() => impl(...a)) : impl;
          return [h.name, hostFunction({ params: h.params, results: h.results }, wrapped)];
        }),
      );
      const instance = instantiateModule(compileModule(bytes), { env }, { fuel: 50_000_000 });
      const exported = instance.exports['mem'];
      if (!(exported instanceof WasmMemory)) throw new Error('generated module exports no memory');
      memory = exported;
      return {
        call(
          params: readonly NumType[],
          args: readonly bigint[],
          results: readonly NumType[],
        ): CallOutcome | Promise<CallOutcome> {
          const raw = args.map((b, i) => (params[i] === 'i32' ? Number(b) : b));
          const done = (values: readonly unknown[]): CallOutcome => ({
            values: results.map((t, i) => toBits(t, values[i])),
          });
          const trapped = (e: unknown): CallOutcome => {
            if (FaygerError.is(e)) return { trap: [e.code] };
            throw e;
          };
          if (!slices && !asyncHost) {
            try {
              return done(instance.invoke('main', raw));
            } catch (e) {
              return trapped(e);
            }
          }
          const ex = instance.call('main', raw);
          const drive = async (): Promise<CallOutcome> => {
            for (;;) {
              const r = ex.run(slices ? { fuel: 1 + slices.int(maxSlice) } : {});
              if (r.status === 'completed') return done(r.values);
              if (r.status === 'trapped') return trapped(r.error);
              if (r.status === 'waiting') await r.settled;
            }
          };
          return drive();
        },
        memory: () => new Uint8Array(memory!.buffer),
        global: (name: string, type: NumType) => toBits(type, instance.getGlobal(name)),
      };
    },
  };
}

export const interpreterEngine = interpreterEngineWith();

function toBits(t: NumType, v: unknown): bigint {
  if (t === 'i32') return BigInt((v as number) >>> 0);
  if (t === 'i64') return BigInt.asUintN(64, v as bigint);
  throw new Error(`main returns only integers, got ${t}`);
}

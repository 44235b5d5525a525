import { FaygerError } from '@fayger/contracts';
import { WasmMemory, compileModule, instantiateModule } from '../../src/index.js';
import type { CallOutcome, DiffEngine, DiffInstance } from './diff-engine.js';
import type { NumType } from './generate-module.js';
import { Prng } from './prng.js';

/**
 * The interpreter through its public native API: raw bit values in and out, traps as FaygerError codes.
 * With `sliceSeed`, every call runs as a resumable Execution in fuel slices of random size (1..maxSlice), so
 * suspending and resuming anywhere must not change any result.
 */
export function interpreterEngineWith(options: { sliceSeed?: number; maxSlice?: number } = {}): DiffEngine {
  const slices = options.sliceSeed === undefined ? undefined : new Prng(options.sliceSeed);
  const maxSlice = options.maxSlice ?? 200;
  return {
  name: slices ? 'interpreter (fuel slices)' : 'interpreter',
  instantiate(bytes: Uint8Array<ArrayBuffer>): DiffInstance {
    // Generated code is bounded; a fuel cap turns an engine bug that loops forever into a reported mismatch.
    const instance = instantiateModule(compileModule(bytes), {}, { fuel: 50_000_000 });
    const memory = instance.exports['mem'];
    if (!(memory instanceof WasmMemory)) throw new Error('generated module exports no memory');
    return {
      call(params: readonly NumType[], args: readonly bigint[], results: readonly NumType[]): CallOutcome {
        const raw = args.map((b, i) => (params[i] === 'i32' ? Number(b) : b));
        let values: unknown[];
        try {
          if (slices) {
            const ex = instance.call('main', raw);
            for (;;) {
              const r = ex.run({ fuel: 1 + slices.int(maxSlice) });
              if (r.status === 'completed') {
                values = r.values;
                break;
              }
              if (r.status === 'trapped') throw r.error;
              if (r.status !== 'suspended') throw new Error(`unexpected execution status ${r.status}`);
            }
          } else {
            values = instance.invoke('main', raw);
          }
        } catch (e) {
          if (FaygerError.is(e)) return { trap: [e.code] };
          throw e;
        }
        return { values: results.map((t, i) => toBits(t, values[i])) };
      },
      memory: () => new Uint8Array(memory.buffer),
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

import { FaygerError } from '@fayger/contracts';
import { WasmMemory, compileModule, instantiateModule } from '../../src/index.js';
import type { CallOutcome, DiffEngine, DiffInstance } from './diff-engine.js';
import type { NumType } from './generate-module.js';

/** The interpreter through its public native API: raw bit values in and out, traps as FaygerError codes. */
export const interpreterEngine: DiffEngine = {
  name: 'interpreter',
  instantiate(bytes: Uint8Array<ArrayBuffer>): DiffInstance {
    const instance = instantiateModule(compileModule(bytes), {});
    const memory = instance.exports['mem'];
    if (!(memory instanceof WasmMemory)) throw new Error('generated module exports no memory');
    return {
      call(params: readonly NumType[], args: readonly bigint[], results: readonly NumType[]): CallOutcome {
        const raw = args.map((b, i) => (params[i] === 'i32' ? Number(b) : b));
        let values: unknown[];
        try {
          values = instance.invoke('main', raw);
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

function toBits(t: NumType, v: unknown): bigint {
  if (t === 'i32') return BigInt((v as number) >>> 0);
  if (t === 'i64') return BigInt.asUintN(64, v as bigint);
  throw new Error(`main returns only integers, got ${t}`);
}

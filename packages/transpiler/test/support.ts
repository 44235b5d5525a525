import wabtInit from 'wabt';

const wabt = await wabtInit();

/** WAT text → module bytes (wabt; SIMD included). */
export function wat(text: string): Uint8Array {
  const m = wabt.parseWat('t.wat', text, { annotations: true });
  const { buffer } = m.toBinary({ write_debug_names: true });
  m.destroy();
  return buffer;
}

interface RunResult {
  readonly status: string;
  readonly values?: unknown[];
  readonly error?: unknown;
  readonly settled?: Promise<void>;
}

/** Drives a resumable call to completion (awaiting host promises), in fuel slices of `slice` when given. */
export async function drive(
  ex: { run(o?: { fuel?: number }): RunResult },
  slice?: number,
): Promise<{ values: unknown[]; waits: number; suspensions: number }> {
  let waits = 0;
  let suspensions = 0;
  for (;;) {
    const r = ex.run(slice === undefined ? {} : { fuel: slice });
    if (r.status === 'completed') return { values: r.values!, waits, suspensions };
    if (r.status === 'trapped') throw r.error;
    if (r.status === 'waiting') {
      waits++;
      await r.settled;
    } else suspensions++;
  }
}

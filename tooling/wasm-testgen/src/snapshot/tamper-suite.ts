// @fayger/wasm-testgen/snapshot-tamper: tampered snapshot states, one suite for every engine (each engine's
// test/snapshot calls it with its RuntimeImplementation factory).
import { type EngineSnapshot, FaygerError, type HostImports } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.js';
import { snapGuest } from './guests.js';
import { type EngineFactory, decodeSnapshot, drive, encodeSnapshot } from './harness.js';

export interface TamperSuiteOptions {
  /** Names the engine in the suite's title ('' for none). */
  readonly label: string;
  readonly engine: EngineFactory;
  /** The host imports of the interpreter's `snap` fixture (its `host.tick`), fresh per instance. */
  readonly imports: () => HostImports;
}

/**
 * A snapshot state is untrusted input: random byte flips and truncations of real state blobs must end in a
 * typed error at restore, or in a run that ends (completed or trapped, bounded by a fuel budget) — never a
 * crash, an untyped exception or a hang. Seeded; `SNAP_FUZZ_COUNT` raises the count for a soak.
 */
export function describeSnapshotTamper(opts: TamperSuiteOptions): void {
  const COUNT = Number(process.env['SNAP_FUZZ_COUNT'] ?? 150);
  const SEED = Number(process.env['SNAP_FUZZ_SEED'] ?? 0x5a4b_1818);
  const TYPED = new Set(['SNAPSHOT_MALFORMED', 'SNAPSHOT_ENGINE_MISMATCH', 'WASM_LINK_ERROR']);
  const prefix = opts.label ? `${opts.label} ` : '';
  const bytes = snapGuest('deep', 0).bytes;

  async function capture(exp: string, args: number[], fuel: number): Promise<EngineSnapshot> {
    const code = await opts.engine().compile(bytes);
    const inst = await code.instantiate(opts.imports());
    const call = inst.call(exp, args);
    expect(call.run({ fuel }).status).toBe('suspended');
    return inst.snapshot!([call]);
  }

  describe(`tampered ${prefix}snapshot states (seed ${SEED}, ${COUNT} per guest)`, () => {
    it.each([
      ['deep', [200], 3000],
      ['dispatch', [300], 2000],
      ['grow', [4], 300],
      ['ticks', [40], 400],
    ] as const)(
      '%s: every flip or truncation is a typed error or a bounded run',
      async (exp, args, fuel) => {
        const original = await capture(exp, [...args], fuel);
        const code = await opts.engine().compile(bytes);
        const rng = new Prng(SEED ^ exp.length);
        const seen = { restored: 0, refused: 0, completed: 0, trapped: 0 };
        for (let i = 0; i < COUNT; i++) {
          const state = original.state.slice();
          let tampered: EngineSnapshot;
          const mode = rng.int(4);
          if (mode === 0) {
            tampered = { ...original, state: state.subarray(0, rng.int(state.length)) };
          } else if (mode === 3) {
            // Through the whole encoding (header, state and memory bytes).
            const whole = encodeSnapshot(original);
            for (let k = 1 + rng.int(3); k > 0; k--) whole[rng.int(whole.length)] ^= 1 << rng.int(8);
            try {
              tampered = decodeSnapshot(whole);
            } catch {
              continue; // the test encoding's JSON header itself no longer parses: not the engine's input
            }
          } else {
            for (let k = 1 + rng.int(mode === 1 ? 1 : 6); k > 0; k--) state[rng.int(state.length)] ^= 1 << rng.int(8);
            tampered = { ...original, state };
          }
          let restored: Awaited<ReturnType<NonNullable<typeof code.restore>>>;
          try {
            restored = await code.restore!(opts.imports(), tampered, { fuelBudget: 2_000_000, maxMemoryPages: 64 });
          } catch (e) {
            expect(FaygerError.is(e) && TYPED.has(e.code), `mutation ${i}: ${String(e)}`).toBe(true);
            seen.refused++;
            continue;
          }
          seen.restored++;
          const end = await drive(restored.instance, restored.calls[0]!, 100_000);
          if (end.status === 'completed') seen.completed++;
          else {
            expect(end.status, `mutation ${i}`).toMatch(/^trapped (TRAP_|WASM_)/);
            seen.trapped++;
          }
        }
        // Both outcomes occur: value bytes may change freely, structure bytes are refused.
        expect(seen.refused).toBeGreaterThan(0);
        expect(seen.restored).toBeGreaterThan(0);
      },
      120_000,
    );
  });
}

import { describe, expect, it } from 'vitest';
import { WebAssembly as facade } from '@fayger/interpreter/webassembly';
import { InterpreterEngine } from '../src/engines/interpreter.js';
import {
  type EngineAdapter,
  loadScript,
  NativeEngine,
  runScript,
  suiteDir,
  type Script,
  type ScriptCommand,
} from '../src/index.js';

const dir = suiteDir();
if (!dir) {
  console.warn('conformance tests skipped: no wasm-spec-2.0 corpus (set FAYGER_CONFORMANCE_DIR)');
}

/** Replace one command, keeping the rest of the script intact, so a single planted error is measured. */
function plant(
  script: Script,
  pick: (c: ScriptCommand) => boolean,
  change: (c: ScriptCommand) => ScriptCommand,
): { script: Script; line: number } {
  const index = script.commands.findIndex(pick);
  expect(index).toBeGreaterThanOrEqual(0);
  const commands = script.commands.map((c, i) => (i === index ? change(c) : c));
  return { script: { ...script, commands }, line: script.commands[index]!.line };
}

const engines: Array<[string, () => EngineAdapter]> = [
  ['native WebAssembly', () => new NativeEngine()],
  ['@fayger/interpreter', () => new InterpreterEngine()],
  ['@fayger/interpreter in fuel slices', () => new InterpreterEngine({ slices: { seed: 7, maxSlice: 13 } })],
  [
    '@fayger/interpreter/webassembly (facade)',
    () => new NativeEngine(facade as unknown as typeof WebAssembly, 'facade'),
  ],
];

describe.skipIf(!dir).each(engines)('runScript against %s', (_, makeEngine) => {
  it.each([
    'i32',
    'f32',
    'conversions',
    'traps',
    'linking',
    'call_indirect',
    'float_exprs',
    'binary',
    'imports',
    'ref_func',
    'simd_lane',
    'simd_f32x4_arith',
    'simd_linking',
  ])('passes every applicable command of %s', async (name) => {
    const r = await runScript(makeEngine(), dir!, name);
    expect(r.commands.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.passed).toBeGreaterThan(0);
  });

  it('fails a planted wrong v128 lane and a planted NaN lane', async () => {
    const base = await loadScript(dir!, 'simd_lane');
    const { script, line } = plant(
      base,
      (c) => c.type === 'assert_return' && c.expected?.[0]?.type === 'v128' && c.expected[0].lane_type === 'i32',
      (c) => {
        const e = c.expected![0]!;
        const lanes = [...(e.value as string[])];
        lanes[3] = String((Number(lanes[3]) + 1) >>> 0);
        return { ...c, expected: [{ ...e, value: lanes }] };
      },
    );
    const r = await runScript(makeEngine(), dir!, 'simd_lane', script);
    expect(r.failed).toBe(1);
    expect(r.commands.find((c) => c.status === 'fail')).toMatchObject({ line, type: 'assert_return' });
    const nanBase = await loadScript(dir!, 'simd_f32x4_arith');
    const nan = plant(
      nanBase,
      (c) =>
        c.type === 'assert_return' &&
        c.expected?.[0]?.type === 'v128' &&
        c.expected[0].lane_type === 'f32' &&
        !(c.expected[0].value as string[]).some((x) => x.startsWith('nan')),
      (c) => ({
        ...c,
        expected: [{ ...c.expected![0]!, value: ['nan:arithmetic', ...(c.expected![0]!.value as string[]).slice(1)] }],
      }),
    );
    const rn = await runScript(makeEngine(), dir!, 'simd_f32x4_arith', nan.script);
    expect(rn.commands.filter((c) => c.status === 'fail').map((c) => c.line)).toEqual([nan.line]);
  });

  it('fails a planted wrong return value', async () => {
    const base = await loadScript(dir!, 'i32');
    const { script, line } = plant(
      base,
      (c) => c.type === 'assert_return' && c.expected?.[0]?.type === 'i32',
      (c) => ({ ...c, expected: [{ type: 'i32', value: String((Number(c.expected![0]!.value) + 1) >>> 0) }] }),
    );
    const r = await runScript(makeEngine(), dir!, 'i32', script);
    expect(r.failed).toBe(1);
    expect(r.commands.find((c) => c.status === 'fail')).toMatchObject({ line, type: 'assert_return' });
  });

  it('fails a planted NaN expectation on an exact float result, and an exact one on a NaN result', async () => {
    const base = await loadScript(dir!, 'f64');
    const exact = plant(
      base,
      (c) =>
        c.type === 'assert_return' && c.expected?.[0]?.type === 'f64' && !String(c.expected[0].value).startsWith('nan'),
      (c) => ({ ...c, expected: [{ type: 'f64', value: 'nan:arithmetic' }] }),
    );
    const nan = plant(
      base,
      (c) => c.type === 'assert_return' && c.expected?.[0]?.value === 'nan:canonical',
      // A NaN with a payload bit: a NaN in JS like the canonical result, but different bits.
      (c) => ({
        ...c,
        expected: [
          { type: 'f64', value: String(0xfff8_0000_0000_0000n ^ 0x8000_0000_0000_0000n ^ 0x0000_0000_0000_0001n) },
        ],
      }),
    );
    for (const planted of [exact, nan]) {
      const r = await runScript(makeEngine(), dir!, 'f64', planted.script);
      expect(r.commands.filter((c) => c.status === 'fail').map((c) => c.line)).toEqual([planted.line]);
    }
  });

  it('fails a trap with the wrong reference text and a return where a trap was expected', async () => {
    const base = await loadScript(dir!, 'i32');
    const wrongText = plant(
      base,
      (c) => c.type === 'assert_trap' && c.text === 'integer divide by zero',
      (c) => ({ ...c, text: 'integer overflow' }),
    );
    const r1 = await runScript(makeEngine(), dir!, 'i32', wrongText.script);
    expect(r1.commands.filter((c) => c.status === 'fail').map((c) => c.line)).toEqual([wrongText.line]);

    const noTrap = plant(
      base,
      (c) => c.type === 'assert_return' && c.action?.field === 'add',
      (c) => ({ type: 'assert_trap', line: c.line, action: c.action, text: 'unreachable' }),
    );
    const r2 = await runScript(makeEngine(), dir!, 'i32', noTrap.script);
    expect(r2.commands.filter((c) => c.status === 'fail').map((c) => c.line)).toEqual([noTrap.line]);
  });

  it('fails assert_invalid on a valid module and counts text-only cases apart', async () => {
    const base = await loadScript(dir!, 'i32');
    const firstModule = base.commands.find((c) => c.type === 'module')!;
    const { script, line } = plant(
      base,
      (c) => c.type === 'assert_invalid',
      (c) => ({ ...c, filename: firstModule.filename }),
    );
    const r = await runScript(makeEngine(), dir!, 'i32', script);
    expect(r.commands.filter((c) => c.status === 'fail').map((c) => c.line)).toEqual([line]);
    expect(r.textOnly).toBe(base.commands.filter((c) => c.module_type === 'text').length);
  });

  it('fails commands aimed at a module that did not load, and an unknown command type', async () => {
    const base = await loadScript(dir!, 'i32');
    const broken = plant(
      base,
      (c) => c.type === 'module',
      (c) => ({ ...c, filename: base.commands.find((x) => x.type === 'assert_invalid')!.filename }),
    );
    const r = await runScript(makeEngine(), dir!, 'i32', broken.script);
    const actions = base.commands.filter((c) => c.type.startsWith('assert_return') || c.type === 'assert_trap').length;
    expect(r.failed).toBeGreaterThanOrEqual(actions);

    const unknown = plant(
      base,
      (c) => c.type === 'assert_return',
      (c) => ({ ...c, type: 'assert_something_new' }),
    );
    const r2 = await runScript(makeEngine(), dir!, 'i32', unknown.script);
    expect(r2.commands.filter((c) => c.status === 'fail').map((c) => c.line)).toEqual([unknown.line]);
  });
});

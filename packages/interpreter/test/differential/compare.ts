import { type CallOutcome, type DiffEngine, memoryHash } from './diff-engine.js';
import { Prng, generateArgs, generateModule } from '@fayger/wasm-testgen';

export const CALLS_PER_MODULE = 3;

interface Run {
  readonly outcomes: readonly CallOutcome[];
  readonly lines: readonly string[];
  readonly memory: readonly string[];
  readonly globals: string;
}

function describeOutcome(o: CallOutcome): string {
  return 'trap' in o ? `trap ${o.trap.join('|')}` : `[${o.values.map((v) => `0x${v.toString(16)}`).join(', ')}]`;
}

/** Instantiate the module for `seed`, call `main` a few times with seeded arguments, record everything seen. */
async function run(engine: DiffEngine, seed: number): Promise<Run> {
  const m = generateModule(seed);
  const inst = engine.instantiate(m.bytes);
  const rng = new Prng(seed ^ 0x9e37_79b9);
  const outcomes: CallOutcome[] = [];
  const lines: string[] = [];
  const memory: string[] = [];
  for (let k = 0; k < CALLS_PER_MODULE; k++) {
    const args = generateArgs(rng, m.mainParams);
    const o = await inst.call(m.mainParams, args, m.mainResults);
    outcomes.push(o);
    memory.push(memoryHash(inst.memory()));
    lines.push(
      `main(${args.map((a) => `0x${a.toString(16)}`).join(', ')}) -> ${describeOutcome(o)}, memory ${memory.at(-1)}`,
    );
  }
  const globals = m.globals.map((g) => `${g.name}=0x${inst.global(g.name, g.type).toString(16)}`).join(' ');
  return { outcomes, lines, memory, globals };
}

/** The reference may name a trap ambiguously (a set of codes); the engine under test must name one of them. */
function agree(tested: CallOutcome, reference: CallOutcome): boolean {
  if ('trap' in reference)
    return 'trap' in tested && tested.trap.length === 1 && reference.trap.includes(tested.trap[0]!);
  return (
    'values' in tested &&
    tested.values.length === reference.values.length &&
    tested.values.every((v, i) => v === reference.values[i])
  );
}

export interface Comparison {
  readonly seed: number;
  /** Calls that trapped in the reference engine. */
  readonly traps: number;
  /** Undefined when both engines agree on every result, trap, global and memory hash. */
  readonly mismatch?: string;
}

export async function compareSeed(tested: DiffEngine, reference: DiffEngine, seed: number): Promise<Comparison> {
  const ref = await run(reference, seed);
  const traps = ref.outcomes.filter((o) => 'trap' in o).length;
  let got: Run;
  try {
    got = await run(tested, seed);
  } catch (e) {
    return { seed, traps, mismatch: `${tested.name} threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
  }
  const same =
    ref.outcomes.every((o, k) => agree(got.outcomes[k]!, o)) &&
    ref.memory.every((h, k) => h === got.memory[k]) &&
    ref.globals === got.globals;
  if (same) return { seed, traps };
  const pad = ' '.repeat(Math.max(reference.name.length, tested.name.length) + 2);
  const show = (name: string, r: Run) =>
    `${`${name}:`.padEnd(pad.length)}${[...r.lines, r.globals].join(`\n    ${pad}`)}`;
  return { seed, traps, mismatch: `${show(reference.name, ref)}\n    ${show(tested.name, got)}` };
}

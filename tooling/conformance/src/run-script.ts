import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectedModuleCode, expectedTrapCode } from './expected-codes.js';
import type { Classified, EngineAdapter, FailureCode, ModuleInstance, ValType, WasmValue } from './types.js';
import {
  type Expectation,
  type ScriptValue,
  expectationType,
  formatExpectation,
  formatValue,
  isValType,
  matches,
  parseArg,
  parseExpectation,
} from './values.js';

export interface ScriptAction {
  readonly type: 'invoke' | 'get';
  readonly module?: string;
  readonly field: string;
  readonly args?: readonly ScriptValue[];
}

export interface ScriptCommand {
  readonly type: string;
  readonly line: number;
  readonly filename?: string;
  readonly name?: string;
  readonly as?: string;
  readonly module_type?: string;
  readonly text?: string;
  readonly action?: ScriptAction;
  readonly expected?: readonly ScriptValue[];
}

export interface Script {
  readonly source_filename?: string;
  readonly commands: readonly ScriptCommand[];
}

export type CommandStatus = 'pass' | 'fail' | 'text-only';

export interface CommandOutcome {
  readonly line: number;
  readonly type: string;
  readonly status: CommandStatus;
  /** Why it failed: what was expected and what the engine did. */
  readonly detail?: string;
}

export interface ScriptResult {
  readonly name: string;
  readonly passed: number;
  readonly failed: number;
  readonly textOnly: number;
  readonly ms: number;
  readonly commands: readonly CommandOutcome[];
}

/** A module that failed to load stays addressable so later commands on it fail with the original reason. */
interface Broken {
  readonly broken: string;
}

type Slot = ModuleInstance | Broken;

function isBroken(s: Slot | undefined): s is Broken {
  return typeof s === 'object' && s !== null && 'broken' in s && typeof (s as Broken).broken === 'string';
}

class Failure extends Error {}

export async function loadScript(dir: string, name: string): Promise<Script> {
  return JSON.parse(await readFile(join(dir, name, `${name}.json`), 'utf8')) as Script;
}

/**
 * Run one converted spec script against an engine, command by command. Every command yields exactly one
 * outcome; a command the runner cannot interpret is a failure, never a pass.
 */
export async function runScript(
  engine: EngineAdapter,
  dir: string,
  name: string,
  script?: Script,
): Promise<ScriptResult> {
  const started = performance.now();
  const loaded = script ?? (await loadScript(dir, name));
  const registry = new Map<string, ModuleInstance>();
  const named = new Map<string, Slot>();
  let current: Slot | undefined;
  const outcomes: CommandOutcome[] = [];

  try {
    registry.set('spectest', await engine.spectest());
  } catch (e) {
    current = { broken: `spectest host module failed: ${describe(engine.classify(e))}` };
  }

  const bytesOf = (file: string): Promise<Uint8Array> =>
    readFile(join(dir, name, file)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

  const target = (moduleName: string | undefined): ModuleInstance => {
    const slot = moduleName === undefined ? current : named.get(moduleName);
    if (slot === undefined) throw new Failure(`no module ${moduleName ?? '(current)'} is loaded`);
    if (isBroken(slot)) throw new Failure(`module ${moduleName ?? '(current)'} did not load: ${slot.broken}`);
    return slot;
  };

  const perform = async (action: ScriptAction, resultTypes: ValType[] | undefined): Promise<readonly WasmValue[]> => {
    const instance = target(action.module);
    if (action.type === 'invoke') {
      const args = (action.args ?? []).map(parseArg);
      return engine.invoke(instance, action.field, args, resultTypes);
    }
    if (action.type === 'get') return [await engine.get(instance, action.field, resultTypes?.[0])];
    throw new Failure(`unknown action type ${String((action as { type: unknown }).type)}`);
  };

  const expectFailure = (caught: unknown, want: FailureCode, what: string): void => {
    if (caught instanceof Failure) throw caught;
    const got = engine.classify(caught);
    if (accepts(engine, got, want)) return;
    throw new Failure(`${what}: expected ${want}, got ${describe(got)}`);
  };

  for (const cmd of loaded.commands) {
    const record = (status: CommandStatus, detail?: string): void => {
      outcomes.push(
        detail === undefined
          ? { line: cmd.line, type: cmd.type, status }
          : { line: cmd.line, type: cmd.type, status, detail },
      );
    };
    try {
      switch (cmd.type) {
        case 'module': {
          let slot: Slot;
          let error: string | undefined;
          try {
            const module = await engine.compile(await bytesOf(required(cmd.filename, 'filename')));
            slot = await engine.instantiate(module, registry);
          } catch (e) {
            if (e instanceof Failure) throw e;
            error = describe(engine.classify(e));
            slot = { broken: error };
          }
          current = slot;
          if (cmd.name !== undefined) named.set(cmd.name, slot);
          if (error !== undefined) throw new Failure(`module failed to load: ${error}`);
          record('pass');
          break;
        }
        case 'register': {
          const inst = target(cmd.name);
          registry.set(required(cmd.as, 'as'), inst);
          record('pass');
          break;
        }
        case 'action': {
          const action = required(cmd.action, 'action');
          try {
            await perform(
              action,
              cmd.expected?.filter((e) => isValType(e.type)).map((e) => e.type as ValType),
            );
          } catch (e) {
            if (e instanceof Failure) throw e;
            throw new Failure(`action failed: ${describe(engine.classify(e))}`);
          }
          record('pass');
          break;
        }
        case 'assert_return': {
          const expected: Expectation[] = (cmd.expected ?? []).map(parseExpectation);
          let actual: readonly WasmValue[];
          try {
            actual = await perform(required(cmd.action, 'action'), expected.map(expectationType));
          } catch (e) {
            if (e instanceof Failure) throw e;
            throw new Failure(`expected a return, got ${describe(engine.classify(e))}`);
          }
          const ok = actual.length === expected.length && expected.every((x, i) => matches(x, actual[i]!));
          if (!ok) {
            throw new Failure(
              `expected [${expected.map(formatExpectation).join(', ')}], got [${actual.map(formatValue).join(', ')}]`,
            );
          }
          record('pass');
          break;
        }
        case 'assert_trap':
        case 'assert_exhaustion': {
          const text = required(cmd.text, 'text');
          const want = expectedTrapCode(text);
          if (want === undefined) throw new Failure(`runner has no trap code for reference text "${text}"`);
          const types = cmd.expected?.filter((e) => isValType(e.type)).map((e) => e.type as ValType);
          let returned: readonly WasmValue[] | undefined;
          try {
            returned = await perform(required(cmd.action, 'action'), types);
          } catch (e) {
            expectFailure(e, want, `"${text}"`);
          }
          if (returned !== undefined) {
            throw new Failure(
              `expected ${want} ("${text}"), but it returned [${returned.map(formatValue).join(', ')}]`,
            );
          }
          record('pass');
          break;
        }
        case 'assert_invalid':
        case 'assert_malformed': {
          if (cmd.module_type === 'text') {
            record('text-only');
            break;
          }
          const want = expectedModuleCode(cmd.type);
          const bytes = await bytesOf(required(cmd.filename, 'filename'));
          let compiled = false;
          try {
            await engine.compile(bytes);
            compiled = true;
          } catch (e) {
            expectFailure(e, want, `"${cmd.text ?? ''}"`);
          }
          if (compiled) throw new Failure(`expected ${want} ("${cmd.text ?? ''}"), but the module compiled`);
          record('pass');
          break;
        }
        case 'assert_unlinkable':
        case 'assert_uninstantiable': {
          const text = cmd.text ?? '';
          const want = cmd.type === 'assert_unlinkable' ? expectedModuleCode(cmd.type) : expectedTrapCode(text);
          if (want === undefined) throw new Failure(`runner has no trap code for reference text "${text}"`);
          let module: unknown;
          try {
            module = await engine.compile(await bytesOf(required(cmd.filename, 'filename')));
          } catch (e) {
            if (e instanceof Failure) throw e;
            throw new Failure(`expected the module to compile, got ${describe(engine.classify(e))}`);
          }
          let instantiated = false;
          try {
            await engine.instantiate(module, registry);
            instantiated = true;
          } catch (e) {
            expectFailure(e, want, `"${text}"`);
          }
          if (instantiated) throw new Failure(`expected ${want} ("${text}"), but the module instantiated`);
          record('pass');
          break;
        }
        default:
          throw new Failure(`runner does not know command type ${cmd.type}`);
      }
    } catch (e) {
      record(
        'fail',
        e instanceof Failure ? e.message : `runner error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  }

  let passed = 0;
  let failed = 0;
  let textOnly = 0;
  for (const o of outcomes) {
    if (o.status === 'pass') passed++;
    else if (o.status === 'fail') failed++;
    else textOnly++;
  }
  return { name, passed, failed, textOnly, ms: performance.now() - started, commands: outcomes };
}

function accepts(engine: EngineAdapter, got: Classified, want: FailureCode): boolean {
  if (got.code === want || got.acceptable?.includes(want)) return true;
  return (
    !engine.distinguishesMalformedFromInvalid &&
    got.code === 'WASM_COMPILE_ERROR' &&
    (want === 'WASM_MALFORMED' || want === 'WASM_INVALID')
  );
}

function describe(c: Classified): string {
  return `${c.code} (${c.message})`;
}

function required<T>(v: T | undefined, field: string): T {
  if (v === undefined) throw new Failure(`command lacks its ${field} field`);
  return v;
}

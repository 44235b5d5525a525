import type { HostPolicy, PlatformAdapter } from '@fayger/contracts';
import { createInstructionBus, type AdapterBus } from '@fayger/adapter-core';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { createRuntime, type BufInstance, type ExitInfo } from '@fayger/runtime';
import { devKeyPaths } from './dev-key.js';
import { findRepoRoot } from './repo.js';
import { verifyExampleBuf } from './verify.js';

export interface RunExampleOptions {
  adapter: PlatformAdapter;
  /** Host policy (default: allow what the adapter offers). */
  policy?: HostPolicy;
  args?: readonly string[];
  /** Called once the instance exists, before it runs to completion (e.g. to drive it from outside). */
  started?: (instance: BufInstance, bus: AdapterBus) => void | Promise<void>;
}

/**
 * Runs a packed example end to end the way a host would: loader (verified against the dev trusted roots) →
 * runtime (the interpreter implementation) → adapter bus. Resolves with how the instance ended.
 */
export async function runExample(
  bufFile: string,
  options: RunExampleOptions,
): Promise<{ exit: ExitInfo; instance: BufInstance }> {
  const root = findRepoRoot(bufFile);
  const loaded = await verifyExampleBuf(bufFile, devKeyPaths(root).rootsFile);
  const bus = createInstructionBus({ adapter: options.adapter, policy: options.policy ?? { allow: 'available' } });
  const runtime = createRuntime({ implementations: [createInterpreterImplementation()], bus });
  const instance = runtime.instantiate(loaded, options.args ? { args: options.args } : {});
  const started = options.started?.(instance, bus);
  const exit = await instance.runToCompletion();
  await started;
  return { exit, instance };
}

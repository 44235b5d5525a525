// Host-neutral wiring of the layers (no node:, no DOM): loader → security → runtime (interpreter) → bus over
// the host's adapter. Each host entry (server/desktop scripts, the in-app page) only supplies a source and an
// adapter, so the guest sees the same runtime everywhere.
import { createInstructionBus } from '@fayger/adapter-core';
import type { BufSource, CapabilityRequest, HostKind, PlatformAdapter } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { loadBuf } from '@fayger/loader';
import { createRuntime } from '@fayger/runtime';
import { createTrustVerifier, detectDigestProvider, parseTrustedRoots } from '@fayger/security';
import { recordGuestLog, type GuestLogLine } from './guest-log.js';

/** What one host run of a BuF looked like from the guest's side, plus facts about the host. */
export interface HostRun {
  host: string;
  artifactId: string;
  signedBy: string[];
  /** `typeof WebAssembly` in the host, taken before loading. */
  webAssembly: string;
  granted: string[];
  absentOptional: string[];
  exit: { state: string; exitCode: number | undefined; error?: string };
  lines: GuestLogLine[];
}

export interface RunBufOptions {
  host: string;
  hostKind: HostKind;
  source: BufSource;
  trustedRootsJson: string;
  adapter: PlatformAdapter;
  /** Runs before negotiation with the manifest's requests (an in-app host asks the user for permissions here). */
  beforeNegotiate?: (capabilities: readonly CapabilityRequest[]) => Promise<void>;
}

export async function runBuf(options: RunBufOptions): Promise<HostRun> {
  const webAssembly = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly;
  const loaded = await loadBuf(options.source, {
    digest: detectDigestProvider(),
    trust: createTrustVerifier({ roots: parseTrustedRoots(options.trustedRootsJson), policy: { threshold: 1 } }),
    profile: { host: options.hostKind },
    strategy: 'lazy',
    supportedInterfaceVersions: ['1.0.0'],
  });
  const { adapter, lines } = recordGuestLog(options.adapter);
  const bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
  const runtime = createRuntime({ implementations: [createInterpreterImplementation()], bus });
  await options.beforeNegotiate?.(loaded.manifest.capabilities);
  // The bus negotiates (requested ∩ adapter offers + `app`, which the bus serves on every host ∩ policy).
  const instance = runtime.instantiate(loaded);
  const exit = await instance.runToCompletion();
  await bus.shutdown();
  return {
    host: options.host,
    artifactId: loaded.manifest.id,
    signedBy: loaded.signature.keyIds,
    webAssembly,
    granted: instance.grants.granted.map((g) => g.name),
    absentOptional: [...instance.grants.absentOptional],
    exit: { state: exit.state, exitCode: exit.exitCode, ...(exit.error ? { error: describe(exit.error) } : {}) },
    lines,
  };
}

function describe(e: unknown): string {
  return FaygerError.is(e) ? `${e.code}: ${e.message}` : String(e);
}

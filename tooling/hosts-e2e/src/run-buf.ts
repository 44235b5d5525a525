// Host-neutral wiring of the layers (no node:, no DOM): loader → security → runtime → bus over the host's
// adapter. Each host entry (server/desktop scripts, the in-app page) only supplies a source, an adapter and,
// optionally, the Runtime_Implementations to route between (default: the interpreter alone — the embedded
// engine bundles carry nothing else), so the guest sees the same runtime everywhere.
import { createInstructionBus } from '@fayger/adapter-core';
import type { BufSource, CapabilityRequest, HostKind, PlatformAdapter, RuntimeImplementation } from '@fayger/contracts';
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
  /** The Runtime_Implementation that ran the guest, and the router's reasons (runtime.implementation.selected). */
  implementation: string;
  engineReasons: string[];
}

export interface RunBufOptions {
  host: string;
  hostKind: HostKind;
  source: BufSource;
  trustedRootsJson: string;
  adapter: PlatformAdapter;
  /** Runs before negotiation with the manifest's requests (an in-app host asks the user for permissions here). */
  beforeNegotiate?: (capabilities: readonly CapabilityRequest[]) => Promise<void>;
  /** Runtime_Implementations in router order (default: the interpreter). */
  implementations?: readonly RuntimeImplementation[];
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
  const engineReasons: string[] = [];
  const runtime = createRuntime({
    implementations: options.implementations ?? [createInterpreterImplementation()],
    bus,
    // Only the router's decisions are kept (the initial choice, and a load-time fallback if any).
    events: {
      wants: (name) => name === 'runtime.implementation.selected',
      emit: (e) => {
        if (e.name === 'runtime.implementation.selected')
          engineReasons.push(`${e.data.implementation}: ${e.data.reason}`);
      },
    },
  });
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
    implementation: instance.implementation,
    engineReasons,
  };
}

function describe(e: unknown): string {
  return FaygerError.is(e) ? `${e.code}: ${e.message}` : String(e);
}

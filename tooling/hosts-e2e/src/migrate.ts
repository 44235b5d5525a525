// Snapshot migration between hosts (issue #18 item 4): the same createFayger wiring on every host, only the
// adapter differs (adapter-browser in the page, adapter-server in Node). Used by test/migrate.test.ts in Node and
// by src/hosts/migrate-page.ts in Chromium.
import type { PlatformAdapter } from '@fayger/contracts';
import { createEd25519Signer, trustedRootEntry } from '@fayger/security';
import { createFayger, type Fayger, type FaygerOptions, type RunResult } from 'fayger';

/** Builds a fresh adapter whose guest log records go to `onLog` (one per Fayger: close() closes it). */
export type AdapterFactory = (onLog: (line: string) => void) => PlatformAdapter;

/** A finished run (or the finished second half of a migrated run), as plain JSON. */
export interface MigrateRunResult {
  state: string;
  exitCode: number | undefined;
  error: string | undefined;
  /** Total fuel of the instance (after a resume: including the fuel spent before the snapshot). */
  fuelUsed: number;
  /** Guest log lines (`level: message`) this host saw. */
  logs: string[];
  implementation: string;
  adapter: string;
}

/** The first half of a migrated run: the signed snapshot bytes and what this host saw before it. */
export interface SnapshotTaken {
  snapshot: string;
  /** The snapshotting host's public key (base64): the resuming side trusts it for `fayger.snapshot`. */
  publicKey: string;
  fuelAtSnapshot: number;
  logs: string[];
  adapter: string;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The engine a host runs the guest on (both read the engine-neutral snapshot state of the other). */
export type MigrateEngine = 'interpreter' | 'transpiler';

function make(
  adapter: PlatformAdapter,
  trustedKey?: Uint8Array,
  limits?: FaygerOptions['limits'],
  engine: MigrateEngine = 'interpreter',
): Fayger {
  return createFayger({
    adapter,
    ...(limits ? { limits } : {}),
    engine,
    trust: {
      roots: {
        version: 1,
        keys: trustedKey ? [trustedRootEntry(trustedKey, { publishers: ['fayger.snapshot'] })] : [],
      },
      // The test's BuF is packed unsigned; the snapshot is what must be signed by a trusted host key.
      allowUnsigned: true,
    },
  });
}

function logSink(): { logs: string[]; onLog: (line: string) => void } {
  const logs: string[] = [];
  return { logs, onLog: (line) => logs.push(line) };
}

/** How a run (whole or resumed) ended, as the tests compare it across hosts. */
function ended(r: RunResult, logs: string[]): MigrateRunResult {
  return {
    state: r.state,
    exitCode: r.exitCode,
    error: r.error ? `${r.error.code}: ${r.error.message}` : undefined,
    fuelUsed: r.usage.fuelUsed,
    logs,
    implementation: r.implementation,
    adapter: r.adapter.id,
  };
}

/** Runs the BuF to its end on this host, uninterrupted. */
export async function runWhole(buf: Uint8Array, adapterFor: AdapterFactory): Promise<MigrateRunResult> {
  const { logs, onLog } = logSink();
  const fayger = make(adapterFor(onLog));
  try {
    return ended(await fayger.run(buf), logs);
  } finally {
    await fayger.close();
  }
}

/**
 * Starts the BuF with a fuel soft limit of `afterFuel` whose action is `suspend` (checked at fuel-slice
 * boundaries, so the stopping point is the same on every host), takes a signed snapshot there with a host key
 * made from `seed`, and ends the instance here.
 */
export async function runAndSnapshot(
  buf: Uint8Array,
  adapterFor: AdapterFactory,
  afterFuel: number,
  seed: number,
  engine: MigrateEngine = 'interpreter',
): Promise<SnapshotTaken> {
  const { logs, onLog } = logSink();
  const adapter = adapterFor(onLog);
  // Hard fuel limit 2 × afterFuel for this run, soft limit at half of it: the instance parks in Suspended.
  const fayger = make(adapter, undefined, { softLimitRatio: 0.5, softActions: { fuel: 'suspend' } }, engine);
  const hostKey = createEd25519Signer(new Uint8Array(32).fill(seed));
  try {
    let parked!: Promise<string>;
    const handle = await fayger.start(buf, {
      quotas: { fuel: 2 * afterFuel },
      onInstance: (instance) => {
        parked = new Promise<string>((resolve) => {
          const off = instance.onTransition((t) => {
            if (t.to === 'Suspended' || t.to === 'Terminated' || t.to === 'Failed') {
              off();
              resolve(t.to);
            }
          });
        });
      },
    });
    const state = await parked;
    const instance = handle.instance;
    if (state !== 'Suspended') {
      const r = await handle.done;
      throw new Error(`the guest ended (${state}: ${r.error?.message ?? r.exitCode}) before the soft fuel limit`);
    }
    const fuelAtSnapshot = instance.usage().fuelUsed;
    const bytes = await fayger.snapshot(instance, { signer: hostKey });
    instance.terminate('migrated');
    return {
      snapshot: toBase64(bytes),
      publicKey: toBase64(hostKey.publicKey),
      fuelAtSnapshot,
      logs,
      adapter: adapter.id,
    };
  } finally {
    await fayger.close();
  }
}

/**
 * Starts the BuF and, once it waits on an asynchronous host call whose op contains `pendingOp` (a timer, say),
 * captures it there (the call is re-issued on the resuming host) as a signed snapshot; ends the instance here.
 */
export async function snapshotAtPendingCall(
  buf: Uint8Array,
  adapterFor: AdapterFactory,
  pendingOp: string,
  seed: number,
): Promise<SnapshotTaken & { pending: string }> {
  const { logs, onLog } = logSink();
  const adapter = adapterFor(onLog);
  const fayger = make(adapter);
  const hostKey = createEd25519Signer(new Uint8Array(32).fill(seed));
  try {
    const handle = await fayger.start(buf);
    const instance = handle.instance;
    // instance.snapshot() only succeeds at a stable point (Suspended, or waiting on a host call) and changes
    // nothing, so it is tried between the guest's slices until the instance waits on the call.
    const snap = await new Promise<ReturnType<typeof instance.snapshot>>((resolve, reject) => {
      const attempt = () => {
        if (instance.state === 'Terminated' || instance.state === 'Failed') {
          reject(new Error(`the guest ended (${instance.state}) without waiting on ${pendingOp}`));
          return;
        }
        try {
          const s = instance.snapshot();
          if (s.pending?.op.includes(pendingOp)) {
            resolve(s);
            return;
          }
        } catch (err) {
          if (!(err instanceof Error && 'code' in err && err.code === 'SNAPSHOT_NOT_SUSPENDED')) {
            reject(err);
            return;
          }
        }
        setTimeout(attempt, 1);
      };
      attempt();
    });
    const bytes = await fayger.snapshot(snap, { signer: hostKey });
    instance.terminate('migrated');
    return {
      snapshot: toBase64(bytes),
      publicKey: toBase64(hostKey.publicKey),
      fuelAtSnapshot: snap.engine.fuelUsed,
      pending: snap.pending?.op ?? '',
      logs,
      adapter: adapter.id,
    };
  } finally {
    await fayger.close();
  }
}

/** Resumes a snapshot of `buf` on this host, trusting `publicKey` (base64) for `fayger.snapshot`. */
export async function resumeHere(
  buf: Uint8Array,
  snapshot: Uint8Array,
  publicKey: Uint8Array | undefined,
  adapterFor: AdapterFactory,
  engine: MigrateEngine = 'interpreter',
): Promise<MigrateRunResult> {
  const { logs, onLog } = logSink();
  const fayger = make(adapterFor(onLog), publicKey, undefined, engine);
  try {
    return ended(await fayger.resume(buf, snapshot), logs);
  } finally {
    await fayger.close();
  }
}

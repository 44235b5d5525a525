// Snapshot options of `fayger run` and the host key that signs snapshots (docs/spec/snapshot-v1.md §6).
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Signer } from '@fayger/contracts';
import {
  createEd25519Signer,
  formatSecretKeyFile,
  generateEd25519KeyPair,
  parseSecretKeyFile,
  trustedRootEntry,
} from '@fayger/security';
import { usage } from './args.js';
import { exists, readText, writeFileAtomic } from './io.js';

/** Publisher scope under which resuming hosts trust snapshot host keys (loader's SNAPSHOT_PUBLISHER). */
export const SNAPSHOT_SCOPE = 'fayger.snapshot';

export interface SnapshotRunOptions {
  /** Where the snapshot is written. */
  out: string;
  /** Stop after this much fuel and write the snapshot (undefined: only on SIGINT/SIGTERM). */
  afterFuel?: number;
  /** --snapshot-key; undefined: the host key in the state directory. */
  keyFile?: string;
}

/**
 * Reads and checks `--snapshot`, `--snapshot-on-exit-after` and `--snapshot-key` (both engines, the interpreter
 * and the transpiler, capture and restore snapshots).
 */
export function parseSnapshotOptions(
  command: string,
  cwd: string,
  values: Record<string, unknown>,
): SnapshotRunOptions | undefined {
  const out = values.snapshot as string | undefined;
  const after = values['snapshot-on-exit-after'] as string | undefined;
  const key = values['snapshot-key'] as string | undefined;
  if (out === undefined) {
    if (after !== undefined) throw usage(command, '--snapshot-on-exit-after without --snapshot', '--snapshot <file>');
    if (key !== undefined) throw usage(command, '--snapshot-key without --snapshot', '--snapshot <file>');
    return undefined;
  }
  if (out === '') throw usage(command, '--snapshot ""', 'a file to write the snapshot to');
  let afterFuel: number | undefined;
  if (after !== undefined) {
    afterFuel = /^[1-9][0-9]*$/.test(after) ? Number(after) : Number.NaN;
    if (!Number.isSafeInteger(afterFuel))
      throw usage(command, `--snapshot-on-exit-after ${JSON.stringify(after)}`, 'a positive integer amount of fuel');
  }
  return {
    out: resolve(cwd, out),
    ...(afterFuel !== undefined ? { afterFuel } : {}),
    ...(key !== undefined ? { keyFile: resolve(cwd, key) } : {}),
  };
}

export interface SnapshotKey {
  signer: Signer;
  file: string;
  /** True when the host key was created by this call. */
  created: boolean;
  /** The trusted-roots entry a resuming host adds to trust this key for snapshots. */
  pubFile: string;
  /** One paragraph telling the user how to trust the key elsewhere. */
  trustHint: string;
}

/**
 * The key that signs snapshots: `--snapshot-key FILE` (a `fayger keygen` key file), else the host key kept in
 * `<stateDir>/snapshot-host.key.json` (mode 0600), created on first use together with its trusted-roots entry
 * `snapshot-host.pub.json`, scoped to `fayger.snapshot`.
 */
export async function snapshotKey(stateDir: string, keyFile?: string): Promise<SnapshotKey> {
  const file = keyFile ?? join(stateDir, 'snapshot-host.key.json');
  const pubFile = file.endsWith('.key.json') ? `${file.slice(0, -'.key.json'.length)}.pub.json` : `${file}.pub.json`;
  let created = false;
  if (!keyFile && !(await exists(file))) {
    const pair = generateEd25519KeyPair();
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, formatSecretKeyFile(pair.secretKey, { publishers: [SNAPSHOT_SCOPE] }), 0o600);
    await chmod(file, 0o600);
    const entry = trustedRootEntry(pair.publicKey, {
      publishers: [SNAPSHOT_SCOPE],
      comment: 'snapshot host key (fayger run --snapshot)',
    });
    await writeFileAtomic(pubFile, `${JSON.stringify(entry, null, 2)}\n`);
    created = true;
  }
  const key = parseSecretKeyFile(await readText(file));
  const signer = createEd25519Signer(key.secretKey);
  if (!(await exists(pubFile))) {
    const entry = trustedRootEntry(signer.publicKey, { publishers: [SNAPSHOT_SCOPE] });
    await writeFileAtomic(pubFile, `${JSON.stringify(entry, null, 2)}\n`);
  }
  const trustHint =
    `snapshots are signed by ${signer.keyId} (${file}). To resume them on another host, add the entry in ` +
    `${pubFile} to the "keys" of the trusted-roots document given to \`fayger resume --trusted-roots\` ` +
    `(it is scoped to ${SNAPSHOT_SCOPE}: it vouches for snapshots only, never for apps).`;
  return { signer, file, created, pubFile, trustHint };
}

/** The piece of a BufInstance the snapshotter drives (structural: the CLI does not import the runtime). */
interface SnapshotTarget {
  readonly state: string;
  suspend(): void;
  suspendAt(fuel: number | undefined): void;
  terminate(reason?: string): void;
  usage(): { fuelUsed: number };
  onTransition(listener: (t: { to: string; reason: string }) => void): () => void;
  snapshot(): import('@fayger/contracts').InstanceSnapshot;
  readonly done: Promise<unknown>;
}

export interface Snapshotter {
  /** Resolves true once a snapshot was written (the instance was then terminated), false when none was. */
  readonly written: Promise<boolean>;
  /** Why taking the snapshot failed (the instance was then terminated). */
  readonly failure: unknown;
  stop(): void;
}

/**
 * Watches a running instance: at the first fuel point at or past `afterFuel` (the runtime's `suspendAt`; on a
 * resumed instance counted from the snapshot point) or on SIGINT/SIGTERM it is suspended, captured, signed with
 * the snapshot key, written to `out`, and terminated.
 */
export function watchForSnapshot(
  instance: SnapshotTarget,
  options: SnapshotRunOptions,
  io: { stderr(s: string): void },
  ctx: {
    stateDir: string;
    encode: (s: import('@fayger/contracts').InstanceSnapshot, signer: Signer) => Promise<Uint8Array>;
    buf: string;
    /** The instance continues a snapshot: `afterFuel` counts from the fuel it had used there. */
    resumed?: boolean;
  },
): Snapshotter {
  let stopped = false;
  let failure: unknown;
  let taking: Promise<boolean> | undefined;
  let resolveWritten: (v: boolean) => void = () => undefined;
  const written = new Promise<boolean>((r) => (resolveWritten = r));
  const ended = () => instance.state === 'Terminated' || instance.state === 'Failed';
  const take = (why: string): Promise<boolean> => {
    taking ??= (async () => {
      if (ended()) return false;
      if (instance.state !== 'Suspended') {
        const suspended = new Promise<void>((r) => {
          const off = instance.onTransition((t) => {
            if (t.to === 'Suspended' || t.to === 'Terminated' || t.to === 'Failed') {
              off();
              r();
            }
          });
        });
        instance.suspend();
        await Promise.race([suspended, instance.done]);
      }
      if (ended()) return false;
      const snap = instance.snapshot();
      const key = await snapshotKey(ctx.stateDir, options.keyFile);
      const bytes = await ctx.encode(snap, key.signer);
      await writeFileAtomic(options.out, bytes);
      io.stderr(
        `fayger run: snapshot after ${snap.engine.fuelUsed} fuel (${why}) written to ${options.out} (${bytes.length} bytes, signed by ${key.signer.keyId}); continue with: fayger resume ${options.out} ${ctx.buf} --trusted-roots <roots.json>\n`,
      );
      if (key.created) io.stderr(`fayger run: new snapshot host key: ${key.trustHint}\n`);
      instance.terminate('snapshot');
      return true;
    })();
    return taking;
  };
  const onSignal = (sig: string) => () => {
    take(sig).then(resolveWritten, (err) => {
      failure = err;
      instance.terminate(sig);
      resolveWritten(false);
    });
  };
  const sigint = onSignal('SIGINT');
  const sigterm = onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  const offTransitions: (() => void)[] = [];
  const afterFuel = options.afterFuel;
  if (afterFuel !== undefined) {
    if (ctx.resumed) {
      // The restored fuel is known once the instance runs (restore happens in start()).
      const off = instance.onTransition((t) => {
        if (t.to !== 'Running') return;
        off();
        instance.suspendAt(instance.usage().fuelUsed + afterFuel);
      });
      offTransitions.push(off);
    } else instance.suspendAt(afterFuel);
    offTransitions.push(
      instance.onTransition((t) => {
        if (stopped || t.reason !== 'suspend-at-fuel') return;
        // After the transition has finished (the instance is parked), not inside its listener.
        queueMicrotask(() =>
          take(`--snapshot-on-exit-after ${afterFuel}`).then(resolveWritten, (err) => {
            failure = err;
            resolveWritten(false);
            instance.terminate('snapshot-failed');
          }),
        );
      }),
    );
  }
  void instance.done.then(async () => {
    if (!taking) resolveWritten(false);
  });
  return {
    written: written.then(async (w) => (taking ? await taking.catch(() => false) : w)),
    get failure() {
      return failure;
    },
    stop() {
      stopped = true;
      for (const off of offTransitions) off();
      process.off('SIGINT', sigint);
      process.off('SIGTERM', sigterm);
    },
  };
}

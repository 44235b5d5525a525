// Node entry of fayger: files as sources, the per-user state dir, the server and desktop adapters, node:crypto
// fast paths. The main entry ('fayger') stays free of node: imports for browsers and in-app hosts.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { FaygerError, type VersionStore } from '@fayger/contracts';
import { openSource as openNodeSource } from '@fayger/loader/node';
import { parseTrustedRoots } from '@fayger/security';
import { createFileVersionStore, nodeDigestProvider, nodeEd25519Backend } from '@fayger/security/node';
import type { AppKey, FsMount } from '@fayger/node-host';
import {
  createFayger,
  type AdapterChoice,
  type Fayger,
  type FaygerOptions,
  type RunHandle,
  type StorageReport,
} from './create-fayger.js';
import { nodeAdapterCandidates } from './node-adapters.js';
import type { StdioStreams } from './stdio-adapter.js';
import type { FaygerTrust } from './trust.js';

export { nodeAdapterCandidates, withFsMounts, withPerAppState, processStdio } from './node-adapters.js';
export type { NodeAdapterOptions } from './node-adapters.js';

/** Trust for Node embedders: everything `FaygerTrust` takes, or a trusted-roots file path. */
export type NodeFaygerTrust =
  | FaygerTrust
  | { rootsFile: string; threshold?: number; allowUnsigned?: boolean; allowRollback?: boolean };

export interface NodeFaygerOptions extends Omit<FaygerOptions, 'adapter' | 'trust' | 'versionStore' | 'storage'> {
  trust: NodeFaygerTrust;
  /** Force an adapter by id or host kind ('server', 'desktop'); default: detection (TTY → desktop). */
  host?: string;
  /** Replace the Node adapters entirely (any PlatformAdapter, or candidates to detect among). */
  adapter?: AdapterChoice;
  /**
   * State directory: versions.json and, per app, kv and the default `/data` in `apps/<publisher>/<id>/` (see
   * `appStateDir`): no app can read or name another's. Default: none — nothing is persisted; rollback protection
   * is in memory and apps' kv and `/data` live in a private temporary directory removed by `close()`. Pass
   * `defaultStateDir()` for the per-user place the CLI uses (`~/.local/state/fayger`).
   */
  stateDir?: string;
  /** Rollback protection (default: `<stateDir>/versions.json` with a stateDir, else in memory); false: none. */
  versionStore?: VersionStore | false;
  /** Host directories mounted at guest paths; fs.read / fs.write offers come from them. */
  mounts?: readonly FsMount[];
  /** @deprecated the old name of `mounts`. */
  dirs?: readonly FsMount[];
  /** Environment variables the adapter may expose to guests (default none). */
  envAllow?: readonly string[];
  /** Values for variables (e.g. `--env K=V`) that the guest sees instead of this process's environment. */
  envValues?: Readonly<Record<string, string>>;
  /** Guest log records (default text on stderr). */
  log?: { format?: 'json' | 'text'; stream?: { write(chunk: string): unknown } };
  /** Guest standard streams (default this process's); false: no stdio capability. */
  stdio?: StdioStreams | false;
}

/**
 * Where Fayger keeps per-user state: `$FAYGER_STATE_DIR`, else `$XDG_STATE_HOME/fayger`, else the platform's
 * usual place (`~/.local/state/fayger`, `~/Library/Application Support/fayger`, `%LOCALAPPDATA%\fayger`).
 */
export function defaultStateDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.FAYGER_STATE_DIR) return resolve(env.FAYGER_STATE_DIR);
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'fayger');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'fayger');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'fayger');
  return join(homedir(), '.local', 'state', 'fayger');
}

/** Reads and validates a trusted-roots document (SECURITY_* codes name a bad field). */
export function readTrustedRootsFile(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FaygerError({
      code: 'FAYGER_TRUST_ROOTS_UNREADABLE',
      phase: 'configure',
      what: `reading the trusted roots ${path}`,
      found: (err as Error).message,
      cause: err,
      details: { path, errno: (err as { code?: string }).code },
    });
  }
  return parseTrustedRoots(text);
}

function mountInvalid(spec: string, expected: string, found = spec): FaygerError {
  return new FaygerError({
    code: 'FAYGER_MOUNT_INVALID',
    phase: 'configure',
    what: `the mount --dir ${JSON.stringify(spec)}`,
    expected,
    found,
  });
}

/**
 * Parses a `--dir` value, as wasmtime takes it:
 * - `HOST::GUEST` mounts the host directory HOST at the absolute guest path GUEST (`HOST::/` is allowed);
 * - `HOST` alone mounts it at the same path name: an absolute HOST at itself, a relative one at `/` + its
 *   normalised form (`.` at `/`, `./work` at `/work`), which is where the guest's relative paths resolve;
 * - a trailing `:ro` makes the mount read-only (`:rw`, the default, read-write);
 * - the older `GUEST=HOST` form (`/data=./work`) still works when GUEST is absolute and the whole value is not
 *   itself an existing directory.
 * Relative host paths resolve against `cwd`. Throws FAYGER_MOUNT_INVALID naming the problem.
 */
export function parseDirSpec(spec: string, cwd = process.cwd()): FsMount {
  let rest = spec;
  let readOnly = false;
  const mode = /:(ro|rw)$/.exec(rest);
  if (mode && rest.length > 3) {
    readOnly = mode[1] === 'ro';
    rest = rest.slice(0, -3);
  }
  let host: string;
  let guest: string;
  const sep = rest.indexOf('::');
  const eq = rest.indexOf('=');
  if (sep >= 0) {
    host = rest.slice(0, sep);
    guest = rest.slice(sep + 2);
    if (!host) throw mountInvalid(spec, 'HOST::GUEST with a host directory before the "::"', 'nothing before "::"');
    if (!guest.startsWith('/'))
      throw mountInvalid(
        spec,
        'an absolute guest path after "::", e.g. ./work::/data or ./root::/',
        JSON.stringify(guest),
      );
  } else if (eq > 0 && rest.startsWith('/') && !isDirectory(resolve(cwd, rest))) {
    guest = rest.slice(0, eq);
    host = rest.slice(eq + 1);
    if (!host)
      throw mountInvalid(spec, 'GUEST=HOST with a host directory after "=", e.g. /data=./work', 'nothing after "="');
  } else {
    if (!rest) throw mountInvalid(spec, 'HOST, HOST::GUEST or HOST::GUEST:ro', 'an empty value');
    host = rest;
    guest = isAbsolute(rest) ? rest : posix.normalize(`/${rest.split(SLASHES).join('/')}`);
  }
  guest = posix.normalize(guest);
  if (guest.length > 1 && guest.endsWith('/')) guest = guest.slice(0, -1);
  return { guest, host: resolve(cwd, host), ...(readOnly ? { readOnly: true } : {}) };
}

const SLASHES = /[\\/]+/;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Ephemeral state dirs not yet removed by close(): removed when the process exits, so a Fayger that is never
 * closed (a script that just ends) leaves nothing behind in the temp dir. One listener for all of them.
 */
const ephemeralDirs = new Set<string>();
let exitHookInstalled = false;
function removeOnExit(dir: string): void {
  ephemeralDirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A process killed by a signal it does not handle never emits 'exit' (a library must not take SIGINT/SIGTERM
  // away from its embedder), so its dir stays behind: the first ephemeral Fayger of each process sweeps the dirs
  // of processes that no longer exist.
  sweepDeadEphemeralDirs(tmpdir());
  process.once('exit', () => {
    for (const d of ephemeralDirs) rmSync(d, { recursive: true, force: true });
    ephemeralDirs.clear();
  });
}

const EPHEMERAL_NAME = /^fayger-ephemeral-(\d+)-[0-9a-f]{12}$/;

/**
 * Removes `fayger-ephemeral-<pid>-<hex>` dirs in `dir` whose process is gone (best effort: a dir it cannot read
 * or remove is left alone). A live pid — including one reused by another process — keeps its dir.
 */
function sweepDeadEphemeralDirs(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = EPHEMERAL_NAME.exec(name);
    if (!m || Number(m[1]) === process.pid || processExists(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      // another sweeper or a permission problem: not ours to fail on
    }
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else; only ESRCH means it is gone.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * createFayger with Node defaults: paths open as FileSource, SHA-256 and Ed25519 through node:crypto, the
 * server / desktop adapter chosen by host detection (forced with `host`), with guest stdio on this process's
 * streams. State persists only in a `stateDir` you give (versions.json, per-app kv and `/data`); without one,
 * rollback protection is in memory and `fayger.storage` / the grant report say so.
 */
export function createNodeFayger(options: NodeFaygerOptions): Fayger {
  // No state dir: a private temporary one for the adapters (kv, /data), removed on close; nothing persists.
  const ephemeral =
    options.stateDir === undefined
      ? join(tmpdir(), `fayger-ephemeral-${process.pid}-${randomBytes(6).toString('hex')}`)
      : undefined;
  const stateDir = options.stateDir !== undefined ? resolve(options.stateDir) : ephemeral!;
  if (ephemeral) removeOnExit(ephemeral);
  const {
    host,
    mounts,
    dirs,
    envAllow,
    envValues,
    log,
    stdio,
    stateDir: _s,
    versionStore: _v,
    trust: _t,
    adapter: _a,
    ...rest
  } = options;
  const trust: FaygerTrust =
    options.trust && 'rootsFile' in options.trust
      ? {
          roots: readTrustedRootsFile(options.trust.rootsFile),
          ...(options.trust.threshold !== undefined ? { threshold: options.trust.threshold } : {}),
          ...(options.trust.allowUnsigned ? { allowUnsigned: true } : {}),
          ...(options.trust.allowRollback ? { allowRollback: true } : {}),
        }
      : (options.trust as FaygerTrust);
  const versionsFile =
    ephemeral === undefined && options.versionStore === undefined ? join(stateDir, 'versions.json') : undefined;
  const versionStore: VersionStore | false | undefined =
    options.versionStore ?? (versionsFile ? createFileVersionStore(versionsFile) : undefined);
  const storage: StorageReport = {
    persistent: ephemeral === undefined,
    ...(ephemeral === undefined ? { stateDir } : {}),
    rollback: versionsFile
      ? { store: 'file', path: versionsFile }
      : { store: options.versionStore === false ? 'none' : options.versionStore ? 'custom' : 'memory' },
  };
  // Instance → app (publisher, id), bound before the instance starts and released when it ends: the Node
  // adapters keep each app's kv and default /data in its own directory.
  const apps = new Map<string, AppKey>();
  const adapter: AdapterChoice = options.adapter ?? {
    candidates: nodeAdapterCandidates({
      stateDir,
      appOf: (instanceId) => apps.get(instanceId),
      ...((mounts ?? dirs) ? { mounts: mounts ?? dirs } : {}),
      ...(envAllow ? { envAllow } : {}),
      ...(envValues ? { envValues } : {}),
      ...(log ? { log } : {}),
      ...(stdio !== undefined ? { stdio } : {}),
    }),
    ...(host ? { force: host } : {}),
  };
  const fayger = createFayger({
    digest: nodeDigestProvider,
    ed25519: nodeEd25519Backend,
    resolveSource: (ref) => openNodeSource(ref, options.sources),
    ...rest,
    adapter,
    trust,
    // undefined: createFayger's in-memory store.
    ...(versionStore !== undefined ? { versionStore } : {}),
    storage,
  });
  const start: Fayger['start'] = async (input, o = {}) => {
    let bound: string | undefined;
    let handle: RunHandle;
    try {
      handle = await fayger.start(input, {
        ...o,
        onInstance: (instance, loaded) => {
          bound = instance.id;
          apps.set(instance.id, { publisher: loaded.manifest.publisher, id: loaded.manifest.id });
          o.onInstance?.(instance, loaded);
        },
      });
    } catch (err) {
      if (bound !== undefined) apps.delete(bound);
      throw err;
    }
    void handle.done.then(() => {
      if (bound !== undefined) apps.delete(bound);
    });
    return handle;
  };
  const close = async () => {
    await fayger.close();
    if (ephemeral) {
      rmSync(ephemeral, { recursive: true, force: true });
      ephemeralDirs.delete(ephemeral);
    }
  };
  return { ...fayger, start, run: async (input, o = {}) => (await start(input, o)).done, close };
}

export type { Fayger } from './create-fayger.js';

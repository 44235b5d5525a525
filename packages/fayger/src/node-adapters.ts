import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeAdapter, type AdapterCandidate } from '@fayger/adapter-core';
import { desktopAdapterCandidate } from '@fayger/adapter-desktop';
import { serverAdapterCandidate } from '@fayger/adapter-server';
import {
  FaygerError,
  type AdapterCallContext,
  type EventSink,
  type PlatformAdapter,
  type UniversalInstruction,
} from '@fayger/contracts';
import {
  ConfinedFs,
  FileKv,
  appStateDir,
  nodeHostHandlers,
  nodeHostOffers,
  type AppKey,
  type FsMount,
} from '@fayger/node-host';
import { withStdio, type StdioStreams } from './stdio-adapter.js';

export interface NodeAdapterOptions {
  /** Per-user state directory (server data root, kv). */
  stateDir: string;
  /** Host directories mounted at guest paths (`--dir guest=host`); one at /data replaces the server's own. */
  mounts?: readonly FsMount[];
  /** @deprecated the old name of `mounts`. */
  dirs?: readonly FsMount[];
  /** Variables the adapter may ever expose (the grant narrows further). Default: none. */
  envAllow?: readonly string[];
  /** Values that replace this process's for those variables (`--env K=V`); others read process.env. */
  envValues?: Readonly<Record<string, string>>;
  /** Guest log records: format and where they go (default text to process.stderr). */
  log?: { format?: 'json' | 'text'; stream?: { write(chunk: string): unknown } };
  /** The adapters' diagnostics channel (failed host calls as `adapter.host.error`). */
  diagnostics?: EventSink;
  /** Guest standard streams (WASI fd 0-2); false: no stdio capability. Default: this process's streams. */
  stdio?: StdioStreams | false;
  /**
   * Which app (manifest publisher and id) an instance runs; createNodeFayger binds every instance it starts.
   * With it, kv and the default `/data` live in `<stateDir>/apps/<publisher>/<id>` (`appStateDir`), one
   * directory per app, and fs / kv calls from an instance it does not know are refused
   * (FAYGER_APP_STATE_UNBOUND). Without it, every app shares `<stateDir>/data` and `<stateDir>/kv`.
   */
  appOf?: (instanceId: string) => AppKey | undefined;
}

/**
 * Routes kv.* (and, when `data` is set, fs.* over the app's own `/data`: nothing else is mounted then) to the
 * calling app's own directory under `stateDir`, so no app can read or name another's state. Other ops go to the
 * adapter unchanged.
 */
export function withPerAppState(
  adapter: PlatformAdapter,
  o: { stateDir: string; appOf: (instanceId: string) => AppKey | undefined; data: boolean },
): PlatformAdapter {
  const byApp = new Map<string, Record<string, (a: unknown, ctx: AdapterCallContext) => unknown>>();
  const handlersFor = (app: AppKey) => {
    const key = JSON.stringify([app.publisher, app.id]);
    let h = byApp.get(key);
    if (!h) {
      const dir = appStateDir(o.stateDir, app);
      const files = join(dir, 'files');
      if (o.data) mkdirSync(files, { recursive: true, mode: 0o700 });
      const services = {
        kv: new FileKv({ dir: join(dir, 'kv') }),
        ...(o.data ? { fs: new ConfinedFs({ mounts: [{ guest: '/data', host: files }] }) } : {}),
      };
      h = nodeHostHandlers(services) as Record<string, (a: unknown, ctx: AdapterCallContext) => unknown>;
      byApp.set(key, h);
    }
    return h;
  };
  const wrapped: PlatformAdapter = {
    id: adapter.id,
    hostKind: adapter.hostKind,
    available: () => adapter.available(),
    detect: (p) => adapter.detect(p),
    handle: (ins: UniversalInstruction, ctx: AdapterCallContext) => {
      const routed = ins.op.startsWith('kv.') || (o.data && ins.op.startsWith('fs.'));
      if (!routed) return adapter.handle(ins, ctx);
      const app = o.appOf(ctx.instanceId);
      if (!app) {
        throw new FaygerError({
          code: 'FAYGER_APP_STATE_UNBOUND',
          phase: ins.op,
          what: `${ins.op} from instance ${ctx.instanceId}`,
          expected: 'an instance started by this Fayger (bound to its app publisher and id)',
          found: 'an instance no app is bound to',
          details: { op: ins.op, instanceId: ctx.instanceId },
        });
      }
      const h = handlersFor(app)[ins.op];
      return h ? h(ins.args, ctx) : adapter.handle(ins, ctx);
    },
    dispose: (id) => adapter.dispose(id),
  };
  if (adapter.close) wrapped.close = () => adapter.close?.();
  return wrapped;
}

/** This process's standard streams as guest stdio (stdin read in chunks as the guest asks). */
export function processStdio(): StdioStreams {
  let stdinChunks: Buffer[] = [];
  let ended = false;
  const waiters: Array<() => void> = [];
  let attached = false;
  const attach = () => {
    if (attached) return;
    attached = true;
    process.stdin.on('data', (c: Buffer) => {
      stdinChunks.push(c);
      process.stdin.pause();
      waiters.splice(0).forEach((w) => w());
    });
    process.stdin.on('end', () => {
      ended = true;
      waiters.splice(0).forEach((w) => w());
    });
  };
  return {
    // The process's own streams: backpressure (drain) and EPIPE reach the guest through withStdio.
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: async (maxBytes, signal) => {
      attach();
      while (stdinChunks.length === 0 && !ended) {
        process.stdin.resume();
        await new Promise<void>((res) => {
          waiters.push(res);
          signal.addEventListener('abort', () => res(), { once: true });
        });
        if (signal.aborted) return new Uint8Array(0);
      }
      const all = Buffer.concat(stdinChunks);
      const out = all.subarray(0, maxBytes);
      stdinChunks = out.length < all.length ? [all.subarray(out.length)] : [];
      return new Uint8Array(out);
    },
    // poll_oneoff on fd 0: waits for the next chunk (kept for the read) or the end, never longer than timeoutMs;
    // event-driven (one timer, the stream's own events), no polling loop.
    stdinPoll: async (timeoutMs, signal) => {
      attach();
      const look = () => {
        const bytes = stdinChunks.reduce((n, c) => n + c.length, 0);
        return { ready: bytes > 0 || ended, eof: bytes === 0 && ended, bytes };
      };
      if (look().ready || timeoutMs <= 0 || signal.aborted) return look();
      process.stdin.resume();
      await new Promise<void>((res) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const done = () => {
          if (timer !== undefined) clearTimeout(timer);
          signal.removeEventListener('abort', done);
          const i = waiters.indexOf(done);
          if (i >= 0) waiters.splice(i, 1);
          res();
        };
        waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
        timer = setTimeout(done, timeoutMs);
      });
      // Nothing came: stop reading so an idle stdin does not keep the process alive.
      if (stdinChunks.length === 0 && !ended) process.stdin.pause();
      return look();
    },
  };
}

function checkMounts(dirs: readonly FsMount[]): FsMount[] {
  return dirs.map((d) => {
    const host = resolve(d.host);
    if (typeof d.guest !== 'string' || !d.guest.startsWith('/')) {
      throw new FaygerError({
        code: 'FAYGER_MOUNT_INVALID',
        phase: 'configure',
        what: `mounting ${d.host} for the guest`,
        expected: 'an absolute guest path such as /data',
        found: JSON.stringify(d.guest),
      });
    }
    if (!existsSync(host) || !statSync(host).isDirectory()) {
      throw new FaygerError({
        code: 'FAYGER_MOUNT_INVALID',
        phase: 'configure',
        what: `mounting ${d.host} at guest ${d.guest}`,
        expected: 'an existing host directory',
        found: existsSync(host) ? 'not a directory' : 'no such directory',
        details: { guest: d.guest, host },
      });
    }
    return { ...d, host };
  });
}

/**
 * Replaces an adapter's fs.* with a confined filesystem over exactly `mounts` (for adapters whose own mounts
 * cannot be configured).
 */
export function withFsMounts(adapter: PlatformAdapter, mounts: readonly FsMount[]): PlatformAdapter {
  const services = { fs: new ConfinedFs({ mounts }) };
  const fsOffers = nodeHostOffers(services).filter((o) => o.name === 'fs.read' || o.name === 'fs.write');
  const fsHandlers = Object.fromEntries(
    Object.entries(nodeHostHandlers(services)).filter(([op]) => op.startsWith('fs.')),
  );
  return composeAdapter(adapter, {
    offers: (base) => [...base.filter((o) => o.name !== 'fs.read' && o.name !== 'fs.write'), ...fsOffers],
    handlers: fsHandlers,
  });
}

/**
 * The Node adapters as lazy candidates: detection runs on each adapter's own detector and only the chosen
 * adapter is built (the desktop one probes OS tools, the server one creates its data root).
 */
export function nodeAdapterCandidates(o: NodeAdapterOptions): AdapterCandidate[] {
  const mounts = checkMounts(o.mounts ?? o.dirs ?? []);
  const stdio = o.stdio === false ? undefined : (o.stdio ?? processStdio());
  // The adapter exposes no variable unless named: the environment often holds secrets.
  const envAllow = [...(o.envAllow ?? [])];
  const envSource = o.envValues ? { ...process.env, ...o.envValues } : undefined;
  const log = { format: o.log?.format ?? 'text', ...(o.log?.stream ? { output: o.log.stream } : {}) } as const;
  const diagnostics = o.diagnostics ? { diagnostics: o.diagnostics } : {};
  const appOf = o.appOf;
  // kv (and the server's default /data, when no mount replaces it) per app; stdio outermost.
  const finish = (c: AdapterCandidate, appData: boolean): AdapterCandidate => ({
    ...c,
    create: () => {
      // The server and desktop candidates create synchronously.
      const base = c.create() as PlatformAdapter;
      const scoped = appOf ? withPerAppState(base, { stateDir: o.stateDir, appOf, data: appData }) : base;
      return stdio ? withStdio(scoped, stdio) : scoped;
    },
  });
  return [
    finish(
      serverAdapterCandidate(() => ({
        dataDir: join(o.stateDir, 'data'),
        mounts,
        dataMount: mounts.length === 0,
        env: { allow: envAllow, ...(envSource ? { source: envSource } : {}) },
        log,
        ...diagnostics,
      })),
      // Per-app /data only when the user mounted nothing: explicit mounts are the user's own layout.
      mounts.length === 0,
    ),
    finish(
      desktopAdapterCandidate(() => ({
        mounts,
        kvDir: join(o.stateDir, 'kv'),
        env: envAllow.length ? { allow: envAllow, ...(envSource ? { env: envSource } : {}) } : false,
        log,
        ...diagnostics,
      })),
      false,
    ),
  ];
}

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { probeHost } from '@fayger/adapter-core';
import { createDesktopAdapter, detectDesktop } from '@fayger/adapter-desktop';
import { createServerAdapter } from '@fayger/adapter-server';
import {
  FaygerError,
  type AdapterCallContext,
  type HostProbe,
  type PlatformAdapter,
  type UniversalInstruction,
} from '@fayger/contracts';
import { ConfinedFs, nodeHostHandlers, nodeHostOffers, type FsMount, type LogFormat } from '@fayger/node-host';
import type { AdapterCandidate } from './create-fayger.js';
import { withStdio, type StdioStreams } from './stdio-adapter.js';

export interface NodeAdapterOptions {
  /** Per-user state directory (server data root, kv). */
  stateDir: string;
  /** Host directories mounted at guest paths (`--dir guest=host`); they replace the server's default /data. */
  dirs?: readonly FsMount[];
  /** Variables the adapter may ever expose (the grant narrows further). Default: none. */
  envAllow?: readonly string[];
  /** Values that replace this process's for those variables (`--env K=V`); others read process.env. */
  envValues?: Readonly<Record<string, string>>;
  /** Guest log records: format and where they go (default text to process.stderr). */
  log?: { format?: LogFormat; stream?: { write(chunk: string): unknown } };
  /** Guest standard streams (WASI fd 0-2); false: no stdio capability. Default: this process's streams. */
  stdio?: StdioStreams | false;
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
    stdout: { write: (b) => process.stdout.write(b) },
    stderr: { write: (b) => process.stderr.write(b) },
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
 * Replaces an adapter's fs.* with a confined filesystem over exactly `mounts` (the server adapter always mounts
 * its data root at /data; an explicit `--dir /data=…` must win over it).
 */
export function withFsMounts(adapter: PlatformAdapter, mounts: readonly FsMount[]): PlatformAdapter {
  const services = { fs: new ConfinedFs({ mounts }) };
  const fsOffers = nodeHostOffers(services).filter((o) => o.name === 'fs.read' || o.name === 'fs.write');
  const all = nodeHostHandlers(services) as Record<string, (a: unknown, ctx: AdapterCallContext) => unknown>;
  const fsHandlers = new Map(Object.entries(all).filter(([op]) => op.startsWith('fs.')));
  const wrapped: PlatformAdapter = {
    id: adapter.id,
    hostKind: adapter.hostKind,
    available: () => [...adapter.available().filter((o) => o.name !== 'fs.read' && o.name !== 'fs.write'), ...fsOffers],
    detect: (p) => adapter.detect(p),
    handle: (ins: UniversalInstruction, ctx: AdapterCallContext) => {
      const h = fsHandlers.get(ins.op);
      return h ? h(ins.args, ctx) : adapter.handle(ins, ctx);
    },
    dispose: (id) => adapter.dispose(id),
  };
  if (adapter.close) wrapped.close = () => adapter.close?.();
  return wrapped;
}

/** The server adapter's detection score (its own detect, without building it). */
function detectServer(probe: HostProbe): number {
  const f = probeHost(probe);
  if (!f.node || f.dom || f.bridge) return 0;
  return f.tty ? 0.5 : 1;
}

/**
 * The Node adapters as lazy candidates: detection runs on cheap stubs and only the chosen adapter is built
 * (the desktop one probes OS tools, the server one creates its data root).
 */
export function nodeAdapterCandidates(o: NodeAdapterOptions): AdapterCandidate[] {
  const dirs = checkMounts(o.dirs ?? []);
  const stdio = o.stdio === false ? undefined : (o.stdio ?? processStdio());
  // The adapter exposes no variable unless named: the environment often holds secrets.
  const envAllow = [...(o.envAllow ?? [])];
  const envSource = o.envValues ? { ...process.env, ...o.envValues } : undefined;
  const log = { format: o.log?.format ?? 'text', ...(o.log?.stream ? { stream: o.log.stream } : {}) } as const;
  const finish = (a: PlatformAdapter) => (stdio ? withStdio(a, stdio) : a);
  return [
    {
      id: 'server',
      hostKind: 'server',
      detect: detectServer,
      create: () => {
        const server = createServerAdapter({ dataDir: join(o.stateDir, 'data'), env: { allow: envAllow, ...(envSource ? { source: envSource } : {}) }, log });
        return finish(dirs.length ? withFsMounts(server, dirs) : server);
      },
    },
    {
      id: 'desktop',
      hostKind: 'desktop',
      detect: (p) => detectDesktop(p),
      create: () =>
        finish(
          createDesktopAdapter({
            roots: dirs,
            kvDir: join(o.stateDir, 'kv'),
            env: envAllow.length ? { allow: envAllow, ...(envSource ? { env: envSource } : {}) } : false,
            log: { format: log.format },
            ...(o.log?.stream ? { logOutput: o.log.stream } : {}),
          }),
        ),
    },
  ];
}

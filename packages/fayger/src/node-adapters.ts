import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeAdapter, type AdapterCandidate } from '@fayger/adapter-core';
import { desktopAdapterCandidate } from '@fayger/adapter-desktop';
import { serverAdapterCandidate } from '@fayger/adapter-server';
import { FaygerError, type EventSink, type PlatformAdapter } from '@fayger/contracts';
import { ConfinedFs, nodeHostHandlers, nodeHostOffers, type FsMount } from '@fayger/node-host';
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
  /** Guest log records: format and where they go (default text to process.stderr). */
  log?: { format?: 'json' | 'text'; stream?: { write(chunk: string): unknown } };
  /** The adapters' diagnostics channel (failed host calls as `adapter.host.error`). */
  diagnostics?: EventSink;
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
 * Replaces an adapter's fs.* with a confined filesystem over exactly `mounts` (for adapters whose own mounts
 * cannot be configured).
 */
export function withFsMounts(adapter: PlatformAdapter, mounts: readonly FsMount[]): PlatformAdapter {
  const services = { fs: new ConfinedFs({ mounts }) };
  const fsOffers = nodeHostOffers(services).filter((o) => o.name === 'fs.read' || o.name === 'fs.write');
  const fsHandlers = Object.fromEntries(Object.entries(nodeHostHandlers(services)).filter(([op]) => op.startsWith('fs.')));
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
  const log = { format: o.log?.format ?? 'text', ...(o.log?.stream ? { output: o.log.stream } : {}) } as const;
  const diagnostics = o.diagnostics ? { diagnostics: o.diagnostics } : {};
  const finish = (c: AdapterCandidate): AdapterCandidate => ({ ...c, create: () => (stdio ? withStdio(c.create(), stdio) : c.create()) });
  return [
    finish(serverAdapterCandidate(() => ({ dataDir: join(o.stateDir, 'data'), mounts, env: { allow: envAllow }, log, ...diagnostics }))),
    finish(
      desktopAdapterCandidate(() => ({ mounts, kvDir: join(o.stateDir, 'kv'), env: envAllow.length ? { allow: envAllow } : false, log, ...diagnostics })),
    ),
  ];
}

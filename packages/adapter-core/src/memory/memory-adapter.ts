import {
  FaygerError,
  type AdapterCallContext,
  type CapabilityOffer,
  type HostKind,
  type HostProbe,
  type PlatformAdapter,
  type UiNode,
} from '@fayger/contracts';
import { baselineHandlers } from '../compose/baseline.js';
import { createOpRouter } from '../define.js';
import { kvHandlers, memoryKvStore } from '../compose/kv.js';
import { findRoot, isPathWithin, normalizeGuestPath } from '../scope/paths.js';

/** A log record captured by the memory adapter. */
export interface MemoryLogRecord {
  instanceId: string;
  level: string;
  message: string;
  fields?: Record<string, string>;
}

export interface MemoryAdapterOptions {
  id?: string;
  hostKind?: HostKind;
  /** The host environment the adapter exposes (env.get/env.list). */
  env?: Record<string, string>;
  /** Guest roots the adapter offers for reading only. */
  readOnlyRoots?: string[];
  /** Guest roots the adapter offers for reading and writing. Default ["/data"]. */
  writableRoots?: string[];
  /** Initial files, by absolute guest path. */
  files?: Record<string, string | Uint8Array>;
  /** Offer ui.* and keep the last rendered tree per instance. */
  ui?: boolean;
  /** Score returned by detect() (default 0: never auto-detected, only forced). */
  detectScore?: number;
}

/** The memory adapter plus what it observed, for tests. */
export interface MemoryAdapter extends PlatformAdapter {
  readonly logs: MemoryLogRecord[];
  readonly uiTrees: Map<string, UiNode | null>;
  /** Live timers per instance (released by dispose). */
  timerCount(instanceId?: string): number;
}

type Node = { type: 'file'; data: Uint8Array; mtimeMs: number } | { type: 'directory'; mtimeMs: number };

function fsError(
  code:
    | 'ADAPTER_PATH_NOT_FOUND'
    | 'ADAPTER_PATH_EXISTS'
    | 'ADAPTER_PATH_NOT_DIRECTORY'
    | 'ADAPTER_PATH_IS_DIRECTORY'
    | 'ADAPTER_DIRECTORY_NOT_EMPTY',
  op: string,
  path: string,
): FaygerError {
  return new FaygerError({ code, phase: op, what: `${op} ${path}`, details: { path } });
}

function denied(op: string, path: string, roots: readonly string[] | undefined, why: string): FaygerError {
  return new FaygerError({
    code: 'CAPABILITY_SCOPE_DENIED',
    phase: op,
    what: `${op} ${JSON.stringify(path)}`,
    expected: `a path inside ${JSON.stringify(roots ?? [])}`,
    found: why,
    details: { op, path, roots },
  });
}

const te = new TextEncoder();

/**
 * A complete Platform_Adapter that keeps everything in memory: log, clock, random, env, timer, an in-memory
 * filesystem under granted roots, kv and (optionally) ui. For tests and for embedders that need a sandbox
 * with no host access at all. Runs anywhere (no node:*, no DOM).
 */
export function createMemoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  const id = options.id ?? 'memory';
  const env = { ...(options.env ?? {}) };
  const ro = (options.readOnlyRoots ?? []).map((r) => normalizeGuestPath(r));
  const rw = (options.writableRoots ?? ['/data']).map((r) => normalizeGuestPath(r));
  const nodes = new Map<string, Node>();
  const now = () => Date.now();
  const ensureDir = (p: string): void => {
    const parts = p.split('/').filter(Boolean);
    let cur = '';
    nodes.set('/', { type: 'directory', mtimeMs: now() });
    for (const s of parts) {
      cur += `/${s}`;
      if (!nodes.has(cur)) nodes.set(cur, { type: 'directory', mtimeMs: now() });
    }
  };
  for (const r of [...ro, ...rw]) ensureDir(r);
  for (const [p, d] of Object.entries(options.files ?? {})) {
    const path = normalizeGuestPath(p);
    ensureDir(path.slice(0, path.lastIndexOf('/')) || '/');
    nodes.set(path, { type: 'file', data: typeof d === 'string' ? te.encode(d) : new Uint8Array(d), mtimeMs: now() });
  }
  const kv = kvHandlers(memoryKvStore());
  const logs: MemoryLogRecord[] = [];
  const base = baselineHandlers({
    log: {
      output: false,
      onRecord: (r) =>
        logs.push({
          instanceId: r.instanceId,
          level: r.level,
          message: r.message,
          ...(r.fields ? { fields: r.fields } : {}),
        }),
    },
  });
  const timers = base.timers!;
  const uiTrees = new Map<string, UiNode | null>();

  // The adapter confines itself to the granted roots even though the bus checks them too: an adapter must be
  // safe when driven by a different bus, and a writable alias of a read-only root must not exist.
  const confine = (op: string, raw: string, ctx: AdapterCallContext, write: boolean): string => {
    const path = normalizeGuestPath(raw);
    const granted = write ? ctx.grants.get('fs.write')?.scope?.roots : ctx.grants.get('fs.read')?.scope?.roots;
    if (write && !ctx.grants.has('fs.write')) throw denied(op, raw, [], 'fs.write is not granted');
    if (granted !== undefined && findRoot(path, granted) === undefined)
      throw denied(op, raw, granted, 'outside the granted roots');
    const offered = write ? rw : [...ro, ...rw];
    if (findRoot(path, offered) === undefined)
      throw denied(
        op,
        raw,
        offered,
        write ? 'outside the writable roots of this host' : 'outside the roots of this host',
      );
    return path;
  };
  const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
  const needDir = (op: string, p: string) => {
    const n = nodes.get(p);
    if (!n) throw fsError('ADAPTER_PATH_NOT_FOUND', op, p);
    if (n.type !== 'directory') throw fsError('ADAPTER_PATH_NOT_DIRECTORY', op, p);
  };

  const handle = createOpRouter(
    {
      ...base.handlers,
      'env.get': (a) => ({ value: Object.prototype.hasOwnProperty.call(env, a.name) ? env[a.name]! : null }),
      'env.list': () => ({ variables: { ...env } }),
      'fs.read': async (a, ctx) => {
        const p = confine('fs.read', a.path, ctx, false);
        const n = nodes.get(p);
        if (!n) throw fsError('ADAPTER_PATH_NOT_FOUND', 'fs.read', p);
        if (n.type !== 'file') throw fsError('ADAPTER_PATH_IS_DIRECTORY', 'fs.read', p);
        const start = Math.min(a.offset ?? 0, n.data.byteLength);
        const end = a.length === undefined ? n.data.byteLength : Math.min(n.data.byteLength, start + a.length);
        return { data: n.data.slice(start, end), eof: end >= n.data.byteLength };
      },
      'fs.stat': async (a, ctx) => {
        const p = confine('fs.stat', a.path, ctx, false);
        const n = nodes.get(p);
        if (!n) throw fsError('ADAPTER_PATH_NOT_FOUND', 'fs.stat', p);
        return { type: n.type as never, size: n.type === 'file' ? n.data.byteLength : 0, mtimeMs: n.mtimeMs };
      },
      'fs.list': async (a, ctx) => {
        const p = confine('fs.list', a.path, ctx, false);
        needDir('fs.list', p);
        const entries: Array<{ name: string; type: 'file' | 'directory' }> = [];
        for (const [k, n] of nodes)
          if (k !== p && parentOf(k) === p) entries.push({ name: k.slice(p === '/' ? 1 : p.length + 1), type: n.type });
        return { entries: entries.sort((x, y) => (x.name < y.name ? -1 : 1)) as never };
      },
      'fs.write': async (a, ctx) => {
        const p = confine('fs.write', a.path, ctx, true);
        needDir('fs.write', parentOf(p));
        const n = nodes.get(p);
        if (n?.type === 'directory') throw fsError('ADAPTER_PATH_IS_DIRECTORY', 'fs.write', p);
        if (!n && a.create === false) throw fsError('ADAPTER_PATH_NOT_FOUND', 'fs.write', p);
        if (n && a.exclusive) throw fsError('ADAPTER_PATH_EXISTS', 'fs.write', p);
        let data = n && !a.truncate ? n.data : new Uint8Array(0);
        if (a.append) data = concat(data, a.data, data.byteLength);
        else if (a.offset !== undefined) data = concat(data, a.data, a.offset);
        else data = new Uint8Array(a.data);
        nodes.set(p, { type: 'file', data, mtimeMs: now() });
        return a.append
          ? { bytesWritten: a.data.byteLength, size: data.byteLength }
          : { bytesWritten: a.data.byteLength };
      },
      'fs.mkdir': async (a, ctx) => {
        const p = confine('fs.mkdir', a.path, ctx, true);
        const n = nodes.get(p);
        if (n) {
          if (a.recursive && n.type === 'directory') return {};
          throw fsError('ADAPTER_PATH_EXISTS', 'fs.mkdir', p);
        }
        if (a.recursive) ensureDir(p);
        else {
          needDir('fs.mkdir', parentOf(p));
          nodes.set(p, { type: 'directory', mtimeMs: now() });
        }
        return {};
      },
      'fs.remove': async (a, ctx) => {
        const p = confine('fs.remove', a.path, ctx, true);
        const n = nodes.get(p);
        if (!n) throw fsError('ADAPTER_PATH_NOT_FOUND', 'fs.remove', p);
        if (a.kind === 'file' && n.type === 'directory') throw fsError('ADAPTER_PATH_IS_DIRECTORY', 'fs.remove', p);
        if (a.kind === 'directory' && n.type !== 'directory')
          throw fsError('ADAPTER_PATH_NOT_DIRECTORY', 'fs.remove', p);
        const children = [...nodes.keys()].filter((k) => k !== p && isPathWithin(k, p));
        if (children.length && !a.recursive) throw fsError('ADAPTER_DIRECTORY_NOT_EMPTY', 'fs.remove', p);
        for (const k of children) nodes.delete(k);
        nodes.delete(p);
        return {};
      },
      'fs.rename': async (a, ctx) => {
        const from = confine('fs.rename', a.from, ctx, true);
        const to = confine('fs.rename', a.to, ctx, true);
        if (!nodes.has(from)) throw fsError('ADAPTER_PATH_NOT_FOUND', 'fs.rename', from);
        needDir('fs.rename', parentOf(to));
        const moved = [...nodes.entries()].filter(([k]) => isPathWithin(k, from));
        for (const [k] of moved) nodes.delete(k);
        for (const [k, n] of moved) nodes.set(to + k.slice(from.length), n);
        return {};
      },
      ...kv.handlers,
      ...(options.ui
        ? {
            'ui.render': (a: { tree: UiNode }, ctx: AdapterCallContext) => {
              uiTrees.set(ctx.instanceId, a.tree);
              return {};
            },
            'ui.clear': (_a: unknown, ctx: AdapterCallContext) => {
              uiTrees.set(ctx.instanceId, null);
              return {};
            },
          }
        : {}),
    },
    id,
  );

  const offers: CapabilityOffer[] = [
    { name: 'log' },
    { name: 'clock' },
    { name: 'random' },
    { name: 'env', scope: { variables: Object.keys(env) } },
    { name: 'timer' },
    { name: 'fs.read', scope: { roots: [...ro, ...rw] } },
    { name: 'fs.write', scope: { roots: [...rw] } },
    { name: 'kv' },
  ];
  if (options.ui) offers.push({ name: 'ui' });

  return {
    id,
    hostKind: options.hostKind ?? 'server',
    logs,
    uiTrees,
    available: () => offers,
    detect: (_probe: HostProbe) => options.detectScore ?? 0,
    handle,
    dispose(instanceId: string) {
      timers.dispose(instanceId);
      uiTrees.delete(instanceId);
    },
    timerCount(instanceId?: string) {
      return timers.count(instanceId);
    },
  };
}

function concat(base: Uint8Array, data: Uint8Array, at: number): Uint8Array {
  const out = new Uint8Array(Math.max(base.byteLength, at + data.byteLength));
  out.set(base.subarray(0, Math.min(base.byteLength, out.byteLength)));
  out.set(data, at);
  return out;
}

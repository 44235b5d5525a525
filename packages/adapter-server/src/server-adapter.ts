import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createAdapter, probeHost, type AdapterCandidate, type LogOptions } from '@fayger/adapter-core';
import { FaygerError, type EventSink, type HostProbe, type PlatformAdapter } from '@fayger/contracts';
import {
  ConfinedFs,
  EnvSource,
  FileKv,
  HttpClient,
  HttpListenService,
  TimerService,
  disposeNodeHostInstance,
  nodeHostHandlers,
  nodeHostOffers,
  type FsMount,
  type HttpClientOptions,
  type HttpListenOptions,
  type NodeHostServices,
} from '@fayger/node-host';

export interface ServerAdapterOptions {
  /**
   * Host directory holding the app's data. `<dataDir>/files` is mounted writable at guest `/data` (unless a
   * mount of your own is at `/data`) and `<dataDir>/kv` backs kv. Created if missing.
   */
  dataDir: string;
  /** Host directories mounted at guest paths (`{ guest: '/assets', host: '/srv/assets', readOnly: true }`). */
  mounts?: readonly FsMount[];
  /** false: no default `/data` mount; the filesystem is exactly `mounts` (e.g. a CLI's `--dir` layout). */
  dataMount?: boolean;
  /** Variables the adapter may expose (default: all of `env`); the grant narrows further. */
  env?: { allow?: readonly string[]; source?: Readonly<Record<string, string | undefined>> };
  /** Guest logs (default: JSON lines on stderr). */
  log?: LogOptions;
  /** net.http: origins offered (default any) and client options; `false` to not offer net.http. */
  http?: false | (HttpClientOptions & { origins?: readonly string[] });
  /** net.listen: ports offered (default any), hosts allowed to bind, response timeout; `false` to not offer it. */
  listen?: false | (HttpListenOptions & { ports?: readonly number[] });
  /** The diagnostics channel: failed host calls are reported as `adapter.host.error` events. */
  diagnostics?: EventSink;
  /** Adapter id (default "server"). */
  id?: string;
}

/** The server adapter, with its services exposed for embedders and tests. */
export interface ServerAdapter extends PlatformAdapter {
  readonly services: NodeHostServices;
}

/** A headless Node process: a plain Node host without DOM; a terminal session scores lower (desktop fits it better). */
export function detectServer(probe: HostProbe): number {
  const f = probeHost(probe);
  if (!f.node || f.dom) return 0;
  return f.tty ? 0.5 : 1;
}

/**
 * The headless Node Platform_Adapter: log (structured), clock, random, env, timer, fs.read/fs.write under the
 * data root (plus configured mounts), net.http (fetch, granted origins), net.listen (node:http, granted ports),
 * kv (file-backed). No ui.
 */
export function createServerAdapter(options: ServerAdapterOptions): ServerAdapter {
  if (!options || typeof options.dataDir !== 'string' || !isAbsolute(options.dataDir)) {
    throw new FaygerError({
      code: 'ADAPTER_INVALID',
      phase: 'configure',
      what: 'creating the server adapter',
      expected: 'options.dataDir, an absolute host directory',
      found: JSON.stringify(options?.dataDir),
    });
  }
  const dataDir = resolve(options.dataDir);
  const filesDir = join(dataDir, 'files');
  const kvDir = join(dataDir, 'kv');
  mkdirSync(filesDir, { recursive: true });
  mkdirSync(kvDir, { recursive: true });
  const mounts = options.mounts ?? [];
  const dataMount =
    options.dataMount === false || mounts.some((m) => m.guest.replace(/\/+$/, '') === '/data')
      ? []
      : [{ guest: '/data', host: filesDir }];
  const http = options.http === false ? undefined : (options.http ?? {});
  const listen = options.listen === false ? undefined : (options.listen ?? {});
  const services: NodeHostServices = {
    ...(options.log ? { log: options.log } : {}),
    logFormat: 'json',
    env: new EnvSource({
      ...(options.env?.allow ? { allow: options.env.allow } : {}),
      ...(options.env?.source ? { env: options.env.source } : {}),
    }),
    timers: new TimerService(),
    fs: new ConfinedFs({ mounts: [...dataMount, ...mounts] }),
    kv: new FileKv({ dir: kvDir }),
    ...(http ? { http: new HttpClient(http), ...(http.origins ? { httpOrigins: http.origins } : {}) } : {}),
    ...(listen
      ? { listen: new HttpListenService(listen), ...(listen.ports ? { listenPorts: listen.ports } : {}) }
      : {}),
  };
  return createAdapter(
    {
      id: options.id ?? 'server',
      hostKind: 'server',
      handlers: nodeHostHandlers(services),
      offers: nodeHostOffers(services),
      detect: detectServer,
      dispose: (instanceId) => disposeNodeHostInstance(services, instanceId),
      close: () => services.listen?.closeAll(),
      ...(options.diagnostics ? { diagnostics: options.diagnostics } : {}),
    },
    { services },
  );
}

/** The server adapter as a lazy candidate: detection runs on `detectServer`, the data root is made only if chosen. */
export function serverAdapterCandidate(options: ServerAdapterOptions | (() => ServerAdapterOptions)): AdapterCandidate {
  return {
    id: 'server',
    hostKind: 'server',
    detect: detectServer,
    create: () => createServerAdapter(typeof options === 'function' ? options() : options),
  };
}

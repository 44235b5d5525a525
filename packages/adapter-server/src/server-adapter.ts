import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createOpRouter, probeHost } from '@fayger/adapter-core';
import { FaygerError, type CapabilityOffer, type HostProbe, type PlatformAdapter } from '@fayger/contracts';
import {
  ConfinedFs,
  EnvSource,
  FileKv,
  HttpClient,
  HttpListenService,
  LogSink,
  TimerService,
  disposeNodeHostInstance,
  nodeHostHandlers,
  nodeHostOffers,
  type FsMount,
  type HttpClientOptions,
  type HttpListenOptions,
  type LogSinkOptions,
  type NodeHostServices,
} from '@fayger/node-host';

export interface ServerAdapterOptions {
  /**
   * Host directory holding the app's data. `<dataDir>/files` is mounted writable at guest `/data` and
   * `<dataDir>/kv` backs kv. Created if missing.
   */
  dataDir: string;
  /** Extra guest roots (e.g. read-only assets: `{ guest: '/assets', host: '/srv/assets', readOnly: true }`). */
  mounts?: readonly FsMount[];
  /** Variables the adapter may expose (default: all of `env`); the grant narrows further. */
  env?: { allow?: readonly string[]; source?: Readonly<Record<string, string | undefined>> };
  log?: LogSinkOptions;
  /** net.http: origins offered (default any) and client options; `false` to not offer net.http. */
  http?: false | (HttpClientOptions & { origins?: readonly string[] });
  /** net.listen: ports offered (default any), hosts allowed to bind, response timeout; `false` to not offer it. */
  listen?: false | (HttpListenOptions & { ports?: readonly number[] });
  /** Adapter id (default "server"). */
  id?: string;
}

/** The server adapter, with its services exposed for embedders and tests. */
export interface ServerAdapter extends PlatformAdapter {
  readonly services: NodeHostServices;
}

/**
 * The headless Node Platform_Adapter: log (structured), clock, random, env, timer, fs.read/fs.write under the
 * data root (plus configured mounts), net.http (fetch, granted origins), net.listen (node:http, granted ports),
 * kv (file-backed). No ui.
 */
export function createServerAdapter(options: ServerAdapterOptions): ServerAdapter {
  if (!options || typeof options.dataDir !== 'string' || !isAbsolute(options.dataDir)) {
    throw new FaygerError({ code: 'ADAPTER_INVALID', phase: 'configure', what: 'creating the server adapter', expected: 'options.dataDir, an absolute host directory', found: JSON.stringify(options?.dataDir) });
  }
  const dataDir = resolve(options.dataDir);
  const filesDir = join(dataDir, 'files');
  const kvDir = join(dataDir, 'kv');
  mkdirSync(filesDir, { recursive: true });
  mkdirSync(kvDir, { recursive: true });
  const http = options.http === false ? undefined : options.http ?? {};
  const listen = options.listen === false ? undefined : options.listen ?? {};
  const services: NodeHostServices = {
    log: new LogSink(options.log),
    env: new EnvSource({ ...(options.env?.allow ? { allow: options.env.allow } : {}), ...(options.env?.source ? { env: options.env.source } : {}) }),
    timers: new TimerService(),
    fs: new ConfinedFs({ mounts: [{ guest: '/data', host: filesDir }, ...(options.mounts ?? [])] }),
    kv: new FileKv({ dir: kvDir }),
    ...(http ? { http: new HttpClient(http), ...(http.origins ? { httpOrigins: http.origins } : {}) } : {}),
    ...(listen ? { listen: new HttpListenService(listen), ...(listen.ports ? { listenPorts: listen.ports } : {}) } : {}),
  };
  const id = options.id ?? 'server';
  const offers: CapabilityOffer[] = nodeHostOffers(services);
  return {
    id,
    hostKind: 'server',
    services,
    available: () => offers,
    detect(probe: HostProbe) {
      const f = probeHost(probe);
      if (!f.node || f.dom || f.bridge) return 0;
      // A server can run in a terminal too, but there the desktop adapter fits better.
      return f.tty ? 0.5 : 1;
    },
    handle: createOpRouter(nodeHostHandlers(services), id),
    dispose: (instanceId: string) => disposeNodeHostInstance(services, instanceId),
    close: () => services.listen?.closeAll(),
  };
}

import { randomFillSync } from 'node:crypto';
import {
  baselineHandlers,
  kvHandlers,
  type LogOptions,
  type OpHandlers,
  type TimerService,
} from '@fayger/adapter-core';
import type { CapabilityOffer } from '@fayger/contracts';
import type { ConfinedFs } from './confined-fs.js';
import type { EnvSource } from './env.js';
import type { FileKv } from './kv-file.js';
import type { HttpClient } from './net-http.js';
import type { HttpListenService } from './net-listen.js';

/** The Node host services an adapter is composed of; absent ones are simply not offered. */
export interface NodeHostServices {
  /** Guest logs (adapter-core's LogOptions; on Node the output defaults to process.stderr). */
  log?: LogOptions;
  /** The format when `log.format` is not given (server: json, desktop: text). */
  logFormat?: 'json' | 'text';
  env?: EnvSource;
  timers?: TimerService;
  fs?: ConfinedFs;
  kv?: FileKv;
  http?: HttpClient;
  /** Origins net.http is offered for (default: any; the policy and manifest narrow it). */
  httpOrigins?: readonly string[];
  listen?: HttpListenService;
  /** Ports net.listen is offered for (default: any). */
  listenPorts?: readonly number[];
}

/** The capabilities the services can back, with the scopes they offer. log, clock and random are always there. */
export function nodeHostOffers(s: NodeHostServices): CapabilityOffer[] {
  const offers: CapabilityOffer[] = [{ name: 'log' }, { name: 'clock' }, { name: 'random' }];
  if (s.env) {
    const vars = s.env.variables();
    offers.push(vars ? { name: 'env', scope: { variables: vars } } : { name: 'env' });
  }
  if (s.timers) offers.push({ name: 'timer' });
  if (s.fs) {
    const r = s.fs.roots();
    if (r.read.length) offers.push({ name: 'fs.read', scope: { roots: r.read } });
    if (r.write.length) offers.push({ name: 'fs.write', scope: { roots: r.write } });
  }
  if (s.http)
    offers.push(s.httpOrigins ? { name: 'net.http', scope: { origins: [...s.httpOrigins] } } : { name: 'net.http' });
  if (s.listen)
    offers.push(s.listenPorts ? { name: 'net.listen', scope: { ports: [...s.listenPorts] } } : { name: 'net.listen' });
  if (s.kv) offers.push({ name: 'kv' });
  return offers;
}

/** Op handlers backed by the services: adapter-core's baseline plus the Node ones. Absent services are not handled. */
export function nodeHostHandlers(s: NodeHostServices): OpHandlers {
  const h: OpHandlers = {
    ...baselineHandlers({
      ...(s.log ? { log: s.log } : {}),
      logDefault: { output: process.stderr, format: s.logFormat ?? 'json' },
      timers: s.timers ?? false,
      randomFill: (out) => randomFillSync(out),
    }).handlers,
  };
  if (s.env) {
    const env = s.env;
    h['env.get'] = (a, ctx) => env.get(a, ctx.scope?.variables);
    h['env.list'] = (_a, ctx) => env.list(ctx.scope?.variables);
  }
  if (s.fs) {
    const fs = s.fs;
    h['fs.read'] = (a, ctx) => fs.read(a, ctx);
    h['fs.stat'] = (a, ctx) => fs.stat(a, ctx);
    h['fs.list'] = (a, ctx) => fs.list(a, ctx);
    h['fs.write'] = (a, ctx) => fs.write(a, ctx);
    h['fs.mkdir'] = (a, ctx) => fs.mkdir(a, ctx);
    h['fs.remove'] = (a, ctx) => fs.remove(a, ctx);
    h['fs.rename'] = (a, ctx) => fs.rename(a, ctx);
    h['fs.symlink'] = (a, ctx) => fs.symlink(a, ctx);
    h['fs.readlink'] = (a, ctx) => fs.readlink(a, ctx);
    h['fs.link'] = (a, ctx) => fs.link(a, ctx);
    h['fs.truncate'] = (a, ctx) => fs.truncate(a, ctx);
    h['fs.sync'] = (a, ctx) => fs.sync(a, ctx);
    h['fs.utimes'] = (a, ctx) => fs.utimes(a, ctx);
  }
  if (s.kv) Object.assign(h, kvHandlers(s.kv).handlers);
  if (s.http) {
    const http = s.http;
    h['net.http'] = (a, ctx) => http.request(a, ctx);
  }
  if (s.listen) {
    const l = s.listen;
    h['net.listen.start'] = (a, ctx) => l.start(a, ctx);
    h['net.listen.respond'] = (a, ctx) => l.respond(a, ctx);
    h['net.listen.stop'] = (a, ctx) => l.stop(a, ctx);
  }
  return h;
}

/** Releases one instance's host resources across the services (timers, listeners). */
export async function disposeNodeHostInstance(s: NodeHostServices, instanceId: string): Promise<void> {
  s.timers?.dispose(instanceId);
  await s.listen?.dispose(instanceId);
}

import { randomUUID } from 'node:crypto';
// node:http loads on the first listen, not at start-up (most guests never listen).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaygerError, MAX_BYTES, type AdapterCallContext, type OpArgs, type OpResult } from '@fayger/contracts';

export interface HttpListenOptions {
  /** Hosts a guest may bind (default loopback only: 127.0.0.1, ::1, localhost). */
  hosts?: readonly string[];
  /** An unanswered request is answered 504 after this long (default 30000 ms). */
  responseTimeoutMs?: number;
  /** Largest request body accepted; larger ones get 413 without reaching the guest (default 16 MiB). */
  maxBodyBytes?: number;
}

interface Listener {
  id: string;
  instanceId: string;
  server: Server;
  pending: Set<string>;
}

interface PendingRequest {
  instanceId: string;
  listenerId: string;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

/**
 * net.listen over node:http. Each incoming request becomes a `net.request` Universal_Event for the instance that
 * started the listener; the guest answers with net.listen.respond. Unanswered requests get 504 after the
 * response timeout; stopping a listener or disposing the instance answers what is pending with 503.
 */
export class HttpListenService {
  private readonly listeners = new Map<string, Listener>();
  private readonly requests = new Map<string, PendingRequest>();
  private readonly hosts: Set<string>;

  constructor(private readonly options: HttpListenOptions = {}) {
    this.hosts = new Set(options.hosts ?? ['127.0.0.1', '::1', 'localhost']);
  }

  async start(
    a: OpArgs<'net.listen.start'>,
    ctx: Pick<AdapterCallContext, 'instanceId' | 'emit' | 'scope' | 'signal'>,
  ): Promise<OpResult<'net.listen.start'>> {
    const host = a.host ?? '127.0.0.1';
    if (!this.hosts.has(host)) {
      throw new FaygerError({
        code: 'CAPABILITY_SCOPE_DENIED',
        phase: 'net.listen.start',
        what: `listening on ${host}`,
        expected: `one of the hosts this adapter allows (${[...this.hosts].join(', ')})`,
        found: host,
        details: { op: 'net.listen.start', host },
      });
    }
    if (ctx.scope?.ports !== undefined && !ctx.scope.ports.includes(a.port)) {
      throw new FaygerError({
        code: 'CAPABILITY_SCOPE_DENIED',
        phase: 'net.listen.start',
        what: `listening on port ${a.port}`,
        expected: `a granted port (${ctx.scope.ports.join(', ')})`,
        found: String(a.port),
        details: { op: 'net.listen.start', port: a.port },
      });
    }
    const id = `l-${randomUUID()}`;
    const { createServer } = await import('node:http');
    const listener: Listener = { id, instanceId: ctx.instanceId, server: createServer(), pending: new Set() };
    listener.server.on('request', (req, res) => this.onRequest(listener, req, res, ctx.emit));
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) =>
        reject(
          new FaygerError({
            code: 'ADAPTER_LISTEN_FAILED',
            phase: 'net.listen.start',
            what: `listening on ${host}:${a.port}`,
            found: (e as { code?: string }).code ?? e.message,
            cause: e,
            details: { port: a.port, host },
          }),
        );
      listener.server.once('error', onError);
      listener.server.listen(a.port, host, () => {
        listener.server.off('error', onError);
        resolve();
      });
    });
    this.listeners.set(id, listener);
    return { listenerId: id, port: (listener.server.address() as AddressInfo).port };
  }

  private onRequest(l: Listener, req: IncomingMessage, res: ServerResponse, emit: AdapterCallContext['emit']): void {
    const max = this.options.maxBodyBytes ?? MAX_BYTES;
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > max) {
        refused = true;
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large\n');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {});
    req.on('end', () => {
      if (refused || !this.listeners.has(l.id)) return;
      const requestId = `r-${randomUUID()}`;
      const headers: Record<string, string> = {};
      let n = 0;
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined || n >= 128 || k.length > 256) continue;
        const s = Array.isArray(v) ? v.join(', ') : v;
        headers[k] = s.length > 8192 ? s.slice(0, 8192) : s;
        n++;
      }
      const timer = setTimeout(
        () =>
          this.finish(
            requestId,
            504,
            { 'content-type': 'text/plain' },
            Buffer.from('the app did not answer in time\n'),
          ),
        this.options.responseTimeoutMs ?? 30_000,
      );
      this.requests.set(requestId, { instanceId: l.instanceId, listenerId: l.id, res, timer });
      l.pending.add(requestId);
      res.on('close', () => {
        // The client went away: forget the request so a late respond gets ADAPTER_REQUEST_UNKNOWN.
        if (this.requests.has(requestId) && !res.writableEnded) this.drop(requestId);
      });
      emit({
        type: 'net.request',
        data: {
          listenerId: l.id,
          requestId,
          method: req.method ?? 'GET',
          url: (req.url ?? '/').slice(0, 8192),
          headers,
          body: new Uint8Array(Buffer.concat(chunks)),
        },
      });
    });
  }

  private drop(requestId: string): PendingRequest | undefined {
    const p = this.requests.get(requestId);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.requests.delete(requestId);
    this.listeners.get(p.listenerId)?.pending.delete(requestId);
    return p;
  }

  private finish(requestId: string, status: number, headers: Record<string, string>, body: Uint8Array): boolean {
    const p = this.drop(requestId);
    if (!p) return false;
    try {
      p.res.writeHead(status, headers).end(body);
    } catch {
      p.res.destroy();
    }
    return true;
  }

  respond(
    a: OpArgs<'net.listen.respond'>,
    ctx: Pick<AdapterCallContext, 'instanceId'>,
  ): OpResult<'net.listen.respond'> {
    const p = this.requests.get(a.requestId);
    if (!p || p.instanceId !== ctx.instanceId) {
      throw new FaygerError({
        code: 'ADAPTER_REQUEST_UNKNOWN',
        phase: 'net.listen.respond',
        what: 'answering a net.request',
        expected: 'the requestId of a pending request of this instance',
        found: JSON.stringify(a.requestId),
        details: { requestId: a.requestId },
      });
    }
    let headers: Record<string, string> = a.headers ?? {};
    // Header values with CR/LF would split the response; node rejects them, report it as the guest's error.
    if (Object.entries(headers).some(([k, v]) => /[\r\n]/.test(k) || /[\r\n]/.test(v))) {
      throw new FaygerError({
        code: 'INSTRUCTION_INVALID',
        phase: 'net.listen.respond',
        what: 'net.listen.respond headers',
        expected: 'header names and values without CR or LF',
        found: 'a line break',
        details: { field: '/args/headers' },
      });
    }
    headers = { ...headers };
    this.finish(a.requestId, a.status, headers, a.body ?? new Uint8Array(0));
    return {};
  }

  async stop(
    a: OpArgs<'net.listen.stop'>,
    ctx: Pick<AdapterCallContext, 'instanceId'>,
  ): Promise<OpResult<'net.listen.stop'>> {
    const l = this.listeners.get(a.listenerId);
    if (!l || l.instanceId !== ctx.instanceId) {
      throw new FaygerError({
        code: 'ADAPTER_REQUEST_UNKNOWN',
        phase: 'net.listen.stop',
        what: 'stopping a listener',
        expected: 'a listenerId this instance started',
        found: JSON.stringify(a.listenerId),
        details: { listenerId: a.listenerId },
      });
    }
    await this.close(l);
    return {};
  }

  private async close(l: Listener): Promise<void> {
    this.listeners.delete(l.id);
    for (const r of [...l.pending])
      this.finish(r, 503, { 'content-type': 'text/plain' }, Buffer.from('the app stopped listening\n'));
    await new Promise<void>((resolve) => {
      l.server.close(() => resolve());
      l.server.closeAllConnections?.();
    });
  }

  count(instanceId?: string): number {
    return [...this.listeners.values()].filter((l) => instanceId === undefined || l.instanceId === instanceId).length;
  }

  async dispose(instanceId: string): Promise<void> {
    for (const l of [...this.listeners.values()]) if (l.instanceId === instanceId) await this.close(l);
  }

  async closeAll(): Promise<void> {
    for (const l of [...this.listeners.values()]) await this.close(l);
  }
}

import {
  FaygerError,
  OP_CAPABILITY,
  validateInstruction,
  type CapabilityGrant,
  type CapabilityOffer,
  type CapabilityRequest,
  type GrantReport,
  type GrantReportEntry,
  type InstanceBinding,
  type InstructionBus,
  type UniversalEventListener,
  type UniversalInstruction,
  type UniversalResult,
} from '@fayger/contracts';

type Handler = (args: any, ctx: { instanceId: string; grant: CapabilityGrant }) => unknown;

export interface FakeBusOptions {
  /** Capabilities the fake host offers (default: everything the tests use). */
  available?: CapabilityOffer[];
  /** Answer every op asynchronously (default: only the catalogue's async ops). */
  asyncAll?: boolean;
  files?: Record<string, string | Uint8Array>;
  env?: Record<string, string>;
  stdin?: string;
  /** Milliseconds the monotonic clock advances per clock.now (deterministic tests). */
  sleepScale?: number;
}

const enc = new TextEncoder();

/**
 * An in-memory InstructionBus for tests: validates instructions, enforces grants and fs scopes like the
 * real bus, answers ops from in-memory state (logs, stdout, files, env, clocks), sync for sync ops and
 * asynchronously for async ones, and records everything for assertions.
 */
export class FakeBus implements InstructionBus {
  readonly adapterId = 'fake';
  readonly hostKind = 'server' as const;
  readonly logs: { instanceId: string; level: string; message: string }[] = [];
  readonly stdout = new Map<string, string>();
  readonly stderr = new Map<string, string>();
  readonly dispatched: UniversalInstruction[] = [];
  readonly opened = new Map<string, InstanceBinding>();
  readonly closed: string[] = [];
  readonly files = new Map<string, Uint8Array | 'dir'>();
  private readonly pending = new Map<string, Set<(r: UniversalResult) => void>>();
  private readonly offers: CapabilityOffer[];
  private stdinBuf: Uint8Array;
  /** Ops that never answer (to test cancellation). */
  hang = new Set<string>();

  constructor(private readonly opts: FakeBusOptions = {}) {
    this.offers = opts.available ?? [
      { name: 'log' },
      { name: 'stdio' },
      { name: 'clock' },
      { name: 'random' },
      { name: 'env' },
      { name: 'timer' },
      { name: 'fs.read' },
      { name: 'fs.write' },
      { name: 'kv' },
      { name: 'app' },
    ];
    this.stdinBuf = enc.encode(opts.stdin ?? '');
    for (const [p, c] of Object.entries(opts.files ?? {})) {
      const parts = p.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) this.files.set('/' + parts.slice(0, i).join('/'), 'dir');
      this.files.set(p, typeof c === 'string' ? enc.encode(c) : c);
    }
  }

  available(): readonly CapabilityOffer[] {
    return this.offers;
  }

  negotiate(requested: readonly CapabilityRequest[]): GrantReport {
    const entries: GrantReportEntry[] = [];
    const granted: CapabilityGrant[] = [];
    const missingRequired: string[] = [];
    const absentOptional: string[] = [];
    for (const r of requested) {
      const offer = this.offers.find((o) => o.name === r.name);
      const ok = offer !== undefined;
      const grant: CapabilityGrant | undefined = ok
        ? { name: offer.name, ...(r.scope ? { scope: r.scope } : {}), ...(r.quota ? { quota: r.quota } : {}) }
        : undefined;
      if (grant) granted.push(grant);
      else (r.required ? missingRequired : absentOptional).push(r.name);
      entries.push({
        name: r.name,
        required: r.required,
        requested: { ...(r.scope ? { scope: r.scope } : {}), ...(r.quota ? { quota: r.quota } : {}) },
        available: { allowed: ok },
        policy: { allowed: true },
        granted: ok,
        ...(grant ? { grant } : {}),
        reason: ok ? 'granted' : 'not available on this host',
      });
    }
    return { entries, granted, missingRequired, absentOptional };
  }

  open(binding: InstanceBinding): void {
    if (this.opened.has(binding.instanceId)) throw new FaygerError({ code: 'ADAPTER_INSTANCE_EXISTS', phase: 'open' });
    this.opened.set(binding.instanceId, binding);
  }

  subscribe(_instanceId: string, _listener: UniversalEventListener): () => void {
    return () => undefined;
  }

  async close(instanceId: string): Promise<void> {
    this.closed.push(instanceId);
    const binding = this.opened.get(instanceId);
    this.opened.delete(instanceId);
    for (const resolve of this.pending.get(instanceId) ?? []) {
      resolve({
        v: 1,
        id: 'cancelled',
        ok: false,
        error: new FaygerError({ code: 'ADAPTER_CANCELLED', phase: 'close' }).toJSON(),
      });
    }
    this.pending.delete(instanceId);
    void binding;
  }

  pendingCount(instanceId: string): number {
    return this.pending.get(instanceId)?.size ?? 0;
  }

  dispatch(instruction: UniversalInstruction, instanceId?: string): UniversalResult | Promise<UniversalResult> {
    const id = instruction?.id ?? '?';
    const fail = (e: unknown): UniversalResult => ({
      v: 1,
      id,
      ok: false,
      error: (FaygerError.is(e)
        ? e
        : new FaygerError({ code: 'ADAPTER_IO_FAILED', phase: 'fake', found: String(e) })
      ).toJSON(),
    });
    let ins: UniversalInstruction;
    try {
      ins = validateInstruction(instruction);
    } catch (e) {
      return fail(e);
    }
    this.dispatched.push(ins);
    const iid = instanceId ?? ins.instanceId!;
    const binding = this.opened.get(iid);
    if (!binding) return fail(new FaygerError({ code: 'ADAPTER_INSTANCE_UNKNOWN', phase: 'dispatch' }));
    const grants = Array.isArray(binding.grants) ? binding.grants : (binding.grants as GrantReport).granted;
    const cap = OP_CAPABILITY[ins.op];
    const grant = grants.find((g) => g.name === cap);
    if (!grant)
      return fail(
        new FaygerError({ code: 'CAPABILITY_DENIED', phase: ins.op, details: { op: ins.op, capability: cap } }),
      );
    const handler = this.handlers[ins.op];
    if (!handler) return fail(new FaygerError({ code: 'ADAPTER_UNSUPPORTED_OP', phase: ins.op }));
    const asyncOp = this.opts.asyncAll || ['timer.sleep', 'stdio.read'].includes(ins.op) || ins.op.startsWith('fs.');
    if (this.hang.has(ins.op)) {
      return new Promise<UniversalResult>((resolve) => {
        let set = this.pending.get(iid);
        if (!set) this.pending.set(iid, (set = new Set()));
        set.add(resolve);
      });
    }
    const run = (): UniversalResult | Promise<UniversalResult> => {
      try {
        const v = handler(ins.args, { instanceId: iid, grant });
        if (v instanceof Promise)
          return v.then((value) => ({ v: 1 as const, id, ok: true as const, value }), fail) as Promise<UniversalResult>;
        return { v: 1, id, ok: true, value: v } as UniversalResult;
      } catch (e) {
        return fail(e);
      }
    };
    if (!asyncOp) return run();
    return new Promise<UniversalResult>((resolve) => {
      let set = this.pending.get(iid);
      if (!set) this.pending.set(iid, (set = new Set()));
      const done = (r: UniversalResult) => {
        set!.delete(done);
        resolve(r);
      };
      set.add(done);
      setTimeout(() => {
        if (!set!.has(done)) return;
        Promise.resolve(run()).then(done);
      }, 0);
    });
  }

  private inScope(path: string, grant: CapabilityGrant): void {
    const roots = grant.scope?.roots;
    if (!roots) return;
    if (!roots.some((r) => path === r || path.startsWith(r.endsWith('/') ? r : r + '/'))) {
      throw new FaygerError({ code: 'CAPABILITY_SCOPE_DENIED', phase: 'fs', details: { path, roots } });
    }
  }

  private readonly handlers: Record<string, Handler> = {
    'log.write': (a, c) => {
      this.logs.push({ instanceId: c.instanceId, level: a.level, message: a.message });
      return {};
    },
    'stdio.write': (a, c) => {
      const m = a.stream === 'stdout' ? this.stdout : this.stderr;
      m.set(c.instanceId, (m.get(c.instanceId) ?? '') + new TextDecoder().decode(a.data));
      return { bytesWritten: a.data.byteLength };
    },
    'stdio.read': (a) => {
      const data = this.stdinBuf.slice(0, a.maxBytes);
      this.stdinBuf = this.stdinBuf.slice(data.byteLength);
      return { data, eof: this.stdinBuf.byteLength === 0 };
    },
    'clock.now': (a) => ({ timeMs: a.clock === 'realtime' ? Date.now() : performance.now() }),
    'random.bytes': (a) => ({ bytes: crypto.getRandomValues(new Uint8Array(a.length)) }),
    'env.list': () => ({ variables: { ...(this.opts.env ?? {}) } }),
    'env.get': (a) => ({ value: this.opts.env?.[a.name] ?? null }),
    'timer.sleep': (a) => new Promise((r) => setTimeout(() => r({}), a.ms)),
    'app.exit': (a, c) => {
      this.opened.get(c.instanceId)?.onExit?.(a.code);
      return {};
    },
    'fs.stat': (a, c) => {
      this.inScope(a.path, c.grant);
      const f = this.files.get(a.path);
      if (!f) throw new FaygerError({ code: 'ADAPTER_PATH_NOT_FOUND', phase: 'fs.stat', details: { path: a.path } });
      return f === 'dir'
        ? { type: 'directory', size: 0, mtimeMs: 0 }
        : { type: 'file', size: f.byteLength, mtimeMs: 1000 };
    },
    'fs.read': (a, c) => {
      this.inScope(a.path, c.grant);
      const f = this.files.get(a.path);
      if (!f) throw new FaygerError({ code: 'ADAPTER_PATH_NOT_FOUND', phase: 'fs.read' });
      if (f === 'dir') throw new FaygerError({ code: 'ADAPTER_PATH_IS_DIRECTORY', phase: 'fs.read' });
      const off = a.offset ?? 0;
      const data = f.slice(off, a.length === undefined ? undefined : off + a.length);
      return { data, eof: off + data.byteLength >= f.byteLength };
    },
    'fs.list': (a, c) => {
      this.inScope(a.path, c.grant);
      const prefix = a.path === '/' ? '/' : a.path + '/';
      const entries = [...this.files.entries()]
        .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .map(([p, f]) => ({ name: p.slice(prefix.length), type: f === 'dir' ? 'directory' : 'file' }));
      return { entries };
    },
    'fs.write': (a, c) => {
      this.inScope(a.path, c.grant);
      const old = this.files.get(a.path);
      if (old === 'dir') throw new FaygerError({ code: 'ADAPTER_PATH_IS_DIRECTORY', phase: 'fs.write' });
      const cur = old && !a.truncate ? old : new Uint8Array(0);
      const off = a.append ? cur.byteLength : (a.offset ?? 0);
      const next = new Uint8Array(Math.max(cur.byteLength, off + a.data.byteLength));
      next.set(cur);
      next.set(a.data, off);
      this.files.set(a.path, next);
      return { bytesWritten: a.data.byteLength };
    },
    'fs.mkdir': (a, c) => {
      this.inScope(a.path, c.grant);
      this.files.set(a.path, 'dir');
      return {};
    },
    'fs.remove': (a, c) => {
      this.inScope(a.path, c.grant);
      if (!this.files.delete(a.path)) throw new FaygerError({ code: 'ADAPTER_PATH_NOT_FOUND', phase: 'fs.remove' });
      return {};
    },
    'kv.set': () => ({}),
    'kv.get': () => ({ value: enc.encode('stored') }),
  };
}

import {
  FaygerError,
  validateResult,
  type AdapterCallContext,
  type CapabilityGrant,
  type CapabilityName,
  type CapabilityRequest,
  type ErrorCode,
  type PlatformAdapter,
  type UniversalEvent,
  type UniversalInstruction,
  type UniversalResult,
} from '@fayger/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInstructionBus, type AdapterBus, type BusDiagnostic } from '../bus/bus.js';
import { assertPlatformAdapter } from '../registry.js';
import { checkAdapterContract, MANDATORY_CAPABILITIES } from './checks.js';

export { checkAdapterContract, MANDATORY_CAPABILITIES } from './checks.js';
export type { ContractCheckEnvironment } from './checks.js';

/**
 * The adapter conformance suite. Every Platform_Adapter — first- or third-party — runs the same checks:
 *
 *   adapterConformance('server', { create: () => createServerAdapter({ dataDir }), flags: { fs: true, kv: true } });
 *
 * What runs follows the adapter's offers: every offered capability is exercised (an offer is a promise), the
 * mandatory ones (log, clock, random) always. Flags give what the test file set up (an env variable, an fs
 * root) and say what the author expects to be offered: a flag for a capability the adapter does not offer
 * fails. See README.md beside this file.
 */
export interface ConformanceFlags {
  /** Expect fs.read/fs.write. `root`: the guest root to use (default: the first fs.write root offered). */
  fs?: boolean | { root?: string };
  /** Expect kv. */
  kv?: boolean;
  /** The host exposes variable `name` with `value` (set up by the test file). */
  env?: { name: string; value: string };
  /** Expect net.http; `httpUrl` from setup is a URL answering 200 to GET. */
  netHttp?: boolean;
  /** Expect net.listen (ephemeral port 0, driven by global fetch). */
  netListen?: boolean;
  /** Expect ui. */
  ui?: boolean;
}

/** Values only known once setup has run. */
export interface ConformanceEnvironment {
  httpUrl?: string;
  teardown?: () => void | Promise<void>;
}

export interface ConformanceOptions {
  /** Makes a fresh adapter; called once per test. */
  create: () => PlatformAdapter | Promise<PlatformAdapter>;
  flags?: ConformanceFlags;
  /** Runs once before the suite (start a local HTTP server, make a temp dir…). */
  setup?: () => void | ConformanceEnvironment | Promise<void | ConformanceEnvironment>;
  /** Per-test timeout (ms, default 10000). */
  timeoutMs?: number;
}

interface Harness {
  adapter: PlatformAdapter;
  bus: AdapterBus;
  /** Ops that reached the adapter's handle(). */
  handled: string[];
  diagnostics: BusDiagnostic[];
  instanceId: string;
  call(op: string, args: unknown): Promise<unknown>;
  result(op: string, args: unknown, extra?: Partial<UniversalInstruction>): Promise<UniversalResult>;
  events: UniversalEvent[];
}

async function expectCode(
  p: Promise<unknown> | (() => unknown),
  code: ErrorCode | readonly ErrorCode[],
): Promise<FaygerError> {
  const codes = (Array.isArray(code) ? code : [code]) as ErrorCode[];
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (!FaygerError.is(e)) throw new Error(`expected a FaygerError ${codes.join('|')}, got ${String(e)}`);
    if (!codes.includes(e.code)) throw new Error(`expected ${codes.join('|')}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected ${codes.join('|')}, but the call succeeded`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(5);
  }
  return cond();
}

/** A call context for driving an adapter directly, without a bus (to check the adapter confines itself). */
export function directContext(
  instanceId: string,
  capability: CapabilityName,
  grants: readonly CapabilityGrant[],
  emit: AdapterCallContext['emit'] = () => {},
): AdapterCallContext {
  const map = new Map(grants.map((g) => [g.name, g] as const));
  const grant = map.get(capability) ?? { name: capability };
  return {
    instanceId,
    callId: 'direct-1',
    capability,
    grant,
    scope: grant.scope,
    grants: map,
    remaining: {},
    signal: new AbortController().signal,
    emit,
  };
}

export function adapterConformance(name: string, options: ConformanceOptions): void {
  const flags: ConformanceFlags = { ...options.flags };
  const timeout = options.timeoutMs ?? 10_000;
  let env: ConformanceEnvironment = {};
  const live: Harness[] = [];
  let seq = 0;

  async function harness(requested: CapabilityRequest[], grantsOverride?: CapabilityGrant[]): Promise<Harness> {
    const inner = await options.create();
    const handled: string[] = [];
    // Delegate by method so class-based adapters keep their `this`.
    const adapter: PlatformAdapter = {
      id: inner.id,
      hostKind: inner.hostKind,
      available: () => inner.available(),
      detect: (p) => inner.detect(p),
      handle: (ins, ctx) => {
        handled.push(ins.op);
        return inner.handle(ins, ctx);
      },
      dispose: (id) => inner.dispose(id),
      close: () => inner.close?.(),
    };
    const diagnostics: BusDiagnostic[] = [];
    const bus = createInstructionBus({
      adapter,
      policy: { allow: 'available' },
      onDiagnostic: (d) => diagnostics.push(d),
    });
    const instanceId = `conf-${++seq}`;
    const grants = grantsOverride ?? bus.negotiate(requested).granted;
    bus.open({ instanceId, grants, app: { id: 'conformance', version: '1.0.0' } });
    const events: UniversalEvent[] = [];
    bus.subscribe(instanceId, (e) => events.push(e));
    let n = 0;
    const h: Harness = {
      adapter,
      bus,
      handled,
      diagnostics,
      instanceId,
      events,
      call: async (op, args) => bus.call(instanceId, op as never, args as never),
      result: async (op, args, extra = {}) =>
        bus.dispatch({ v: 1, id: `r${++n}`, op, args, instanceId, ...extra } as UniversalInstruction),
    };
    live.push(h);
    return h;
  }

  const req = (
    name: string,
    scope?: CapabilityRequest['scope'],
    quota?: CapabilityRequest['quota'],
  ): CapabilityRequest => ({
    name,
    required: false,
    ...(scope ? { scope } : {}),
    ...(quota ? { quota } : {}),
  });
  const basics = () => [req('log'), req('clock'), req('random'), req('app')];

  let offered = new Set<string>();
  type Body = () => Promise<void>;
  /**
   * A test of one capability family: it runs when the adapter offers the capability (an offer is a promise)
   * and fails when a flag expects it but the adapter does not offer it.
   */
  const family =
    (cap: CapabilityName, flag: unknown) =>
    (title: string, a: { timeout?: number } | Body, b?: Body): void => {
      const body = (typeof a === 'function' ? a : b)!;
      it(`${title} [${cap}]`, typeof a === 'function' ? {} : a, async (ctx) => {
        if (!offered.has(cap)) {
          if (flag)
            throw new Error(
              `The test file's flags expect "${cap}", but the adapter does not offer it: offer ${cap} from available(), or drop the flag.`,
            );
          ctx.skip();
          return;
        }
        await body();
      });
    };

  describe(`adapter conformance: ${name}`, () => {
    beforeAll(async () => {
      env = (await options.setup?.()) ?? {};
      const a = await options.create();
      offered = new Set(a.available().map((o) => o.name));
      await a.close?.();
    });
    afterAll(async () => {
      await env.teardown?.();
    });
    afterEach(async () => {
      for (const h of live.splice(0)) await h.bus.shutdown();
    });

    describe('contract', () => {
      it('has the PlatformAdapter shape and offers only catalogue capabilities, each once, log, clock and random among them', async () => {
        const a = await options.create();
        assertPlatformAdapter(a);
        const names = a.available().map((o) => o.name);
        expect(new Set(names).size).toBe(names.length);
        for (const c of MANDATORY_CAPABILITIES) expect(names, `every adapter must offer ${c}`).toContain(c);
        await a.close?.();
      });

      it('keeps the promise of every offer: each op of each offered capability is implemented', {
        timeout,
      }, async () => {
        const problems = await checkAdapterContract(await options.create(), {
          ...(env.httpUrl ? { httpUrl: env.httpUrl } : {}),
        });
        if (problems.length > 0)
          throw new Error(`The adapter breaks ${problems.length} promise(s):\n- ${problems.join('\n- ')}`);
      });

      it('detect() answers a boolean or a score for a foreign host without throwing', async () => {
        const a = await options.create();
        const s = a.detect({ global: {} });
        expect(typeof s === 'boolean' || (typeof s === 'number' && Number.isFinite(s))).toBe(true);
        await a.close?.();
      });
    });

    describe('log, clock, random', () => {
      it('log.write accepts every level', async () => {
        const h = await harness(basics());
        for (const level of ['trace', 'debug', 'info', 'warn', 'error']) {
          expect(await h.call('log.write', { level, message: `conformance ${level}`, fields: { k: 'v' } })).toEqual({});
        }
      });

      it('clock.now: realtime near Date.now, monotonic never goes back', async () => {
        const h = await harness(basics());
        const { timeMs } = (await h.call('clock.now', { clock: 'realtime' })) as { timeMs: number };
        expect(Math.abs(timeMs - Date.now())).toBeLessThan(60_000);
        const a = (await h.call('clock.now', { clock: 'monotonic' })) as { timeMs: number };
        await sleep(5);
        const b = (await h.call('clock.now', { clock: 'monotonic' })) as { timeMs: number };
        expect(b.timeMs).toBeGreaterThanOrEqual(a.timeMs);
      });

      it('random.bytes returns exactly the length asked, and fresh bytes each call', async () => {
        const h = await harness(basics());
        for (const length of [0, 1, 32, 65536]) {
          const { bytes } = (await h.call('random.bytes', { length })) as { bytes: Uint8Array };
          expect(bytes).toBeInstanceOf(Uint8Array);
          expect(bytes.byteLength).toBe(length);
        }
        const x = (await h.call('random.bytes', { length: 32 })) as { bytes: Uint8Array };
        const y = (await h.call('random.bytes', { length: 32 })) as { bytes: Uint8Array };
        expect(Array.from(x.bytes)).not.toEqual(Array.from(y.bytes));
      });

      it('raw results of sync ops match their result schemas', async () => {
        const a = await options.create();
        const grants: CapabilityGrant[] = [{ name: 'log' }, { name: 'clock' }, { name: 'random' }];
        const direct = async (op: string, args: unknown, cap: CapabilityName) =>
          validateResult(
            op as never,
            await a.handle(
              { v: 1, id: 'd', op, args, instanceId: 'direct' } as UniversalInstruction,
              directContext('direct', cap, grants),
            ),
          );
        await direct('log.write', { level: 'info', message: 'direct' }, 'log');
        await direct('clock.now', { clock: 'realtime' }, 'clock');
        await direct('random.bytes', { length: 16 }, 'random');
        await a.dispose('direct');
        await a.close?.();
      });
    });

    describe('env', () => {
      it.runIf(flags.env !== undefined)(
        'env.get reads a granted variable, null for an ungranted one; env.list lists only granted ones',
        async () => {
          const v = flags.env!;
          const h = await harness([...basics(), req('env', { variables: [v.name] })]);
          expect(await h.call('env.get', { name: v.name })).toEqual({ value: v.value });
          expect(await h.call('env.get', { name: 'PATH' })).toEqual({ value: null });
          const { variables } = (await h.call('env.list', {})) as { variables: Record<string, string> };
          expect(Object.keys(variables).every((k) => k === v.name)).toBe(true);
        },
      );

      it('env.get of an unset variable is null', async () => {
        const h = await harness([...basics(), req('env')]);
        if (!h.bus.negotiate([req('env')]).granted.length) return;
        expect(await h.call('env.get', { name: 'FAYGER_CONFORMANCE_SURELY_UNSET_1f4e' })).toEqual({ value: null });
      });
    });

    describe('default deny and the boundary', () => {
      it('an op whose capability is not granted fails CAPABILITY_DENIED naming op and capability, and never reaches the adapter', async () => {
        const h = await harness([req('log')]);
        const e = await expectCode(h.call('random.bytes', { length: 4 }), 'CAPABILITY_DENIED');
        expect(e.details).toMatchObject({ op: 'random.bytes', capability: 'random' });
        expect(e.message).toContain('random.bytes');
        await expectCode(h.call('fs.read', { path: '/data/x' }), 'CAPABILITY_DENIED');
        await expectCode(h.call('timer.sleep', { ms: 1 }), 'CAPABILITY_DENIED');
        expect(h.handled).toEqual([]);
      });

      it('invalid arguments are rejected at the boundary, naming the field, before the adapter sees them', async () => {
        const h = await harness(basics());
        const bad = await h.result('clock.now', { clock: 'sideways' });
        expect(bad.ok).toBe(false);
        if (!bad.ok) {
          expect(bad.error.code).toBe('INSTRUCTION_INVALID');
          expect(bad.error.details.field).toBe('/args/clock');
        }
        const extra = await h.result('random.bytes', { length: 4, seed: 1 });
        expect(!extra.ok && extra.error.code).toBe('INSTRUCTION_INVALID');
        const neg = await h.result('random.bytes', { length: -1 });
        expect(!neg.ok && neg.error.code).toBe('INSTRUCTION_INVALID');
        const unknown = await h.result('clock.rewind', {});
        expect(!unknown.ok && unknown.error.code).toBe('INSTRUCTION_UNKNOWN_OP');
        expect(h.handled).toEqual([]);
      });

      it('quotas are enforced: the call past the limit fails CAPABILITY_QUOTA_EXCEEDED', async () => {
        const h = await harness([req('random', undefined, { calls: 2 })]);
        await h.call('random.bytes', { length: 1 });
        await h.call('random.bytes', { length: 1 });
        await expectCode(h.call('random.bytes', { length: 1 }), 'CAPABILITY_QUOTA_EXCEEDED');
        expect(h.handled.length).toBe(2);
      });
    });

    describe('timers', () => {
      const it = family('timer', false);
      it('timer.set fires timer.fired; timer.clear prevents it; repeat fires again', { timeout }, async () => {
        const h = await harness([...basics(), req('timer')]);
        await h.call('timer.set', { timerId: 't1', ms: 10 });
        await h.call('timer.set', { timerId: 't2', ms: 40 });
        await h.call('timer.clear', { timerId: 't2' });
        await h.call('timer.set', { timerId: 'rep', ms: 10, repeat: true });
        expect(
          await waitFor(
            () =>
              h.events.filter((e) => e.type === 'timer.fired' && (e.data as { timerId: string }).timerId === 'rep')
                .length >= 2,
            2000,
          ),
        ).toBe(true);
        await h.call('timer.clear', { timerId: 'rep' });
        await sleep(80);
        const fired = h.events
          .filter((e) => e.type === 'timer.fired')
          .map((e) => (e.data as { timerId: string }).timerId);
        expect(fired).toContain('t1');
        expect(fired).not.toContain('t2');
        for (const e of h.events) expect(e.instanceId).toBe(h.instanceId);
      });

      it('timer.sleep waits at least about the duration', async () => {
        const h = await harness([...basics(), req('timer')]);
        const t0 = Date.now();
        expect(await h.call('timer.sleep', { ms: 30 })).toEqual({});
        expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
      });

      it('closing the instance cancels pending calls (ADAPTER_CANCELLED) and its timers never fire afterwards', {
        timeout,
      }, async () => {
        const h = await harness([...basics(), req('timer')]);
        const pending = h.result('timer.sleep', { ms: 60_000 });
        await h.call('timer.set', { timerId: 'late', ms: 30 });
        await h.call('timer.set', { timerId: 'late-rep', ms: 10, repeat: true });
        await sleep(5);
        const t0 = Date.now();
        await h.bus.close(h.instanceId);
        const r = await pending;
        expect(Date.now() - t0).toBeLessThan(2000);
        expect(!r.ok && r.error.code).toBe('ADAPTER_CANCELLED');
        const before = h.events.length;
        await sleep(80);
        expect(h.events.length).toBe(before);
        expect(h.diagnostics.filter((d) => d.kind === 'late-emit')).toEqual([]);
      });
    });

    describe('fs (scoped)', () => {
      const it = family('fs.write', flags.fs);
      const rootOf = (h: Harness): string => {
        const explicit = typeof flags.fs === 'object' ? flags.fs.root : undefined;
        const offered = h.adapter.available().find((o) => o.name === 'fs.write')?.scope?.roots?.[0];
        const root = explicit ?? offered;
        if (!root) throw new Error('fs flag set but the adapter offers no fs.write root; pass flags.fs.root');
        return root.replace(/\/$/, '');
      };
      const fsReqs = [req('fs.read'), req('fs.write')];

      it('write, read (whole and ranged), stat, list, append, rename, remove round-trip under a granted root', async () => {
        const h = await harness([...basics(), ...fsReqs]);
        const dir = `${rootOf(h)}/conformance-${Date.now()}-${seq}`;
        const enc = new TextEncoder();
        await h.call('fs.mkdir', { path: `${dir}/sub`, recursive: true });
        expect(await h.call('fs.write', { path: `${dir}/a.txt`, data: enc.encode('hello world') })).toEqual({
          bytesWritten: 11,
        });
        const all = (await h.call('fs.read', { path: `${dir}/a.txt` })) as { data: Uint8Array; eof: boolean };
        expect(new TextDecoder().decode(all.data)).toBe('hello world');
        expect(all.eof).toBe(true);
        const part = (await h.call('fs.read', { path: `${dir}/a.txt`, offset: 6, length: 3 })) as {
          data: Uint8Array;
          eof: boolean;
        };
        expect(new TextDecoder().decode(part.data)).toBe('wor');
        expect(part.eof).toBe(false);
        await h.call('fs.write', { path: `${dir}/a.txt`, data: enc.encode('!'), append: true });
        expect(await h.call('fs.stat', { path: `${dir}/a.txt` })).toMatchObject({ type: 'file', size: 12 });
        expect(await h.call('fs.stat', { path: `${dir}/sub/` })).toMatchObject({ type: 'directory' });
        const { entries } = (await h.call('fs.list', { path: dir })) as {
          entries: Array<{ name: string; type: string }>;
        };
        expect(entries.map((e) => `${e.name}:${e.type}`).sort()).toEqual(['a.txt:file', 'sub:directory']);
        await h.call('fs.rename', { from: `${dir}/a.txt`, to: `${dir}/sub/b.txt` });
        await expectCode(h.call('fs.read', { path: `${dir}/a.txt` }), 'ADAPTER_PATH_NOT_FOUND');
        expect(await h.call('fs.stat', { path: `${dir}/sub/b.txt` })).toMatchObject({ size: 12 });
        await expectCode(h.call('fs.remove', { path: dir }), 'ADAPTER_DIRECTORY_NOT_EMPTY');
        await h.call('fs.remove', { path: dir, recursive: true });
        await expectCode(h.call('fs.stat', { path: dir }), 'ADAPTER_PATH_NOT_FOUND');
      });

      it('paths outside the granted roots are denied, through the bus and by the adapter itself', async () => {
        const h = await harness([...basics(), ...fsReqs]);
        const root = rootOf(h);
        for (const p of ['/etc/passwd', `${root}/../etc/passwd`, `${root}/a/../../etc/passwd`, `${root}-sibling/x`]) {
          await expectCode(h.call('fs.read', { path: p }), 'CAPABILITY_SCOPE_DENIED');
          await expectCode(h.call('fs.write', { path: p, data: new Uint8Array(1) }), 'CAPABILITY_SCOPE_DENIED');
        }
        await expectCode(h.call('fs.read', { path: `${root}/a\0b` }), ['ADAPTER_PATH_INVALID', 'INSTRUCTION_INVALID']);
        await expectCode(h.call('fs.read', { path: 'relative/x' }), ['ADAPTER_PATH_INVALID', 'INSTRUCTION_INVALID']);
        await expectCode(h.call('fs.remove', { path: root, recursive: true }), 'CAPABILITY_SCOPE_DENIED');
        expect(h.handled.filter((o) => o.startsWith('fs.'))).toEqual([]);
        // The adapter must confine on its own, whatever bus drives it.
        const grants: CapabilityGrant[] = [
          { name: 'fs.read', scope: { roots: [root] } },
          { name: 'fs.write', scope: { roots: [root] } },
        ];
        const direct = (op: string, args: unknown, cap: CapabilityName) =>
          Promise.resolve().then(() =>
            h.adapter.handle(
              { v: 1, id: 'd', op, args, instanceId: 'direct' } as UniversalInstruction,
              directContext('direct', cap, grants),
            ),
          );
        await expectCode(direct('fs.read', { path: `${root}/../../../../etc/passwd` }, 'fs.read'), [
          'CAPABILITY_SCOPE_DENIED',
          'ADAPTER_PATH_NOT_FOUND',
        ]);
        await expectCode(direct('fs.read', { path: '/etc/passwd' }, 'fs.read'), 'CAPABILITY_SCOPE_DENIED');
        await expectCode(
          direct('fs.write', { path: '/tmp/fayger-conformance-escape', data: new Uint8Array(1) }, 'fs.write'),
          'CAPABILITY_SCOPE_DENIED',
        );
        await expectCode(direct('fs.read', { path: `${root}/x\0y` }, 'fs.read'), [
          'ADAPTER_PATH_INVALID',
          'CAPABILITY_SCOPE_DENIED',
        ]);
      });

      it('fs.read without fs.write cannot write (read-only grant)', async () => {
        const h = await harness([...basics(), req('fs.read')]);
        await expectCode(
          h.call('fs.write', { path: `${rootOf(h)}/ro.txt`, data: new Uint8Array(1) }),
          'CAPABILITY_DENIED',
        );
      });
    });

    describe('kv', () => {
      const it = family('kv', flags.kv);
      it('set, get, list by prefix, delete; missing keys read null; namespaces are separate', async () => {
        const h = await harness([...basics(), req('kv')]);
        const ns = `conf-${Date.now()}-${seq}`;
        expect(await h.call('kv.get', { namespace: ns, key: 'missing' })).toEqual({ value: null });
        await h.call('kv.set', { namespace: ns, key: 'user:1', value: new Uint8Array([1, 2, 3]) });
        await h.call('kv.set', { namespace: ns, key: 'user:2', value: new Uint8Array([4]) });
        await h.call('kv.set', { namespace: ns, key: 'other', value: new Uint8Array([]) });
        const got = (await h.call('kv.get', { namespace: ns, key: 'user:1' })) as { value: Uint8Array };
        expect(Array.from(got.value)).toEqual([1, 2, 3]);
        expect(await h.call('kv.list', { namespace: ns, prefix: 'user:' })).toEqual({ keys: ['user:1', 'user:2'] });
        expect(await h.call('kv.get', { namespace: `${ns}-b`, key: 'user:1' })).toEqual({ value: null });
        await h.call('kv.delete', { namespace: ns, key: 'user:1' });
        expect(await h.call('kv.get', { namespace: ns, key: 'user:1' })).toEqual({ value: null });
        expect(
          ((await h.call('kv.get', { namespace: ns, key: 'other' })) as { value: Uint8Array }).value.byteLength,
        ).toBe(0);
      });

      it('an ungranted namespace is denied', async () => {
        const h = await harness([...basics(), req('kv', { namespaces: ['only'] })]);
        await h.call('kv.set', { namespace: 'only', key: 'k', value: new Uint8Array([1]) });
        await expectCode(h.call('kv.get', { namespace: 'elsewhere', key: 'k' }), 'CAPABILITY_SCOPE_DENIED');
      });
    });

    describe('ui', () => {
      const it = family('ui', flags.ui);
      it('ui.render and ui.clear accept a valid tree', async () => {
        const h = await harness([...basics(), req('ui')]);
        expect(
          await h.call('ui.render', {
            tree: {
              type: 'column',
              children: [
                { type: 'text', text: 'hi' },
                { type: 'button', id: 'ok', text: 'OK' },
              ],
            },
          }),
        ).toEqual({});
        expect(await h.call('ui.clear', {})).toEqual({});
      });
    });

    describe('net.http', () => {
      const it = family('net.http', flags.netHttp);
      it('GET a granted origin; other origins are denied', { timeout }, async () => {
        const url = env.httpUrl;
        if (!url)
          throw new Error(
            'The adapter offers net.http: return httpUrl from setup (a URL answering 200 to GET) so the suite can exercise it.',
          );
        const origin = new URL(url).origin;
        const h = await harness([...basics(), req('net.http', { origins: [origin] })]);
        const r = (await h.call('net.http', { method: 'GET', url })) as { status: number; body: Uint8Array };
        expect(r.status).toBe(200);
        expect(r.body).toBeInstanceOf(Uint8Array);
        await expectCode(h.call('net.http', { method: 'GET', url: 'http://127.0.0.2:9/' }), 'CAPABILITY_SCOPE_DENIED');
      });
    });

    describe('net.listen', () => {
      const it = family('net.listen', flags.netListen);
      it('requests arrive as net.request events and are answered with net.listen.respond', { timeout }, async () => {
        const h = await harness([...basics(), req('net.listen', { ports: [0] })]);
        h.bus.subscribe(h.instanceId, (e) => {
          if (e.type !== 'net.request') return;
          const d = e.data as { requestId: string; url: string; method: string };
          void h.call('net.listen.respond', {
            requestId: d.requestId,
            status: 201,
            headers: { 'content-type': 'text/plain' },
            body: new TextEncoder().encode(`${d.method} ${d.url}`),
          });
        });
        const { listenerId, port } = (await h.call('net.listen.start', { port: 0, host: '127.0.0.1' })) as {
          listenerId: string;
          port: number;
        };
        expect(port).toBeGreaterThan(0);
        const res = await fetch(`http://127.0.0.1:${port}/hello?x=1`);
        expect(res.status).toBe(201);
        expect(await res.text()).toBe('GET /hello?x=1');
        await h.call('net.listen.stop', { listenerId });
        await expectCode(h.call('net.listen.start', { port: 1, host: '127.0.0.1' }), 'CAPABILITY_SCOPE_DENIED');
      });
    });
  });
}

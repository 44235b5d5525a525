import {
  baselineHandlers,
  confineInstruction,
  createOpRouter,
  negotiate as coreNegotiate,
  readGlobal as get,
  reportHostError,
  withBusServedOffers,
  withHostErrorReporting,
  type AdapterCandidate,
  type LogOptions,
} from '@fayger/adapter-core';
import { DomUiHost, type DomUi } from '@fayger/adapter-core/dom';
import {
  FaygerError,
  OP_CAPABILITY,
  type AdapterCallContext,
  type CapabilityName,
  type CapabilityOffer,
  type CapabilityRequest,
  type GrantReport,
  type EventSink,
  type HostPolicy,
  type HostProbe,
  type PlatformAdapter,
  type UiNode,
  type UniversalInstruction,
} from '@fayger/contracts';
import { MessageBridge } from '../bridge/bridge.js';
import {
  detectTransport,
  findTransportKind,
  globalTransport,
  messagePortTransport,
  type BridgeTransport,
  type PortLike,
  type TransportKind,
} from '../bridge/transports.js';
import { PROTOCOL_VERSION, type NativeHello, type PermissionState } from '../protocol/wire.js';
import { parseHello, parsePermissionReply } from './handshake.js';
import { inAppError } from '../errors.js';

type Obj = Record<string, unknown>;
type AskItem = { name: CapabilityName; reason?: string; scope?: CapabilityRequest['scope'] };

/** Where ui.* goes: the WebView's own DOM, the native side (trees over the bridge), or nowhere. */
export type InAppUiOption =
  | 'dom'
  | 'native'
  | false
  | { mode: 'dom'; container?: HTMLElement | (() => HTMLElement | null) };

export interface InAppAdapterOptions {
  /** Adapter id (default "in-app"). */
  id?: string;
  /**
   * The bridge: a transport object, a transport kind looked up on `global`, or absent to use whichever bridge
   * the global offers (`__faygerBridge`, WKWebView, Android, React Native, in that order).
   */
  transport?: BridgeTransport | TransportKind;
  /** Shorthand for `transport: messagePortTransport(port)`. */
  port?: PortLike;
  /** The window to find bridges and the DOM on (default globalThis). */
  global?: object;
  /** WKWebView handler name (default "fayger"). */
  webkitName?: string;
  /** Android interface object name (default "FaygerAndroid"). */
  androidName?: string;
  /** Default deadline of one bridge call in ms (default 30000); an instruction's own timeoutMs wins. */
  timeoutMs?: number;
  /** Deadline of the hello handshake in ms (default 5000). */
  handshakeTimeoutMs?: number;
  /** Where ui.* is rendered (default 'dom' when a document exists, else 'native'). */
  ui?: InAppUiOption;
  /** Guest logs when the native side lets the WebView log locally (default: the console). */
  log?: LogOptions;
  /**
   * The diagnostics channel: failed host calls, and bridge messages that could not be used (malformed, late
   * replies, events for unknown instances), as `adapter.host.error` events.
   */
  diagnostics?: EventSink;
}

/** One capability's permission as the host app reported or answered it. */
export interface PermissionStatus {
  state: PermissionState;
  reason?: string;
}

export interface InAppAdapter extends PlatformAdapter {
  /** What the native side said about itself in the handshake. */
  readonly platform: NativeHello['platform'];
  readonly protocol: number;
  readonly transportKind: string;
  /** Capability names the native side reported that this adapter does not know (ignored). */
  readonly ignoredCapabilities: readonly string[];
  /** Where ui.* goes. */
  readonly uiMode: 'dom' | 'native' | 'none';
  /** Whether the bridge has closed (calls then fail BRIDGE_CLOSED). */
  readonly closed: boolean;
  /** Current permission state of each native capability. */
  permissions(): ReadonlyMap<CapabilityName, PermissionStatus>;
  /**
   * Asks the native side (the user) for every requested capability still in 'prompt' state, in one request.
   * Resolves with the states afterwards; a denial is an answer, not an error.
   */
  requestPermissions(requested: readonly CapabilityRequest[]): Promise<ReadonlyMap<CapabilityName, PermissionStatus>>;
  /**
   * requested ∩ available ∩ policy after asking the user: capabilities the user denied come back not granted,
   * with the user's reason in `available.reason` and the entry's `reason`. Pass the report's `granted` to
   * `bus.open`.
   */
  negotiate(requested: readonly CapabilityRequest[], policy: HostPolicy): Promise<GrantReport>;
  /** The DOM renderer of an instance in 'dom' mode (tests, diagnostics). */
  domUi(instanceId: string): DomUi | undefined;
}

/**
 * Scores an in-app host: 3 when a native bridge object is present (above a plain browser page), else false.
 * `names`: the WKWebView handler / Android interface names when they are not the defaults.
 */
export function detectInApp(
  probe: HostProbe,
  names: Pick<InAppAdapterOptions, 'webkitName' | 'androidName'> = {},
): number | false {
  return findTransportKind(probe.global as Obj, { webkit: names.webkitName, android: names.androidName }) ? 3 : false;
}

/**
 * The in-app adapter as a lazy candidate for adapter selection: it detects the bridge globals itself (a given
 * `port` or transport object counts as the embedder's word that the host is in-app) and is created only when
 * chosen. Creating it connects and runs the handshake, so it is asynchronous: choose with `createFaygerAsync`
 * or adapter-core's `chooseAdapterAsync`. A failed handshake fails the selection with ADAPTER_CREATE_FAILED
 * (cause: BRIDGE_TIMEOUT, BRIDGE_PROTOCOL_MISMATCH…).
 */
export function inAppAdapterCandidate(options: InAppAdapterOptions = {}): AdapterCandidate {
  return {
    id: options.id ?? 'in-app',
    hostKind: 'in-app',
    detect: (probe) => (options.port || typeof options.transport === 'object' ? 3 : detectInApp(probe, options)),
    create: () => createInAppAdapter(options),
  };
}

function resolveTransport(o: InAppAdapterOptions, g: Obj): BridgeTransport {
  if (o.port) return messagePortTransport(o.port);
  const t = o.transport;
  if (t !== undefined && typeof t === 'object') return t;
  return t ? globalTransport(t, g, o) : detectTransport({ ...o, global: g });
}

/**
 * Connects to the native side, runs the hello handshake, and returns the in-app Platform_Adapter. Rejects
 * with BRIDGE_TRANSPORT_MISSING, BRIDGE_TIMEOUT, BRIDGE_PROTOCOL_MISMATCH or BRIDGE_MALFORMED_MESSAGE.
 */
export async function createInAppAdapter(options: InAppAdapterOptions = {}): Promise<InAppAdapter> {
  const id = options.id ?? 'in-app';
  const g = (options.global ?? globalThis) as Obj;
  const win = ((get(g, 'window') as Obj | undefined) ?? g) as Obj;
  const problem = (e: FaygerError) => reportHostError(options.diagnostics, id, 'bridge', e);
  const emitters = new Map<string, AdapterCallContext['emit']>();

  const bridge = new MessageBridge({
    transport: resolveTransport(options, win),
    timeoutMs: options.timeoutMs,
    onProblem: problem,
    onEvent: ({ instanceId: to, event: { type, data, time } }) => {
      const ev = { type, data: data as never, ...(typeof time === 'number' ? { time } : {}) };
      const emit = to === undefined ? undefined : emitters.get(to);
      if (to === undefined) for (const e of emitters.values()) e(ev);
      else if (emit) emit(ev);
      else {
        problem(
          inAppError({
            code: 'BRIDGE_MALFORMED_MESSAGE',
            phase: 'event',
            what: `delivering a native ${type} event`,
            expected: 'an instance that has made a call on this adapter and is not disposed',
            found: JSON.stringify(to),
            details: { instanceId: to, type },
          }),
        );
      }
    },
  });

  const { hello, ignored } = await bridge
    .request(
      'hello',
      { protocols: [PROTOCOL_VERSION], client: { name: '@fayger/adapter-in-app', version: '0.1.0' } },
      { timeoutMs: options.handshakeTimeoutMs ?? 5000, phase: 'hello' },
    )
    .then(parseHello)
    .catch((e: unknown) => {
      bridge.close('handshake failed');
      throw e;
    });
  const native = new Map(hello.capabilities.map((c) => [c.name, c] as const));
  const perms = new Map<CapabilityName, PermissionStatus>(
    hello.capabilities.map(
      (c) => [c.name, { state: c.permission ?? 'granted', ...(c.reason ? { reason: c.reason } : {}) }] as const,
    ),
  );
  const local = new Set<string>(hello.local ?? []);
  const doc = get(win, 'document') as Document | undefined;
  const uiOpt = options.ui ?? (doc ? 'dom' : 'native');
  const nativeUi = hello.nativeUi && native.has('ui');
  const uiMode: InAppAdapter['uiMode'] =
    uiOpt === false ? 'none' : uiOpt === 'native' ? (nativeUi ? 'native' : 'none') : doc ? 'dom' : 'none';
  const dom = new DomUiHost(doc, {
    ...(typeof uiOpt === 'object' && uiOpt.container ? { container: uiOpt.container } : {}),
    unavailable: (op, found) =>
      inAppError({
        code: 'INAPP_UI_UNAVAILABLE',
        phase: op,
        what: `${op} in 'dom' mode`,
        expected: 'a mount element (options.ui.container) or document.body',
        found,
      }),
  });
  const asking = new Map<CapabilityName, Promise<void>>();

  const cryptoObj = get(g, 'crypto') as { getRandomValues?: (a: Uint8Array) => Uint8Array } | undefined;
  const perf = get(g, 'performance') as { now?: () => number } | undefined;
  const base = baselineHandlers({
    ...(options.log ? { log: options.log } : {}),
    logDefault: { output: 'console' },
    ...(typeof cryptoObj?.getRandomValues === 'function'
      ? { randomFill: (out: Uint8Array) => void cryptoObj.getRandomValues!(out) }
      : {}),
    ...(typeof perf?.now === 'function' ? { monotonic: () => perf.now!() } : {}),
  });
  const timers = base.timers!;
  const handleLocal = createOpRouter(base.handlers, id);

  // Ask about the given capabilities (those still 'prompt') in one bridge request; concurrent asks share it.
  async function ask(items: readonly AskItem[]): Promise<void> {
    const fresh = items.filter((i) => perms.get(i.name)?.state === 'prompt' && !asking.has(i.name));
    const waits = items.map((i) => asking.get(i.name)).filter((p): p is Promise<void> => p !== undefined);
    if (fresh.length > 0) {
      const names = fresh.map((f) => f.name);
      const p = bridge
        .request(
          'permission',
          {
            capabilities: fresh.map((f) => ({
              name: f.name,
              ...(f.scope ? { scope: f.scope } : {}),
              ...(f.reason ? { reason: f.reason } : {}),
            })),
          },
          // A person answers a prompt: give them longer than a machine call.
          { phase: 'permission', timeoutMs: Math.max(options.timeoutMs ?? 30_000, 120_000) },
        )
        .then((reply) => {
          for (const [name, a] of parsePermissionReply(reply, names)) {
            perms.set(name, { state: a.granted ? 'granted' : 'denied', ...(a.reason ? { reason: a.reason } : {}) });
          }
        })
        .finally(() => {
          for (const n of names) asking.delete(n);
        });
      for (const n of names) asking.set(n, p);
      waits.push(p);
    }
    await Promise.all(waits);
  }

  function available(): CapabilityOffer[] {
    const offers = new Map<string, CapabilityOffer>();
    const allowed = (name: string) => !offers.has(name) && perms.get(name as CapabilityName)?.state !== 'denied';
    for (const c of hello.capabilities) {
      if (!allowed(c.name) || (c.name === 'ui' && uiMode !== 'native')) continue;
      offers.set(c.name, { name: c.name, ...(c.scope && { scope: c.scope }), ...(c.quota && { quota: c.quota }) });
    }
    for (const l of local) if (allowed(l)) offers.set(l, { name: l as CapabilityName });
    if (uiMode === 'dom' && !offers.has('ui')) offers.set('ui', { name: 'ui' });
    return [...offers.values()];
  }

  function handleReady(ins: UniversalInstruction, ctx: AdapterCallContext, cap: CapabilityName): unknown {
    const st = perms.get(cap);
    if (st?.state === 'denied') {
      throw inAppError({
        code: 'INAPP_PERMISSION_DENIED',
        phase: ins.op,
        what: `${ins.op} on the in-app host`,
        expected: `permission for ${cap}`,
        found: `the user denied it${st.reason ? `: ${st.reason}` : ''}`,
        details: { op: ins.op, capability: cap, reason: st.reason },
      });
    }
    // What the WebView does itself when the native side says so (`hello.local`: log, clock, random, timer).
    if (local.has(cap) && !(cap === 'random' && typeof cryptoObj?.getRandomValues !== 'function'))
      return handleLocal(ins, ctx);
    if (cap === 'ui' && uiMode === 'dom')
      return dom.handlers[ins.op as 'ui.render']!(ins.args as { tree: UiNode }, ctx);
    if (!native.has(cap) || (cap === 'ui' && uiMode !== 'native')) {
      throw new FaygerError({
        code: 'ADAPTER_UNSUPPORTED_OP',
        phase: ins.op,
        what: `${ins.op} on the in-app host (${hello.platform.os})`,
        expected: `a host app that offers ${cap}`,
        found: `the native side offers ${hello.capabilities.map((c) => c.name).join(', ') || 'nothing'}`,
        details: { op: ins.op, capability: cap, adapter: id },
      });
    }
    // The adapter confines calls itself before they leave the WebView, whatever bus drives it.
    const answered = confineInstruction(ins, ctx.grant);
    if (answered) return answered.value;
    const base = options.timeoutMs ?? 30_000;
    const timeoutMs = ins.timeoutMs ?? (ins.op === 'timer.sleep' ? (ins.args as { ms: number }).ms + base : base);
    return bridge.request(
      'call',
      {
        op: ins.op,
        args: ins.args,
        instanceId: ctx.instanceId,
        ...(ins.timeoutMs !== undefined ? { timeoutMs: ins.timeoutMs } : {}),
      },
      { timeoutMs, signal: ctx.signal, phase: ins.op },
    );
  }

  const adapter: InAppAdapter = {
    id,
    hostKind: 'in-app',
    platform: hello.platform,
    protocol: hello.protocol,
    transportKind: bridge.transport.kind,
    ignoredCapabilities: ignored,
    uiMode,
    get closed() {
      return bridge.closed;
    },
    available,
    detect: detectInApp,
    permissions: () => new Map(perms),
    async requestPermissions(requested) {
      await ask(requested.filter((r) => perms.has(r.name as CapabilityName)) as AskItem[]);
      return new Map(perms);
    },
    async negotiate(requested, policy) {
      await adapter.requestPermissions(requested);
      const report = coreNegotiate(requested, withBusServedOffers(available()), policy, { adapterId: id });
      for (const e of report.entries) {
        const st = perms.get(e.name as CapabilityName);
        if (st?.state !== 'denied' || e.granted) continue;
        const why = `the user denied ${e.name} in the host app${st.reason ? `: ${st.reason}` : ''}`;
        e.available = { allowed: false, reason: why };
        e.reason = [why, e.policy.allowed ? undefined : e.policy.reason].filter(Boolean).join('; ');
      }
      return report;
    },
    domUi: (instanceId) => dom.get(instanceId),
    handle: withHostErrorReporting(
      (ins, ctx) => {
        const cap = OP_CAPABILITY[ins.op];
        if (!emitters.has(ctx.instanceId)) emitters.set(ctx.instanceId, ctx.emit);
        if (perms.get(cap)?.state === 'prompt') return ask([{ name: cap }]).then(() => handleReady(ins, ctx, cap));
        return handleReady(ins, ctx, cap);
      },
      id,
      options.diagnostics,
    ),
    async dispose(instanceId) {
      emitters.delete(instanceId);
      timers.dispose(instanceId);
      dom.dispose(instanceId);
      if (bridge.closed) return;
      try {
        await bridge.request(
          'dispose',
          { instanceId },
          { timeoutMs: Math.min(options.timeoutMs ?? 30_000, 5000), phase: 'dispose' },
        );
      } catch (e) {
        // The instance is gone on this side either way; a native side that closed meanwhile has nothing to free.
        if (!FaygerError.is(e, 'BRIDGE_CLOSED')) throw e;
      }
    },
    async close() {
      const ids = new Set([...emitters.keys(), ...timers.instanceIds(), ...dom.instanceIds()]);
      for (const i of ids) {
        // One instance that fails to dispose must not keep the others (or the bridge) open: report and go on.
        await Promise.resolve(adapter.dispose(i)).catch((cause: unknown) => {
          const what = 'disposing an instance on close';
          problem(FaygerError.is(cause) ? cause : new FaygerError({ code: 'INTERNAL', phase: 'close', what, cause }));
        });
      }
      dom.close();
      bridge.close('adapter closed');
    },
  };
  return adapter;
}

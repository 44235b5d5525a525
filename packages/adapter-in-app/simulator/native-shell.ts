import { FaygerError, type FaygerErrorData, type UiNode, type UniversalEventType } from '@fayger/contracts';
import { inAppError } from '../src/errors.js';
import { decodeValue, encodeValue } from '@fayger/adapter-core';
import type {
  NativeCapability,
  NativeHello,
  PermissionAnswer,
  PermissionRequestItem,
  PermissionState,
} from '../src/protocol/wire.js';

/**
 * The native side of the in-app bridge, written in JS: what a host app (Swift/Kotlin/React Native) does,
 * so the adapter can be tested end to end without a phone. It speaks the v1 wire protocol over any of the
 * four transports, answers the handshake, asks for permissions, implements kv/clock/log/random/timer/
 * net.http/ui itself, and can misbehave on purpose.
 */

export type ShellTransport = 'webkit' | 'android' | 'react-native' | 'message-port';

/** Deliberate faults, checked for every message the shell receives. */
export interface Misbehaviour {
  /** Never answer these request kinds or ops (e.g. 'kv.get', 'hello', 'permission'). */
  drop?: string[];
  /** Answer these with text that is not JSON (string transports) or a broken envelope (MessagePort). */
  malformed?: string[];
  /** Answer these with a native error that has no Fayger code. */
  nativeError?: string[];
  /** Close the bridge (send `close`) instead of answering these. */
  closeOn?: string[];
  /** Report this protocol version in the hello reply. */
  protocol?: number;
}

export interface NativeShellOptions {
  platform?: NativeHello['platform'];
  capabilities?: NativeCapability[];
  local?: NativeHello['local'];
  nativeUi?: boolean;
  /**
   * Answers a permission prompt (the user). Default: allow everything. The simulator page passes its
   * dialog here.
   */
  prompt?: (items: PermissionRequestItem[]) => Promise<PermissionAnswer[]>;
  /** fetch used for net.http (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Renders a native UI tree (null clears); `send` pushes a ui.event back. */
  renderUi?: (
    instanceId: string,
    tree: UiNode | null,
    send: (data: { nodeId: string; kind: 'click' | 'input' | 'submit'; value?: string }) => void,
  ) => void;
  misbehave?: Misbehaviour;
  /** Delay before each reply in ms (a native hop is never synchronous). Default 0 (next macrotask). */
  replyDelayMs?: number;
}

export interface NativeLogRecord {
  instanceId: string;
  level: string;
  message: string;
  fields?: Record<string, string>;
}

export const DEFAULT_CAPABILITIES: NativeCapability[] = [
  { name: 'log' },
  { name: 'clock' },
  { name: 'random' },
  { name: 'timer' },
  { name: 'kv' },
  { name: 'net.http' },
  { name: 'ui' },
];

type Msg = Record<string, unknown>;

function fe(
  code: 'INAPP_PERMISSION_DENIED' | 'ADAPTER_UNSUPPORTED_OP' | 'ADAPTER_NET_FAILED' | 'INSTRUCTION_INVALID',
  phase: string,
  message: string,
  details: Record<string, unknown> = {},
): FaygerError {
  return inAppError({ code, phase, message, details });
}

export class NativeShell {
  misbehave: Misbehaviour;
  readonly logs: NativeLogRecord[] = [];
  /** Every message received, decoded (for tests). */
  readonly received: Msg[] = [];
  readonly kv = new Map<string, Uint8Array>();
  readonly permissions = new Map<string, { state: PermissionState; reason?: string }>();
  readonly uiTrees = new Map<string, UiNode | null>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly cancelled = new Set<string>();
  private out: ((wire: unknown) => void) | undefined;
  private structured = false;
  private closed_ = false;
  /** How many times a WebView side closed its bridge (close messages received). */
  webviewCloses = 0;
  private readonly epoch = Date.now();

  constructor(readonly options: NativeShellOptions = {}) {
    this.misbehave = options.misbehave ?? {};
    for (const c of this.capabilities)
      this.permissions.set(c.name, { state: c.permission ?? 'granted', ...(c.reason ? { reason: c.reason } : {}) });
  }

  get capabilities(): NativeCapability[] {
    return this.options.capabilities ?? DEFAULT_CAPABILITIES;
  }

  get closed(): boolean {
    return this.closed_;
  }

  /**
   * Installs the shell's bridge on a window: `webkit` adds `webkit.messageHandlers.<name>`, `android` adds
   * `<name>.postMessage`, `react-native` adds `ReactNativeWebView.postMessage` and answers with `message`
   * events. Replies go to `window.__faygerBridge.receive(json)` (webkit, android).
   */
  attachToWindow(win: Record<string, unknown>, kind: Exclude<ShellTransport, 'message-port'>, name?: string): void {
    this.structured = false;
    const post = { postMessage: (m: unknown) => this.receive(m) };
    if (kind === 'webkit') {
      const webkit = ((win.webkit as Msg | undefined) ?? (win.webkit = {})) as Msg;
      const handlers = ((webkit.messageHandlers as Msg | undefined) ?? (webkit.messageHandlers = {})) as Msg;
      handlers[name ?? 'fayger'] = post;
      this.out = (wire) => (win.__faygerBridge as { receive?: (m: unknown) => void } | undefined)?.receive?.(wire);
    } else if (kind === 'android') {
      win[name ?? 'FaygerAndroid'] = post;
      this.out = (wire) => (win.__faygerBridge as { receive?: (m: unknown) => void } | undefined)?.receive?.(wire);
    } else {
      win.ReactNativeWebView = post;
      this.out = (wire) => {
        const Ev = win.MessageEvent as (new (t: string, i: { data: unknown }) => Event) | undefined;
        const target = win as unknown as EventTarget;
        if (Ev && typeof target.dispatchEvent === 'function') target.dispatchEvent(new Ev('message', { data: wire }));
        else (win.__faygerBridge as { receive?: (m: unknown) => void } | undefined)?.receive?.(wire);
      };
    }
  }

  /** Serves the bridge over a MessagePort (the other end goes to the adapter). */
  attachToPort(port: {
    postMessage(m: unknown): void;
    addEventListener?: (t: 'message', l: (e: { data: unknown }) => void) => void;
    start?: () => void;
    on?: (t: 'message', l: (d: unknown) => void) => void;
  }): void {
    this.structured = true;
    this.out = (wire) => port.postMessage(wire);
    if (typeof port.addEventListener === 'function') {
      port.addEventListener('message', (e) => this.receive(e.data));
      port.start?.();
    } else port.on?.('message', (d) => this.receive(d));
  }

  /** Pushes a host event to the WebView (e.g. app.lifecycle); no instanceId broadcasts it. */
  pushEvent(type: UniversalEventType, data: unknown, instanceId?: string): void {
    this.send({
      fayger: 1,
      kind: 'event',
      ...(instanceId !== undefined ? { instanceId } : {}),
      event: { type, data, time: Date.now() },
    });
  }

  /** The native side closes the bridge (app going away). */
  close(reason = 'host app closed the bridge'): void {
    if (this.closed_) return;
    this.send({ fayger: 1, kind: 'close', reason });
    this.closed_ = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Sends raw wire data as-is (tests of malformed input). */
  sendRaw(wire: unknown): void {
    this.deliver(wire);
  }

  /** Revokes a permission (the user changed it in the app's settings); later calls are denied natively. */
  revoke(name: string, reason = 'revoked in the host app settings'): void {
    this.permissions.set(name, { state: 'denied', reason });
  }

  private deliver(wire: unknown): void {
    const out = this.out;
    if (!out) return;
    setTimeout(() => out(wire), this.options.replyDelayMs ?? 0);
  }

  private send(msg: Msg): void {
    if (this.closed_) return;
    this.deliver(this.structured ? msg : JSON.stringify(encodeValue(msg)));
  }

  private reply(
    id: string,
    result: { ok: true; value: unknown } | { ok: false; error: FaygerErrorData | { message: string; code?: string } },
    key: string,
  ): void {
    if (this.cancelled.delete(id)) return;
    const mb = this.misbehave;
    if (mb.drop?.includes(key)) return;
    if (mb.closeOn?.includes(key)) return this.close(`closed while handling ${key}`);
    if (mb.malformed?.includes(key)) {
      this.deliver(
        this.structured
          ? { fayger: 1, kind: 'reply', id, ok: 'maybe' }
          : `{"fayger":1,"kind":"reply","id":"${id}","ok":tru`,
      );
      return;
    }
    if (mb.nativeError?.includes(key)) {
      this.send({
        fayger: 1,
        kind: 'reply',
        id,
        ok: false,
        error: { message: 'NSInternalInconsistencyException: simulated native failure', code: 'E_NATIVE' },
      });
      return;
    }
    this.send({ fayger: 1, kind: 'reply', id, ...result });
  }

  private receive(wire: unknown): void {
    if (this.closed_) return;
    let msg: Msg;
    try {
      msg = (this.structured ? wire : decodeValue(JSON.parse(String(wire)))) as Msg;
    } catch {
      return; // A real native side would log and drop it.
    }
    this.received.push(msg);
    const id = msg.id as string;
    switch (msg.kind) {
      case 'hello': {
        const hello: NativeHello = {
          protocol: this.misbehave.protocol ?? 1,
          platform: this.options.platform ?? { os: 'simulator', app: 'Fayger native-shell simulator', version: '1.0' },
          capabilities: this.capabilities.map((c) => ({
            ...c,
            permission: this.permissions.get(c.name)?.state ?? 'granted',
          })),
          ...(this.options.local ? { local: this.options.local } : {}),
          nativeUi: this.options.nativeUi ?? false,
        };
        this.reply(id, { ok: true, value: hello }, 'hello');
        return;
      }
      case 'permission': {
        const items = (msg.capabilities as PermissionRequestItem[]) ?? [];
        const prompt =
          this.options.prompt ??
          (async (xs: PermissionRequestItem[]): Promise<PermissionAnswer[]> =>
            xs.map((x) => ({ name: x.name, granted: true })));
        const undecided = items.filter((i) => this.permissions.get(i.name)?.state === 'prompt');
        void prompt(undecided).then((answers) => {
          for (const a of answers)
            this.permissions.set(a.name, {
              state: a.granted ? 'granted' : 'denied',
              ...(a.reason ? { reason: a.reason } : {}),
            });
          const all = items.map((i) => {
            const p = this.permissions.get(i.name);
            return { name: i.name, granted: p?.state === 'granted', ...(p?.reason ? { reason: p.reason } : {}) };
          });
          this.reply(id, { ok: true, value: { answers: all } }, 'permission');
        });
        return;
      }
      case 'call':
        void this.call(msg).then(
          (value) => this.reply(id, { ok: true, value }, msg.op as string),
          (e: unknown) =>
            this.reply(
              id,
              { ok: false, error: FaygerError.is(e) ? e.toJSON() : { message: String(e) } },
              msg.op as string,
            ),
        );
        return;
      case 'cancel':
        this.cancelled.add(id);
        return;
      case 'dispose': {
        const inst = msg.instanceId as string;
        for (const [k, t] of this.timers) {
          if (k.startsWith(`${inst}\u0000`)) {
            clearTimeout(t);
            this.timers.delete(k);
          }
        }
        if (this.uiTrees.has(inst)) this.options.renderUi?.(inst, null, () => {});
        this.uiTrees.delete(inst);
        this.reply(id, { ok: true, value: {} }, 'dispose');
        return;
      }
      case 'close':
        // The WebView went away; a real host app keeps running and accepts the next page's hello.
        this.webviewCloses++;
        return;
      default:
        return;
    }
  }

  private async call(msg: Msg): Promise<unknown> {
    const op = msg.op as string;
    const a = (msg.args ?? {}) as Record<string, unknown>;
    const inst = msg.instanceId as string;
    const cap = op === 'net.http' ? 'net.http' : op.split('.')[0]!;
    const perm = this.permissions.get(cap);
    if (!perm) throw fe('ADAPTER_UNSUPPORTED_OP', op, `the simulator does not offer ${cap}`, { op });
    if (perm.state !== 'granted')
      throw fe(
        'INAPP_PERMISSION_DENIED',
        op,
        `${op}: permission for ${cap} is ${perm.state}${perm.reason ? ` (${perm.reason})` : ''}. Ask the user to allow it in the host app settings.`,
        { op, capability: cap, reason: perm.reason },
      );
    switch (op) {
      case 'log.write':
        this.logs.push({
          instanceId: inst,
          level: a.level as string,
          message: a.message as string,
          ...(a.fields ? { fields: a.fields as Record<string, string> } : {}),
        });
        return {};
      case 'clock.now':
        // A native monotonic clock: milliseconds since the shell started.
        return { timeMs: a.clock === 'realtime' ? Date.now() : Date.now() - this.epoch };
      case 'random.bytes': {
        const out = new Uint8Array(a.length as number);
        for (let i = 0; i < out.length; i += 65536)
          globalThis.crypto.getRandomValues(out.subarray(i, Math.min(out.length, i + 65536)));
        return { bytes: out };
      }
      case 'timer.sleep':
        await new Promise((r) => setTimeout(r, a.ms as number));
        return {};
      case 'timer.set': {
        const key = `${inst}\u0000${a.timerId as string}`;
        const old = this.timers.get(key);
        if (old !== undefined) clearTimeout(old);
        const fire = () => {
          this.pushEvent('timer.fired', { timerId: a.timerId }, inst);
          if (a.repeat === true) this.timers.set(key, setTimeout(fire, a.ms as number));
          else this.timers.delete(key);
        };
        this.timers.set(key, setTimeout(fire, a.ms as number));
        return {};
      }
      case 'timer.clear': {
        const key = `${inst}\u0000${a.timerId as string}`;
        const t = this.timers.get(key);
        if (t !== undefined) clearTimeout(t);
        this.timers.delete(key);
        return {};
      }
      case 'kv.get':
      case 'kv.set':
      case 'kv.delete':
      case 'kv.list': {
        const ns = (a.namespace as string | undefined) ?? 'default';
        const k = `${ns}\u0000${(a.key as string | undefined) ?? ''}`;
        if (op === 'kv.get') return { value: this.kv.get(k) ?? null };
        if (op === 'kv.set') {
          if (!(a.value instanceof Uint8Array)) throw fe('INSTRUCTION_INVALID', op, 'kv.set: value must be bytes');
          this.kv.set(k, a.value);
          return {};
        }
        if (op === 'kv.delete') {
          this.kv.delete(k);
          return {};
        }
        const prefix = `${ns}\u0000${(a.prefix as string | undefined) ?? ''}`;
        const keys = [...this.kv.keys()]
          .filter((x) => x.startsWith(prefix))
          .map((x) => x.slice(ns.length + 1))
          .sort();
        return { keys: keys.slice(0, (a.limit as number | undefined) ?? keys.length) };
      }
      case 'net.http': {
        const f = this.options.fetch ?? globalThis.fetch;
        try {
          const res = await f(a.url as string, {
            method: a.method as string,
            headers: (a.headers as Record<string, string> | undefined) ?? {},
            ...(a.body instanceof Uint8Array ? { body: a.body as BufferSource } : {}),
          });
          const headers: Record<string, string> = {};
          res.headers.forEach((v, k) => (headers[k] = v));
          return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
        } catch (e) {
          throw fe('ADAPTER_NET_FAILED', op, `net.http ${a.url as string} failed: ${String(e)}`, { url: a.url });
        }
      }
      case 'ui.render':
      case 'ui.clear': {
        if (!this.options.nativeUi)
          throw fe('ADAPTER_UNSUPPORTED_OP', op, 'the simulator renders no native UI (nativeUi: false)', { op });
        const tree = op === 'ui.render' ? (a.tree as UiNode) : null;
        this.uiTrees.set(inst, tree);
        this.options.renderUi?.(inst, tree, (data) => this.pushEvent('ui.event', data, inst));
        return {};
      }
      default:
        throw fe('ADAPTER_UNSUPPORTED_OP', op, `the simulator does not implement ${op}`, { op });
    }
  }
}

export function createNativeShell(options: NativeShellOptions = {}): NativeShell {
  return new NativeShell(options);
}

import { FaygerError, isErrorCode, type ErrorCode, type FaygerErrorData } from '@fayger/contracts';
import { CodecError, checkCloneable, decodeValue, encodeValue } from './codec.js';
import {
  checkIncoming,
  isWireProblem,
  type LinkEvent,
  type LinkIncoming,
  type LinkOutgoing,
  type LinkReply,
} from './envelope.js';
import type { LinkTransport } from './transport.js';

/** The codes a link fails with. An adapter that registers its own (the in-app bridge's BRIDGE_*) passes them. */
export interface HostLinkCodes {
  /** No reply before the deadline (default ADAPTER_TIMEOUT). */
  timeout: ErrorCode;
  /** The link is closed, by either side (default ADAPTER_LINK_CLOSED). */
  closed: ErrorCode;
  /** An incoming message that is not the v1 envelope (default ADAPTER_LINK_MALFORMED). */
  malformed: ErrorCode;
  /** Encoding or posting a message failed (default ADAPTER_LINK_SEND_FAILED). */
  sendFailed: ErrorCode;
  /** The other side answered with an error that has no catalogue code (default ADAPTER_LINK_REMOTE_ERROR). */
  remoteError: ErrorCode;
}

const DEFAULT_CODES: HostLinkCodes = {
  timeout: 'ADAPTER_TIMEOUT',
  closed: 'ADAPTER_LINK_CLOSED',
  malformed: 'ADAPTER_LINK_MALFORMED',
  sendFailed: 'ADAPTER_LINK_SEND_FAILED',
  remoteError: 'ADAPTER_LINK_REMOTE_ERROR',
};

export interface HostLinkOptions {
  transport: LinkTransport;
  /** Default deadline of a request in ms (default 30000). */
  timeoutMs?: number;
  /** Host events pushed by the other side. */
  onEvent?: (message: LinkEvent) => void;
  /** Messages that could not be used (malformed, unknown id, late replies); the link keeps running. */
  onProblem?: (error: FaygerError) => void;
  /** Called once when the link closes, with the error later calls fail with. */
  onClose?: (error: FaygerError) => void;
  /** The codes to fail with (default: adapter-core's ADAPTER_TIMEOUT and ADAPTER_LINK_*). */
  codes?: Partial<HostLinkCodes>;
  /**
   * How errors name the two sides and the link: `peer` the other side ('native' → "the native reply",
   * details `nativeCode`; default 'host'), `self` this side (default 'this side'), `name` the link ('bridge').
   */
  names?: { peer?: string; self?: string; name?: string };
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Aborting rejects the request (ADAPTER_CANCELLED) and tells the other side to cancel it. */
  signal?: AbortSignal;
  /** Names the request in errors (an op name, "hello"). */
  phase?: string;
}

interface PendingRequest {
  phase: string;
  resolve(v: unknown): void;
  reject(e: FaygerError): void;
  cleanup(): void;
}

type RequestKind<Out> =
  Extract<Out, { id: string }> extends infer R
    ? R extends { kind: infer K extends string }
      ? K extends 'cancel'
        ? never
        : K
      : never
    : never;
type Body<Out, K> = [Extract<Out, { kind: K }>] extends [never]
  ? Record<string, unknown>
  : Omit<Extract<Out, { kind: K }>, 'fayger' | 'kind' | 'id'>;

let sessionCounter = 0;

/**
 * Rebuilds the error a reply carries: a catalogue FaygerError passes through as it is; anything else becomes
 * `codes.remoteError` with the other side's code and message in the details (`<peer>Code`, `<peer>Message`).
 */
export function remoteError(
  error: FaygerErrorData | { message: string; code?: string },
  phase: string,
  options: Pick<HostLinkOptions, 'codes' | 'names'> = {},
): FaygerError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && isErrorCode(code) && (error as FaygerErrorData).name === 'FaygerError') {
    const data = error as FaygerErrorData;
    return FaygerError.fromJSON({
      ...data,
      phase: typeof data.phase === 'string' ? data.phase : phase,
      details: data.details !== null && typeof data.details === 'object' ? data.details : {},
      retryable: data.retryable === true,
    });
  }
  const peer = options.names?.peer ?? 'host';
  return new FaygerError({
    code: options.codes?.remoteError ?? DEFAULT_CODES.remoteError,
    phase,
    what: `the ${peer} side handling ${phase}`,
    expected: 'a result',
    found: `a ${peer} error${typeof code === 'string' ? ` ${code}` : ''}: ${String(error.message).slice(0, 500)}`,
    details: { [`${peer}Code`]: code, [`${peer}Message`]: String(error.message).slice(0, 4096) },
  });
}

/**
 * A request/reply link to a host in another context — a WebView's native app, a worker, an iframe's parent, an
 * Electron main process — over any `LinkTransport`: correlation ids, per-request deadlines, cancellation
 * (`cancel` messages), host events, a close handshake, and every failure as a typed FaygerError (never a hang,
 * never an untyped throw). `Out` types the adapter's own request kinds.
 */
export class HostLink<Out extends LinkOutgoing = LinkOutgoing> {
  readonly transport: LinkTransport;
  private readonly timeoutMs: number;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly stopListening: () => void;
  private readonly prefix: string;
  private seq = 0;
  private closedWith: FaygerError | undefined;
  private readonly o: HostLinkOptions;
  private readonly codes: HostLinkCodes;
  private readonly peer: string;
  private readonly name: string;

  constructor(options: HostLinkOptions) {
    this.o = options;
    this.transport = options.transport;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.codes = { ...DEFAULT_CODES, ...options.codes };
    this.peer = options.names?.peer ?? 'host';
    this.name = options.names?.name ?? 'link';
    // A reply meant for a previous page load (same other side, reloaded page) must not match a new id.
    this.prefix = `${Date.now().toString(36)}${(++sessionCounter).toString(36)}`;
    this.stopListening = this.transport.listen((m) => this.receive(m));
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Pending request count (for diagnostics and tests). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends a request and resolves with the reply's value (rejects with a typed FaygerError). */
  request<K extends RequestKind<Out>>(kind: K, body: Body<Out, K>, options: RequestOptions = {}): Promise<unknown> {
    const phase = options.phase ?? kind;
    if (this.closedWith) return Promise.reject(this.closedError(phase));
    if (options.signal?.aborted) return Promise.reject(this.cancelled(phase));
    const id = `${this.prefix}-${++this.seq}`;
    return new Promise<unknown>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fail = (e: FaygerError) => {
        if (!this.pending.has(id)) return;
        this.settle(id)?.reject(e);
        this.post({ fayger: 1, kind: 'cancel', id });
      };
      const onAbort = () => fail(this.cancelled(phase));
      this.pending.set(id, {
        phase,
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      });
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        timer = setTimeout(
          () =>
            fail(
              new FaygerError({
                code: this.codes.timeout,
                phase,
                what: `waiting for the ${this.peer} reply to ${phase}`,
                expected: `a reply to request ${id} within ${timeoutMs} ms`,
                found: 'no reply',
                details: { requestId: id, kind, timeoutMs, transport: this.transport.kind },
              }),
            ),
          timeoutMs,
        );
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.send({ fayger: 1, kind, id, ...body } as unknown as LinkOutgoing, phase);
      } catch (e) {
        this.settle(id)?.reject(e as FaygerError);
      }
    });
  }

  /** Sends a message that expects no reply; failures go to onProblem. */
  post(message: Out | LinkOutgoing): void {
    if (this.closedWith) return;
    try {
      this.send(message, message.kind);
    } catch (e) {
      this.o.onProblem?.(e as FaygerError);
    }
  }

  /** Closes the link: pending and later requests fail `codes.closed`; the other side gets a close message. */
  close(reason = `closed by ${this.o.names?.self ?? 'this side'}`): void {
    if (this.closedWith) return;
    this.post({ fayger: 1, kind: 'close', reason });
    this.shutdown(reason, this.o.names?.self ?? 'this side');
  }

  private shutdown(reason: string, by: string): void {
    this.closedWith = new FaygerError({
      code: this.codes.closed,
      phase: this.name,
      what: `using the ${this.name}`,
      expected: `an open ${this.name}`,
      found: `a ${this.name} closed by ${by}: ${reason}`,
      details: { reason, by, transport: this.transport.kind },
    });
    this.stopListening();
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      p.cleanup();
      p.reject(this.closedError(p.phase));
    }
    this.o.onClose?.(this.closedWith);
  }

  private closedError(phase: string): FaygerError {
    const base = this.closedWith!;
    return new FaygerError({ code: base.code, phase, message: base.message, details: base.details });
  }

  private cancelled(phase: string): FaygerError {
    return new FaygerError({
      code: 'ADAPTER_CANCELLED',
      phase,
      what: `waiting for the ${this.peer} reply to ${phase}`,
      expected: 'the call to run to completion',
      found: 'the call was cancelled (instance ended, deadline passed, or the caller aborted)',
    });
  }

  private send(message: LinkOutgoing, phase: string): void {
    const failed = (doing: string, expected: string, found: string, cause: unknown) =>
      new FaygerError({
        code: this.codes.sendFailed,
        phase,
        what: `${doing} the ${this.transport.kind} ${this.name}`,
        expected,
        found,
        cause,
      });
    let wire: unknown;
    try {
      if (this.transport.structured) {
        checkCloneable(message);
        wire = message;
      } else {
        wire = JSON.stringify(encodeValue(message));
      }
    } catch (e) {
      throw failed(
        `encoding a ${message.kind} message for`,
        'plain data (strings, numbers, booleans, null, arrays, objects, Uint8Array)',
        e instanceof CodecError ? `${e.message} at ${e.path || '/'}` : String(e),
        e,
      );
    }
    try {
      this.transport.send(wire);
    } catch (e) {
      throw failed(
        `posting a ${message.kind} message over`,
        'the transport to accept the message',
        e instanceof Error ? `${e.name}: ${e.message}` : String(e),
        e,
      );
    }
  }

  private settle(id: string): PendingRequest | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    p.cleanup();
    return p;
  }

  private malformed(found: string, field: string, expected: string, raw: unknown): FaygerError {
    return new FaygerError({
      code: this.codes.malformed,
      phase: 'receive',
      what: `reading a message from the ${this.transport.kind} ${this.name}`,
      expected: `${expected} at ${field}`,
      found,
      details: {
        field,
        transport: this.transport.kind,
        sample: typeof raw === 'string' ? raw.slice(0, 200) : undefined,
      },
    });
  }

  /** Fails the request a broken message was meant for, if its id can still be read; otherwise reports it. */
  private reject(err: FaygerError, raw: unknown): void {
    let id: string | undefined;
    if (typeof raw === 'string') {
      // The text is not usable JSON, but a reply that names a pending id should fail that call now rather
      // than leave it to time out.
      for (const m of raw.matchAll(/"id"\s*:\s*"([^"\\]{1,128})"/g)) if (this.pending.has(m[1]!)) id = m[1];
    } else if (raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string') {
      id = (raw as { id: string }).id;
    }
    const p = id !== undefined ? this.settle(id) : undefined;
    if (p) p.reject(new FaygerError({ code: err.code, phase: p.phase, message: err.message, details: err.details }));
    else this.o.onProblem?.(err);
  }

  private decode(raw: unknown): LinkIncoming | undefined {
    let msg: unknown = raw;
    if (typeof raw === 'string') {
      try {
        msg = decodeValue(JSON.parse(raw));
      } catch (e) {
        const codec = e instanceof CodecError;
        const found = codec
          ? `${e.message} at ${e.path || '/'}`
          : `text that is not JSON (${String((e as Error).message).slice(0, 120)})`;
        const field = codec ? e.path || '/' : '/';
        this.reject(this.malformed(found, field, 'a JSON message of the v1 wire protocol', raw), raw);
        return undefined;
      }
    } else if (!this.transport.structured) {
      this.reject(this.malformed(`a ${typeof raw}`, '/', 'a JSON string', raw), raw);
      return undefined;
    }
    const checked = checkIncoming(msg);
    if (!isWireProblem(checked)) return checked;
    this.reject(this.malformed(checked.found, checked.field, checked.expected, raw), msg);
    return undefined;
  }

  private receive(raw: unknown): void {
    if (this.closedWith) return;
    const msg = this.decode(raw);
    if (msg?.kind === 'reply') this.answer(msg);
    else if (msg?.kind === 'event') this.o.onEvent?.(msg);
    else if (msg?.kind === 'close')
      this.shutdown(typeof msg.reason === 'string' ? msg.reason : 'no reason given', `the ${this.peer} side`);
  }

  private answer(reply: LinkReply): void {
    const p = this.settle(reply.id);
    if (!p) {
      this.o.onProblem?.(
        new FaygerError({
          code: this.codes.malformed,
          phase: 'receive',
          what: `matching a ${this.peer} reply to its request`,
          expected: 'the id of a pending request',
          found: `${JSON.stringify(reply.id)} (already answered, timed out, cancelled, or never sent)`,
          details: { id: reply.id, transport: this.transport.kind },
        }),
      );
    } else if (reply.ok) p.resolve(reply.value);
    else p.reject(remoteError(reply.error, p.phase, this.o));
  }
}

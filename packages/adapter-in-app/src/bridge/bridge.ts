import { FaygerError, isErrorCode, type FaygerErrorData } from '@fayger/contracts';
import { CodecError, checkCloneable, decodeValue, encodeValue } from '../protocol/codec.js';
import { checkIncoming, isWireProblem, type IncomingMessage, type OutgoingMessage } from '../protocol/wire.js';
import type { BridgeTransport } from './transports.js';
import { inAppError } from '../errors.js';

type Body<K extends OutgoingMessage['kind']> = Omit<Extract<OutgoingMessage, { kind: K }>, 'fayger' | 'kind' | 'id'>;
type RequestKind = Extract<OutgoingMessage, { id: string }>['kind'];

export interface MessageBridgeOptions {
  transport: BridgeTransport;
  /** Default deadline of a request in ms (default 30000). */
  timeoutMs?: number;
  /** Host events pushed by the native side. */
  onEvent?: (message: Extract<IncomingMessage, { kind: 'event' }>) => void;
  /** Messages that could not be used (malformed, unknown id, late replies); the bridge keeps running. */
  onProblem?: (error: FaygerError) => void;
  /** Called once when the bridge closes, with the error later calls fail with. */
  onClose?: (error: FaygerError) => void;
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Aborting rejects the request and tells the native side to cancel it. */
  signal?: AbortSignal;
  /** Names the request in errors (an op name, "hello"). */
  phase?: string;
}

interface PendingRequest {
  kind: RequestKind;
  phase: string;
  resolve(v: unknown): void;
  reject(e: FaygerError): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  cleanup(): void;
}

let sessionCounter = 0;

/** Rebuilds the error a native reply carries: a catalogue code passes through, anything else is BRIDGE_NATIVE_ERROR. */
export function nativeError(error: FaygerErrorData | { message: string; code?: string }, phase: string): FaygerError {
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
  return inAppError({
    code: 'BRIDGE_NATIVE_ERROR',
    phase,
    what: `the native side handling ${phase}`,
    expected: 'a result',
    found: `a native error${typeof code === 'string' ? ` ${code}` : ''}: ${String(error.message).slice(0, 500)}`,
    details: { nativeCode: code, nativeMessage: String(error.message).slice(0, 4096) },
  });
}

/**
 * One request/response channel to the native side: correlation ids, per-request deadlines, cancellation,
 * host events, and every failure as a typed FaygerError (never a hang, never an untyped throw).
 */
export class MessageBridge {
  readonly transport: BridgeTransport;
  private readonly timeoutMs: number;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly stopListening: () => void;
  private readonly prefix: string;
  private seq = 0;
  private closedWith: FaygerError | undefined;
  private readonly o: MessageBridgeOptions;

  constructor(options: MessageBridgeOptions) {
    this.o = options;
    this.transport = options.transport;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    // A reply meant for a previous page load (same native side, reloaded WebView) must not match a new id.
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

  /** Sends a request and resolves with the native reply's value (rejects with a typed FaygerError). */
  request<K extends RequestKind>(kind: K, body: Body<K>, options: RequestOptions = {}): Promise<unknown> {
    const phase = options.phase ?? kind;
    if (this.closedWith) return Promise.reject(this.closedError(phase));
    if (options.signal?.aborted) return Promise.reject(this.cancelled(phase));
    const id = `${this.prefix}-${++this.seq}`;
    return new Promise<unknown>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      const onAbort = () => {
        if (!this.pending.has(id)) return;
        this.settle(id)?.reject(this.cancelled(phase));
        this.post({ fayger: 1, kind: 'cancel', id });
      };
      const p: PendingRequest = {
        kind,
        phase,
        resolve,
        reject,
        timer: undefined,
        cleanup: () => {
          if (p.timer !== undefined) clearTimeout(p.timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        p.timer = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.settle(id)?.reject(
            inAppError({
              code: 'BRIDGE_TIMEOUT',
              phase,
              what: `waiting for the native reply to ${phase}`,
              expected: `a reply to request ${id} within ${timeoutMs} ms`,
              found: 'no reply',
              details: { requestId: id, kind, timeoutMs, transport: this.transport.kind },
            }),
          );
          this.post({ fayger: 1, kind: 'cancel', id });
        }, timeoutMs);
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, p);
      try {
        this.send({ fayger: 1, kind, id, ...body } as OutgoingMessage, phase);
      } catch (e) {
        this.settle(id)?.reject(e as FaygerError);
      }
    });
  }

  /** Sends a message that expects no reply; failures go to onProblem. */
  post(message: OutgoingMessage): void {
    if (this.closedWith) return;
    try {
      this.send(message, message.kind);
    } catch (e) {
      this.o.onProblem?.(e as FaygerError);
    }
  }

  /** Closes the bridge: pending and later requests fail BRIDGE_CLOSED; the native side gets a close message. */
  close(reason = 'closed by the WebView'): void {
    if (this.closedWith) return;
    this.post({ fayger: 1, kind: 'close', reason });
    this.shutdown(reason, 'the WebView');
  }

  private shutdown(reason: string, by: string): void {
    this.closedWith = inAppError({
      code: 'BRIDGE_CLOSED',
      phase: 'bridge',
      what: 'using the in-app bridge',
      expected: 'an open bridge',
      found: `a bridge closed by ${by}: ${reason}`,
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
    return inAppError({ code: 'BRIDGE_CLOSED', phase, message: base.message, details: base.details });
  }

  private cancelled(phase: string): FaygerError {
    return new FaygerError({
      code: 'ADAPTER_CANCELLED',
      phase,
      what: `waiting for the native reply to ${phase}`,
      expected: 'the call to run to completion',
      found: 'the call was cancelled (instance ended, deadline passed, or the caller aborted)',
    });
  }

  private send(message: OutgoingMessage, phase: string): void {
    const failed = (doing: string, expected: string, found: string, cause: unknown) =>
      inAppError({
        code: 'BRIDGE_SEND_FAILED',
        phase,
        what: `${doing} the ${this.transport.kind} bridge`,
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
    return inAppError({
      code: 'BRIDGE_MALFORMED_MESSAGE',
      phase: 'receive',
      what: `reading a message from the ${this.transport.kind} bridge`,
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
    if (p)
      p.reject(
        inAppError({
          code: 'BRIDGE_MALFORMED_MESSAGE',
          phase: p.phase,
          message: err.message,
          details: err.details,
        }),
      );
    else this.o.onProblem?.(err);
  }

  private receive(raw: unknown): void {
    if (this.closedWith) return;
    let msg: unknown = raw;
    if (typeof raw === 'string') {
      try {
        msg = decodeValue(JSON.parse(raw));
      } catch (e) {
        const found =
          e instanceof CodecError
            ? `${e.message} at ${e.path || '/'}`
            : `text that is not JSON (${String((e as Error).message).slice(0, 120)})`;
        this.reject(
          this.malformed(
            found,
            e instanceof CodecError ? e.path || '/' : '/',
            'a JSON message of the v1 wire protocol',
            raw,
          ),
          raw,
        );
        return;
      }
    } else if (!this.transport.structured) {
      this.reject(this.malformed(`a ${typeof raw}`, '/', 'a JSON string', raw), raw);
      return;
    }
    const checked = checkIncoming(msg);
    if (isWireProblem(checked)) {
      this.reject(this.malformed(checked.found, checked.field, checked.expected, raw), msg);
      return;
    }
    switch (checked.kind) {
      case 'reply': {
        const p = this.settle(checked.id);
        if (!p) {
          this.o.onProblem?.(
            inAppError({
              code: 'BRIDGE_MALFORMED_MESSAGE',
              phase: 'receive',
              what: 'matching a native reply to its request',
              expected: 'the id of a pending request',
              found: `${JSON.stringify(checked.id)} (already answered, timed out, cancelled, or never sent)`,
              details: { id: checked.id, transport: this.transport.kind },
            }),
          );
          return;
        }
        if (checked.ok) p.resolve(checked.value);
        else p.reject(nativeError(checked.error, p.phase));
        return;
      }
      case 'event':
        this.o.onEvent?.(checked);
        return;
      case 'close':
        this.shutdown(typeof checked.reason === 'string' ? checked.reason : 'no reason given', 'the native side');
        return;
    }
  }
}

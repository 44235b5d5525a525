import { FaygerError } from '@fayger/contracts';

/**
 * How a host link's messages reach the other side and come back. String transports (`structured: false`)
 * carry JSON text (bytes as `{"$b64": …}`, see `encodeValue`); structured ones carry the message objects by
 * structured clone (bytes stay Uint8Array).
 */
export interface LinkTransport {
  /** Names the transport in errors: 'message-port', 'webkit', 'electron-ipc', … */
  readonly kind: string;
  readonly structured: boolean;
  /** Posts one message: a string when `structured` is false, the message object otherwise. */
  send(message: unknown): void;
  /** Starts delivering incoming messages (strings or objects) to `receive`; returns a function that stops it. */
  listen(receive: (message: unknown) => void): () => void;
}

/** A minimal MessagePort: the DOM's (window, iframe, worker) or node:worker_threads'. */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener?(type: 'message', listener: (e: { data: unknown }) => void): void;
  removeEventListener?(type: 'message', listener: (e: { data: unknown }) => void): void;
  start?(): void;
  on?(type: 'message', listener: (data: unknown) => void): void;
  off?(type: 'message', listener: (data: unknown) => void): void;
}

/** Whether `port` can carry a link: it posts, and it delivers `message` events one way or the other. */
export function isPortLike(port: unknown): port is PortLike {
  const p = port as PortLike | null;
  return (
    p !== null &&
    typeof p === 'object' &&
    typeof p.postMessage === 'function' &&
    (typeof p.addEventListener === 'function' || typeof p.on === 'function')
  );
}

/**
 * A structured transport over a MessagePort (a worker, an iframe, a native shell exposing a port, Electron's
 * MessagePortMain): objects and bytes by structured clone. INVALID_ARGUMENT for anything that is not a port.
 */
export function messagePortTransport(port: PortLike, kind = 'message-port'): LinkTransport {
  if (!isPortLike(port)) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'connect',
      what: `connecting the ${kind} transport`,
      expected: 'a MessagePort (postMessage, and addEventListener or on("message"))',
      found: port === null ? 'null' : typeof port === 'object' ? 'an object that is not a port' : typeof port,
      details: { transport: kind },
    });
  }
  return {
    kind,
    structured: true,
    send: (m) => port.postMessage(m),
    listen: (r) => {
      if (typeof port.addEventListener === 'function') {
        const l = (e: { data: unknown }) => r(e.data);
        port.addEventListener('message', l);
        port.start?.();
        return () => port.removeEventListener?.('message', l);
      }
      const l = (data: unknown) => r(data);
      port.on!('message', l);
      return () => port.off?.('message', l);
    },
  };
}

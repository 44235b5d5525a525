import type { FaygerErrorData, UniversalEventType } from '@fayger/contracts';

/**
 * The host link's envelope, version 1: every message is one object with `fayger: 1` and a `kind`. The side
 * that drives the link sends requests (any kind with an `id`), `cancel` (`id`) and `close`; the other side
 * answers each request with one `reply`, pushes `event`s, and may `close`.
 */
export type LinkReply =
  | { fayger: 1; kind: 'reply'; id: string; ok: true; value: unknown }
  | { fayger: 1; kind: 'reply'; id: string; ok: false; error: FaygerErrorData | { message: string; code?: string } };
/** A host event pushed to one instance (`instanceId`) or to every instance that has called. */
export type LinkEvent = {
  fayger: 1;
  kind: 'event';
  instanceId?: string;
  event: { type: UniversalEventType; data: unknown; time?: number };
};
export type LinkClose = { fayger: 1; kind: 'close'; reason?: string };
/** What the driving side receives. */
export type LinkIncoming = LinkReply | LinkEvent | LinkClose;
/** What the driving side sends: requests of the adapter's own kinds, plus the link's `cancel` and `close`. */
export type LinkOutgoing =
  | { fayger: 1; kind: string; id: string; [field: string]: unknown }
  | { fayger: 1; kind: 'cancel'; id: string }
  | { fayger: 1; kind: 'close'; reason?: string };

/** Why an incoming message was rejected, with the field at fault. */
export interface WireProblem {
  field: string;
  expected: string;
  found: string;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks the envelope of a decoded incoming message; returns it typed, or the first problem found. */
export function checkIncoming(msg: unknown): LinkIncoming | WireProblem {
  if (!isObj(msg)) return { field: '/', expected: 'a message object', found: describe(msg) };
  if (msg.fayger !== 1) return { field: '/fayger', expected: '1 (protocol version 1)', found: describe(msg.fayger) };
  switch (msg.kind) {
    case 'reply': {
      if (typeof msg.id !== 'string' || msg.id.length === 0)
        return { field: '/id', expected: 'the request id being answered', found: describe(msg.id) };
      if (msg.ok === true) return msg as LinkIncoming;
      if (msg.ok !== false) return { field: '/ok', expected: 'true or false', found: describe(msg.ok) };
      if (!isObj(msg.error) || typeof msg.error.message !== 'string') {
        return {
          field: '/error',
          expected: 'an error object with a message (FaygerError.toJSON() shape)',
          found: describe(msg.error),
        };
      }
      return msg as LinkIncoming;
    }
    case 'event': {
      if (msg.instanceId !== undefined && typeof msg.instanceId !== 'string')
        return { field: '/instanceId', expected: 'an instance id or nothing', found: describe(msg.instanceId) };
      if (!isObj(msg.event) || typeof msg.event.type !== 'string')
        return { field: '/event', expected: '{ type, data } of a Universal_Event', found: describe(msg.event) };
      return msg as LinkIncoming;
    }
    case 'close':
      return msg as LinkIncoming;
    default:
      return { field: '/kind', expected: '"reply", "event" or "close"', found: describe(msg.kind) };
  }
}

export function isWireProblem(v: LinkIncoming | WireProblem): v is WireProblem {
  return 'field' in v && 'expected' in v;
}

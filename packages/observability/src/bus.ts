import {
  EVENT_INFO,
  EVENT_LEVELS,
  EVENT_NAMES,
  createEvent,
  isEventName,
  levelAtLeast,
  type AnyFaygerEvent,
  type EventLevel,
  type EventMeta,
  type EventName,
  type EventPayloads,
  type EventSink,
  type FaygerEvent,
  type Layer,
} from '@fayger/contracts';
import { EventEmitter } from 'eventemitter3';
import { toEventError } from './event-error.js';
import { invalidArgument } from './invalid-argument.js';

/**
 * Which events a subscriber receives. Every given field must match.
 * `name` is an exact event name, a prefix pattern ending in `.*` (`'loader.*'`, `'loader.phase.*'`), or `'*'`.
 */
export interface EventFilter {
  name?: EventName | `${string}.*` | '*';
  layer?: Layer;
  phase?: string;
  /** Lowest level delivered (default: everything). */
  minLevel?: EventLevel;
}

export type EventHandler<E extends AnyFaygerEvent = AnyFaygerEvent> = (event: E) => void;

export interface SubscribeOptions {
  /** Shown in `observability.subscriber.error` events when this subscriber throws. */
  label?: string;
}

/** Removes the subscription; calling it again does nothing. */
export type Unsubscribe = () => void;

export interface EventBusOptions {
  /**
   * Called when a subscriber throws while handling `observability.subscriber.error` itself (reporting it as
   * an event could loop). Default: `console.error` when a console exists.
   */
  onUnreportableError?: (error: unknown, event: AnyFaygerEvent, label: string | undefined) => void;
}

type EventOf<N extends EventName> = Extract<AnyFaygerEvent, { name: N }>;

const WILDCARD = '*';
// Channel keys per event name (exact name plus each `prefix.*`), computed once per name.
const channelCache = new Map<string, readonly string[]>();

function channelsFor(name: string): readonly string[] {
  let keys = channelCache.get(name);
  if (keys === undefined) {
    const list = [`n:${name}`];
    for (let i = name.indexOf('.'); i !== -1; i = name.indexOf('.', i + 1)) list.push(`n:${name.slice(0, i)}.*`);
    keys = list;
    // Names come from the catalogue; the bound only guards against an emitter inventing names at runtime.
    if (channelCache.size < 1024) channelCache.set(name, keys);
  }
  return keys;
}

// A misspelt name would make a subscription that silently never fires, so names are checked against the
// catalogue: an exact name must exist, a `prefix.*` pattern must match at least one name.
function checkNamePattern(name: string): void {
  if (name.endsWith('.*')) {
    const prefix = name.slice(0, -1);
    if (EVENT_NAMES.some((n) => n.startsWith(prefix))) return;
    throw invalidArgument('subscribing to the event bus', `a name pattern matching some event (e.g. 'loader.*')`, name);
  }
  if (!isEventName(name)) {
    throw invalidArgument(
      'subscribing to the event bus',
      "an event name from EVENT_NAMES, a 'prefix.*' pattern or '*'",
      name,
    );
  }
}

/**
 * The in-process event bus. It implements the `EventSink` port, so it is what an embedder hands to the
 * loader, runtime and adapters; sinks and metrics subscribe to it.
 *
 * Subscriptions are indexed on one channel (exact name or name prefix, else layer, else phase, else the
 * wildcard channel) and the remaining filter fields are checked per event. Subscribers run synchronously, in
 * subscription order within a channel; a subscriber that throws is isolated: the others still run, `emit`
 * never throws, and the failure is published as `observability.subscriber.error`.
 */
export class EventBus implements EventSink {
  readonly #ee = new EventEmitter();
  #total = 0;
  // Subscriptions on the layer, phase and wildcard channels: any of them makes every name wanted.
  #broad = 0;
  #errors = 0;
  #dropped = 0;
  // wants() answers per name, cleared whenever the subscription set changes (subscribing is rare, asking is hot).
  readonly #wanted = new Map<string, boolean>();
  // Bumped by clear(): unsubscribe functions from before a clear() must not decrement the counts again.
  #generation = 0;
  readonly #onUnreportable: NonNullable<EventBusOptions['onUnreportableError']>;

  constructor(options: EventBusOptions = {}) {
    this.#onUnreportable =
      options.onUnreportableError ??
      ((error, event, label) => {
        globalThis.console?.error(
          `[fayger] event bus: ${label ?? '(unlabelled subscriber)'} failed on ${String(event?.name)}`,
          error,
        );
      });
  }

  /** Number of live subscriptions. */
  get subscriberCount(): number {
    return this.#total;
  }

  /** Number of subscriber exceptions caught so far. */
  get subscriberErrorCount(): number {
    return this.#errors;
  }

  /** Number of malformed events (no string `name`) refused by `emit`. */
  get droppedEventCount(): number {
    return this.#dropped;
  }

  wants(name: EventName): boolean {
    if (this.#total === 0) return false;
    if (this.#broad > 0) return true;
    let wanted = this.#wanted.get(name);
    if (wanted === undefined) {
      wanted = false;
      for (const key of channelsFor(name)) if (this.#ee.listenerCount(key) > 0) wanted = true;
      this.#wanted.set(name, wanted);
    }
    return wanted;
  }

  emit(event: AnyFaygerEvent): void {
    // Fast path: with nobody listening an emit is one field read.
    if (this.#total === 0) return;
    if (typeof event?.name !== 'string') {
      // Only untyped callers get here; the port promises emit never throws, so report instead.
      this.#dropped++;
      this.#callUnreportable(
        invalidArgument('emitting on the event bus', 'an event envelope with a string name', event),
        event,
        undefined,
      );
      return;
    }
    const ee = this.#ee;
    for (const key of channelsFor(event.name)) ee.emit(key, event);
    if (this.#broad === 0) return;
    ee.emit(`l:${event.layer}`, event);
    if (event.phase !== undefined) ee.emit(`p:${event.phase}`, event);
    ee.emit(WILDCARD, event);
  }

  /**
   * Builds the envelope (`createEvent`) and emits it, but only when someone wants the name: a caller on a hot
   * path pays for the payload object only.
   */
  publish<N extends EventName>(name: N, data: EventPayloads[N], meta?: EventMeta): void {
    if (this.#total === 0 || !this.wants(name)) return;
    this.emit(createEvent(name, data, meta) as unknown as AnyFaygerEvent);
  }

  /** Subscribes to one event name with a handler typed for its payload. */
  on<N extends EventName>(name: N, handler: EventHandler<EventOf<N>>, options?: SubscribeOptions): Unsubscribe {
    return this.subscribe({ name }, handler as EventHandler, options);
  }

  /** Subscribes with a filter (or `'*'` for everything). */
  subscribe(filter: EventFilter | '*', handler: EventHandler, options: SubscribeOptions = {}): Unsubscribe {
    if (filter !== '*' && (typeof filter !== 'object' || filter === null)) {
      throw invalidArgument('subscribing to the event bus', "a filter object or '*'", filter);
    }
    const f: EventFilter = filter === '*' ? {} : filter;
    if (typeof handler !== 'function')
      throw invalidArgument('subscribing to the event bus', 'a handler function', handler);
    const name = f.name === WILDCARD ? undefined : f.name;
    if (name !== undefined) checkNamePattern(name);
    if (f.minLevel !== undefined && !(EVENT_LEVELS as readonly string[]).includes(f.minLevel)) {
      throw invalidArgument(
        'subscribing to the event bus',
        `minLevel to be one of ${EVENT_LEVELS.join(', ')}`,
        f.minLevel,
      );
    }
    let channel: string;
    let broad = false;
    if (name !== undefined) channel = `n:${name}`;
    else if (f.layer !== undefined) (channel = `l:${f.layer}`), (broad = true);
    else if (f.phase !== undefined) (channel = `p:${f.phase}`), (broad = true);
    else (channel = WILDCARD), (broad = true);

    const { layer, phase, minLevel } = f;
    const label = options.label;
    const listener = (event: AnyFaygerEvent): void => {
      if (layer !== undefined && event.layer !== layer) return;
      if (phase !== undefined && event.phase !== phase) return;
      if (minLevel !== undefined && !levelAtLeast(event.level, minLevel)) return;
      try {
        handler(event);
      } catch (error) {
        this.#reportSubscriberError(error, event, label);
      }
    };
    this.#ee.on(channel, listener);
    this.#wanted.clear();
    this.#total++;
    if (broad) this.#broad++;

    let active = true;
    const generation = this.#generation;
    return () => {
      if (!active || generation !== this.#generation) return;
      active = false;
      this.#ee.off(channel, listener);
      this.#wanted.clear();
      this.#total--;
      if (broad) this.#broad--;
    };
  }

  /** Forwards matching events to another sink (a console, JSON-lines or memory sink). */
  pipe(sink: EventSink, filter: EventFilter | '*' = '*', options?: SubscribeOptions): Unsubscribe {
    return this.subscribe(filter, (event) => sink.emit(event), options);
  }

  /** Removes every subscription. */
  clear(): void {
    this.#ee.removeAllListeners();
    this.#generation++;
    this.#wanted.clear();
    this.#total = 0;
    this.#broad = 0;
  }

  #callUnreportable(error: unknown, event: AnyFaygerEvent, label: string | undefined): void {
    try {
      this.#onUnreportable(error, event, label);
    } catch {
      // The last-resort reporter failed too; emit must still not throw.
    }
  }

  #reportSubscriberError(error: unknown, event: AnyFaygerEvent, label: string | undefined): void {
    this.#errors++;
    if (event.name === 'observability.subscriber.error') {
      this.#callUnreportable(error, event, label);
      return;
    }
    const data: EventPayloads['observability.subscriber.error'] = { eventName: event.name, error: toEventError(error) };
    if (label !== undefined) data.subscriber = label;
    const meta: EventMeta = { layer: 'observability', level: EVENT_INFO['observability.subscriber.error'].level };
    if (event.instanceId !== undefined) meta.instanceId = event.instanceId;
    if (event.spanId !== undefined) meta.parentSpanId = event.spanId;
    this.emit(createEvent('observability.subscriber.error', data, meta));
  }
}

/** Narrows an event to one name (handy in wildcard subscribers). */
export function isEvent<N extends EventName>(event: AnyFaygerEvent, name: N): event is EventOf<N> & FaygerEvent<N> {
  return event.name === name;
}

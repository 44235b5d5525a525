import {
  assertTransition,
  emitEvent,
  openEventSpan,
  TERMINAL_STATES,
  type EventSpan,
  type ResourceUsage,
  type EventMeta,
  type EventName,
  type EventPayloads,
  type EventSink,
  type FaygerError,
  type LifecycleState,
} from '@fayger/contracts';
import type { TransitionInfo } from './types.js';

/**
 * One instance's lifecycle state machine. Every move is checked against the contracts transition table
 * (illegal ones throw LIFECYCLE_ILLEGAL_TRANSITION and change nothing), published as a
 * `runtime.lifecycle.transition` event and handed to local listeners.
 */
export class Lifecycle {
  private current: LifecycleState = 'Loaded';
  private readonly listeners = new Set<(t: TransitionInfo) => void>();
  /** The instance's span: every transition event carries its id; host-call spans are its children. */
  readonly span: EventSpan;

  constructor(
    private readonly instanceId: string,
    private readonly events: EventSink | undefined,
    /** Usage reported with the terminal transition (the instance span's end). */
    private readonly usage?: (state: LifecycleState) => ResourceUsage,
  ) {
    this.span = openEventSpan(events);
  }

  get state(): LifecycleState {
    return this.current;
  }

  get live(): boolean {
    return !TERMINAL_STATES.includes(this.current);
  }

  /** Throws LIFECYCLE_ILLEGAL_TRANSITION unless `to` is legal from the current state. */
  check(to: LifecycleState): void {
    assertTransition(this.current, to, this.instanceId);
  }

  transition(to: LifecycleState, reason: string, cause?: FaygerError): void {
    const from = this.current;
    assertTransition(from, to, this.instanceId);
    this.current = to;
    const info: TransitionInfo = cause ? { from, to, reason, cause } : { from, to, reason };
    publish(
      this.events,
      'runtime.lifecycle.transition',
      () => ({
        from,
        to,
        cause: reason,
        ...(cause ? { error: cause.toJSON() } : {}),
        ...(this.usage && TERMINAL_STATES.includes(to) ? { usage: this.usage(to) } : {}),
      }),
      this.span.meta({ instanceId: this.instanceId, ...(to === 'Failed' ? { level: 'error' as const } : {}) }),
    );
    for (const l of [...this.listeners]) {
      try {
        l(info);
      } catch {
        // A listener's bug must not leave the instance half-transitioned.
      }
    }
  }

  onTransition(listener: (t: TransitionInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Publishes through the EventSink port. The payload is built only when the sink wants the event, and a
 * throwing sink is ignored: observability must never break a guest.
 */
export function publish<N extends EventName>(
  events: EventSink | undefined,
  name: N,
  data: () => EventPayloads[N],
  meta: EventMeta,
): void {
  if (!events) return;
  try {
    if (events.wants?.(name) === false) return;
    emitEvent(events, name, data(), { ...meta, layer: 'runtime' });
  } catch {
    // see above
  }
}

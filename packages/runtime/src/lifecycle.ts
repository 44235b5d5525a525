import { assertTransition, TERMINAL_STATES, type FaygerError, type LifecycleState, type RuntimeEventSink } from '@fayger/contracts';
import type { TransitionInfo } from './types.js';

/**
 * One instance's lifecycle state machine. Every move is checked against the contracts transition table
 * (illegal ones throw LIFECYCLE_ILLEGAL_TRANSITION and change nothing), published as a
 * `runtime.instance.transition` event and handed to local listeners.
 */
export class Lifecycle {
  private current: LifecycleState = 'Loaded';
  private readonly listeners = new Set<(t: TransitionInfo) => void>();

  constructor(
    private readonly instanceId: string,
    private readonly events: RuntimeEventSink | undefined,
  ) {}

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

  transition(to: LifecycleState, cause?: FaygerError, exitCode?: number): void {
    const from = this.current;
    assertTransition(from, to, this.instanceId);
    this.current = to;
    const info: TransitionInfo = cause ? { from, to, cause } : { from, to };
    emit(this.events, {
      type: 'runtime.instance.transition',
      instanceId: this.instanceId,
      time: Date.now(),
      data: {
        from,
        to,
        ...(cause ? { cause: cause.toJSON() } : {}),
        ...(exitCode !== undefined ? { exitCode } : {}),
      },
    });
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

/** Publishes to the sink; a throwing sink is ignored (observability must never break a guest). */
export function emit(events: RuntimeEventSink | undefined, event: Parameters<RuntimeEventSink['emit']>[0]): void {
  if (!events) return;
  try {
    events.emit(event);
  } catch {
    // see above
  }
}

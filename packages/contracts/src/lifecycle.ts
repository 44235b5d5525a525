import { FaygerError } from './errors/fayger-error.js';

/** The states a BuF_Instance moves through. */
export const LIFECYCLE_STATES = ['Loaded', 'Initialized', 'Running', 'Suspended', 'Terminated', 'Failed'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** Terminal states: no transition leaves them. */
export const TERMINAL_STATES: readonly LifecycleState[] = ['Terminated', 'Failed'];

/**
 * The legal transition table, as data: `LIFECYCLE_TRANSITIONS[from]` lists every state `from` may move to.
 * Loaded → Initialized → Running ⇄ Suspended → Terminated / Failed; terminate or fail from any live state.
 */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  Loaded: ['Initialized', 'Terminated', 'Failed'],
  Initialized: ['Running', 'Terminated', 'Failed'],
  Running: ['Suspended', 'Terminated', 'Failed'],
  Suspended: ['Running', 'Terminated', 'Failed'],
  Terminated: [],
  Failed: [],
};

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return LIFECYCLE_TRANSITIONS[from].includes(to);
}

/** Throws LIFECYCLE_ILLEGAL_TRANSITION unless `from → to` is in the table. */
export function assertTransition(from: LifecycleState, to: LifecycleState, instanceId?: string): void {
  if (canTransition(from, to)) return;
  const legal = LIFECYCLE_TRANSITIONS[from];
  throw new FaygerError({
    code: 'LIFECYCLE_ILLEGAL_TRANSITION',
    what: `moving instance${instanceId ? ` ${instanceId}` : ''} from ${from} to ${to}`,
    expected: legal.length ? `one of ${legal.join(', ')}` : `no transition (${from} is terminal)`,
    found: to,
    phase: 'lifecycle',
    details: { from, to, legal, instanceId },
  });
}

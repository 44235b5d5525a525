import type { FaygerErrorData } from '../errors/fayger-error.js';
import type { OpArgs, OpName, OpResult } from './catalogue.js';
import type { UiNode } from './ui.js';

/** Instruction envelope version. */
export const INSTRUCTION_VERSION = 1;

/**
 * One guest → host request: plain, serialisable data. `id` correlates the result; `instanceId` names the
 * BuF_Instance that issued it (the bus fills it in).
 */
export interface UniversalInstruction<O extends OpName = OpName> {
  v: 1;
  id: string;
  op: O;
  args: OpArgs<O>;
  instanceId?: string;
  /** Per-call deadline; the bus fails the call with ADAPTER_TIMEOUT past it. */
  timeoutMs?: number;
}

/** The answer to one instruction. Failures carry a serialised FaygerError. */
export type UniversalResult<O extends OpName = OpName> =
  | { v: 1; id: string; ok: true; value: OpResult<O> }
  | { v: 1; id: string; ok: false; error: FaygerErrorData };

/** Host → guest events, normalised by the adapter. */
export interface UniversalEventMap {
  'timer.fired': { timerId: string };
  'net.request': {
    listenerId: string;
    requestId: string;
    method: string;
    url: string;
    headers: Record<string, string>;
    body: Uint8Array;
  };
  'ui.event': {
    nodeId: string;
    kind: 'click' | 'input' | 'submit' | 'key';
    value?: string;
    key?: string;
    tree?: UiNode;
  };
  'app.lifecycle': { state: 'foreground' | 'background' | 'terminating' };
}
export type UniversalEventType = keyof UniversalEventMap;
export const UNIVERSAL_EVENT_TYPES: readonly UniversalEventType[] = [
  'timer.fired',
  'net.request',
  'ui.event',
  'app.lifecycle',
];

export interface UniversalEvent<T extends UniversalEventType = UniversalEventType> {
  v: 1;
  type: T;
  /** The instance the event is for; absent for broadcast host events. */
  instanceId?: string;
  /** Milliseconds since the Unix epoch when the host observed it. */
  time: number;
  data: UniversalEventMap[T];
}

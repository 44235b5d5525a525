import { createInstructionBus, type AdapterBus } from '@fayger/adapter-core';
import {
  FaygerError,
  type CapabilityRequest,
  type ErrorCode,
  type UniversalEvent,
  type UniversalEventMap,
} from '@fayger/contracts';
import { createBrowserAdapter, type BrowserAdapter, type BrowserAdapterOptions } from '../../src/index.js';

export interface Session {
  adapter: BrowserAdapter;
  bus: AdapterBus;
  instanceId: string;
  events: UniversalEvent[];
  call<T = unknown>(op: string, args: unknown): Promise<T>;
  close(): Promise<void>;
}

let seq = 0;
const open: Session[] = [];

export const req = (name: string, scope?: CapabilityRequest['scope']): CapabilityRequest => ({
  name,
  required: false,
  ...(scope ? { scope } : {}),
});

/** A browser adapter behind a real bus with one open instance, granted `requested` (or everything offered). */
export async function session(options: BrowserAdapterOptions = {}, requested?: CapabilityRequest[]): Promise<Session> {
  const adapter = createBrowserAdapter({ log: { output: false }, ...options });
  const bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
  const instanceId = `t-${++seq}`;
  const reqs = requested ?? adapter.available().map((o) => req(o.name));
  bus.open({ instanceId, grants: bus.negotiate(reqs).granted });
  const events: UniversalEvent[] = [];
  bus.subscribe(instanceId, (e) => events.push(e));
  const s: Session = {
    adapter,
    bus,
    instanceId,
    events,
    call: async (op, args) => (await bus.call(instanceId, op as never, args as never)) as never,
    close: async () => {
      await bus.shutdown();
    },
  };
  open.push(s);
  return s;
}

export async function closeAll(): Promise<void> {
  for (const s of open.splice(0)) await s.close();
}

export async function expectCode(
  p: Promise<unknown> | (() => unknown),
  code: ErrorCode | readonly ErrorCode[],
): Promise<FaygerError> {
  const codes = (Array.isArray(code) ? code : [code]) as ErrorCode[];
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (!FaygerError.is(e)) throw new Error(`expected a FaygerError ${codes.join('|')}, got ${String(e)}`);
    if (!codes.includes(e.code)) throw new Error(`expected ${codes.join('|')}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected ${codes.join('|')}, but the call succeeded`);
}

export async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const uiEvents = (s: Session) =>
  s.events.filter((e) => e.type === 'ui.event').map((e) => e.data as UniversalEventMap['ui.event']);

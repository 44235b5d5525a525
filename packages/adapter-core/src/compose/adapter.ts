import {
  FaygerError,
  OP_CAPABILITY,
  OP_NAMES,
  emitEvent,
  type AdapterCallContext,
  type CapabilityName,
  type CapabilityOffer,
  type EventSink,
  type HostKind,
  type HostProbe,
  type OpName,
  type PlatformAdapter,
  type UniversalInstruction,
} from '@fayger/contracts';
import { createOpRouter, type OpHandler, type OpHandlers } from '../define.js';

/** The ops of each capability, as the catalogue defines them. */
export function opsOf(capability: CapabilityName): OpName[] {
  return OP_NAMES.filter((op) => OP_CAPABILITY[op] === capability);
}

/**
 * The offers the handlers back: every capability all of whose ops have a handler, unscoped. `app` is never
 * included (the bus serves it). Throws ADAPTER_INVALID for a capability with only some of its ops handled:
 * offering it would be a lie for the others.
 */
export function offersFromHandlers(handlers: OpHandlers, adapterId = 'adapter'): CapabilityOffer[] {
  const byCap = new Map<CapabilityName, { have: OpName[]; missing: OpName[] }>();
  for (const op of OP_NAMES) {
    const cap = OP_CAPABILITY[op];
    if (cap === 'app') continue;
    const e = byCap.get(cap) ?? { have: [], missing: [] };
    (handlers[op] ? e.have : e.missing).push(op);
    byCap.set(cap, e);
  }
  const out: CapabilityOffer[] = [];
  for (const [name, { have, missing }] of byCap) {
    if (have.length === 0) continue;
    if (missing.length > 0) {
      throw new FaygerError({
        code: 'ADAPTER_INVALID',
        phase: 'configure',
        what: `deriving the ${adapterId} adapter's offers from its handlers`,
        expected: `a handler for every op of ${name} (${opsOf(name).join(', ')})`,
        found: `no handler for ${missing.join(', ')}`,
        hint: `Add handlers for ${missing.join(', ')}, or drop those of ${have.join(', ')} so ${name} is not offered.`,
        details: { capability: name, missing },
      });
    }
    out.push({ name });
  }
  return out;
}

type Offers = readonly CapabilityOffer[] | (() => readonly CapabilityOffer[]);

/** What an adapter is made of. Everything but the handlers has a sensible default. */
export interface AdapterSpec {
  id: string;
  hostKind: HostKind;
  handlers: OpHandlers;
  /**
   * What the host offers, with scopes. Default: derived from the handlers (`offersFromHandlers`). A function
   * is asked on every `available()` (offers that change, e.g. after a permission prompt).
   */
  offers?: Offers;
  /** How well this adapter fits the host (default: never auto-detected, only forced). Read only `probe.global`. */
  detect?: (probe: HostProbe) => boolean | number;
  /** Releases one instance's host resources (the adapter's own; baseline timers are the caller's to add). */
  dispose?: (instanceId: string) => void | Promise<void>;
  close?: () => void | Promise<void>;
  /** The diagnostics channel: every failed host call is reported as an `adapter.host.error` event. */
  diagnostics?: EventSink;
  /** Called before each handler runs (e.g. to keep the instance's latest `emit`). */
  onCall?: (ins: UniversalInstruction, ctx: AdapterCallContext) => void;
}

function isThenable(v: unknown): v is Promise<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/** Reports a failed host call on the diagnostics channel (no-op without one). */
export function reportHostError(sink: EventSink | undefined, adapter: string, operation: string, e: unknown): void {
  if (!sink || !FaygerError.is(e)) return;
  emitEvent(sink, 'adapter.host.error', { adapter, operation, error: e.toJSON() });
}

/**
 * Wraps a `handle` so every failed host call (a throw or a rejection with a FaygerError) is reported on the
 * diagnostics channel as `adapter.host.error`; the failure still reaches the caller. For adapters that write
 * their own `handle` instead of `createAdapter`.
 */
export function withHostErrorReporting(
  handle: PlatformAdapter['handle'],
  id: string,
  sink: EventSink | undefined,
): PlatformAdapter['handle'] {
  if (!sink) return handle;
  return (ins, ctx) => {
    let out: unknown;
    try {
      out = handle(ins, ctx);
    } catch (e) {
      reportHostError(sink, id, ins.op, e);
      throw e;
    }
    if (isThenable(out)) out.catch((e: unknown) => reportHostError(sink, id, ins.op, e));
    return out;
  };
}

/**
 * Builds a Platform_Adapter from handlers: ops without a handler fail ADAPTER_UNSUPPORTED_OP, `available()` is
 * derived from the handlers unless given, failures go to `diagnostics`. `extra` adds the adapter's own
 * members (getters kept).
 */
export function createAdapter<X extends object = Record<never, never>>(
  spec: AdapterSpec,
  extra?: X,
): PlatformAdapter & X {
  const derived = spec.offers === undefined ? offersFromHandlers(spec.handlers, spec.id) : undefined;
  const offers = spec.offers;
  const route = createOpRouter(spec.handlers, spec.id);
  const onCall = spec.onCall;
  const handle = withHostErrorReporting(
    onCall ? (ins, ctx) => (onCall(ins, ctx), route(ins, ctx)) : route,
    spec.id,
    spec.diagnostics,
  );
  const adapter: PlatformAdapter = {
    id: spec.id,
    hostKind: spec.hostKind,
    available: () => derived ?? (typeof offers === 'function' ? offers() : offers!),
    detect: spec.detect ?? (() => 0),
    handle,
    dispose: (instanceId) => spec.dispose?.(instanceId),
    ...(spec.close ? { close: spec.close } : {}),
  };
  if (extra) Object.defineProperties(adapter, Object.getOwnPropertyDescriptors(extra));
  return adapter as PlatformAdapter & X;
}

/** What `composeAdapter` changes about a base adapter. */
export interface AdapterOverrides {
  id?: string;
  hostKind?: HostKind;
  detect?: (probe: HostProbe) => boolean | number;
  /** Ops handled here instead of by the base. */
  handlers?: OpHandlers;
  /**
   * The offers: an array replaces the base's offers of the same names (and adds the others); a function maps
   * the base's offers. Default: the capabilities the handlers back replace the base's of the same names.
   */
  offers?: readonly CapabilityOffer[] | ((base: readonly CapabilityOffer[]) => readonly CapabilityOffer[]);
  dispose?: (instanceId: string) => void | Promise<void>;
  close?: () => void | Promise<void>;
  /** The diagnostics channel: every failed call (overridden or the base's) is reported as `adapter.host.error`. */
  diagnostics?: EventSink;
}

/**
 * One adapter from a base plus overridden offers and handlers: what `withStdio`, `withFsMounts` and the desktop
 * adapter's own ops are. Every op without an override goes to the base; dispose and close reach both.
 */
export function composeAdapter(base: PlatformAdapter, over: AdapterOverrides): PlatformAdapter {
  const handlers = (over.handlers ?? {}) as Record<string, OpHandler<OpName> | undefined>;
  const own =
    typeof over.offers === 'function'
      ? undefined
      : (over.offers ?? offersFromHandlers(over.handlers ?? {}, over.id ?? base.id));
  const available = (): readonly CapabilityOffer[] => {
    const b = base.available();
    if (typeof over.offers === 'function') return over.offers(b);
    const names = new Set(own!.map((o) => o.name));
    return [...b.filter((o) => !names.has(o.name)), ...own!];
  };
  const adapter: PlatformAdapter = {
    id: over.id ?? base.id,
    hostKind: over.hostKind ?? base.hostKind,
    available,
    detect: over.detect ?? ((p) => base.detect(p)),
    handle: withHostErrorReporting(
      (ins, ctx) => {
        const h = handlers[ins.op];
        return h ? h(ins.args as never, ctx) : base.handle(ins, ctx);
      },
      over.id ?? base.id,
      over.diagnostics,
    ),
    dispose: async (instanceId) => {
      await over.dispose?.(instanceId);
      await base.dispose(instanceId);
    },
  };
  if (base.close || over.close) {
    adapter.close = async () => {
      await over.close?.();
      await base.close?.();
    };
  }
  return adapter;
}

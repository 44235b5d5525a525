import type { CapabilityOffer } from '@fayger/contracts';
import type { OpHandlers } from '../define.js';
import { TimerService } from '../timers.js';
import { createLogWriter, type LogOptions } from './log.js';

export interface BaselineOptions {
  /** Guest logs (see LogOptions); `hostDefault` is the adapter's choice when the embedder gives none. */
  log?: LogOptions;
  logDefault?: Pick<LogOptions, 'output' | 'format'>;
  /** Timers for timer.*; false: no timer handlers (and no `timer` offer). Default: a new TimerService. */
  timers?: TimerService | false;
  /** Fills a buffer with cryptographically secure bytes (default globalThis.crypto.getRandomValues). */
  randomFill?: (out: Uint8Array) => void;
  /** A monotonic clock in ms (default performance.now, else Date.now; never goes backwards either way). */
  monotonic?: () => number;
}

/** The baseline an adapter is composed on: handlers for log, clock, random and (unless off) timer. */
export interface Baseline {
  handlers: OpHandlers;
  offers: CapabilityOffer[];
  timers: TimerService | undefined;
  /** Releases one instance's timers. */
  dispose(instanceId: string): void;
}

function defaultRandomFill(out: Uint8Array): void {
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint8Array): Uint8Array } }).crypto;
  if (typeof c?.getRandomValues !== 'function')
    throw new TypeError('no crypto.getRandomValues on this host: pass baseline randomFill');
  c.getRandomValues(out);
}

/**
 * log.write, clock.now, random.bytes and timer.* the same way on every host: the ops an adapter must offer
 * (log, clock, random) and timers, which are on by default. An adapter composes its own ops on top.
 */
export function baselineHandlers(options: BaselineOptions = {}): Baseline {
  const write = createLogWriter(options.log, options.logDefault);
  const fill = options.randomFill ?? defaultRandomFill;
  const perf = (globalThis as { performance?: { now?(): number } }).performance;
  const mono = options.monotonic ?? (typeof perf?.now === 'function' ? () => perf.now!() : Date.now);
  const origin = mono();
  let last = 0;
  const timers = options.timers === false ? undefined : (options.timers ?? new TimerService());
  const handlers: OpHandlers = {
    'log.write': (a, ctx) => {
      // A full output stream: the guest waits for it to drain (backpressure), like stdio.write.
      const wait = write(ctx.instanceId, a);
      return wait ? wait.then(() => ({})) : {};
    },
    'clock.now': (a) => {
      if (a.clock === 'realtime') return { timeMs: Date.now() };
      last = Math.max(last, mono() - origin);
      return { timeMs: last };
    },
    'random.bytes': (a) => {
      const out = new Uint8Array(a.length);
      // getRandomValues fills at most 65536 bytes per call.
      for (let i = 0; i < out.length; i += 65536) fill(out.subarray(i, i + 65536));
      return { bytes: out };
    },
  };
  if (timers) {
    handlers['timer.set'] = (a, ctx) => timers.set(a, ctx);
    handlers['timer.clear'] = (a, ctx) => timers.clear(a, ctx);
    handlers['timer.sleep'] = (a, ctx) => timers.sleep(a, ctx);
  }
  const offers: CapabilityOffer[] = [
    { name: 'log' },
    { name: 'clock' },
    { name: 'random' },
    ...(timers ? [{ name: 'timer' as const }] : []),
  ];
  return { handlers, offers, timers, dispose: (id) => timers?.dispose(id) };
}

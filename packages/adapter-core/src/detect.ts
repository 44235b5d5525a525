import type { HostKind, HostProbe, PlatformAdapter } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';

/** What host detection found out about a global object. */
export interface HostFacts {
  node: boolean;
  /** A Node process with an interactive terminal (stdin or stdout is a TTY). */
  tty: boolean;
  /** `window` and `document` exist. */
  dom: boolean;
  /** The in-app bridge found, if any. */
  bridge?: 'webkit' | 'android' | 'react-native' | 'fayger';
}

type Obj = Record<string, unknown>;
const get = (o: unknown, k: string): unknown => (o !== null && (typeof o === 'object' || typeof o === 'function') ? (o as Obj)[k] : undefined);

/** The probe over the real global object. */
export function currentHostProbe(): HostProbe {
  return { global: globalThis as unknown as Record<string, unknown> };
}

/**
 * Reads the host facts from a global object without touching anything else, so detection is testable with
 * fake globals. Bridges are checked before the DOM: an in-app WebView also has `window` and `document`.
 */
export function probeHost(probe: HostProbe = currentHostProbe()): HostFacts {
  const g = probe.global;
  const win = get(g, 'window') ?? g;
  const proc = get(g, 'process');
  const node = typeof get(get(proc, 'versions'), 'node') === 'string';
  const tty = node && (get(get(proc, 'stdout'), 'isTTY') === true || get(get(proc, 'stdin'), 'isTTY') === true);
  const dom = get(g, 'window') !== undefined && get(g, 'document') !== undefined;
  let bridge: HostFacts['bridge'];
  if (get(g, '__faygerBridge') !== undefined || get(win, '__faygerBridge') !== undefined) bridge = 'fayger';
  else if (get(get(get(win, 'webkit'), 'messageHandlers'), 'fayger') !== undefined) bridge = 'webkit';
  else if (get(win, 'FaygerAndroid') !== undefined) bridge = 'android';
  else if (get(win, 'ReactNativeWebView') !== undefined) bridge = 'react-native';
  const facts: HostFacts = { node, tty, dom };
  if (bridge) facts.bridge = bridge;
  return facts;
}

/** The host kind the facts point to, or undefined for an unrecognised environment. */
export function detectHostKind(probe: HostProbe = currentHostProbe()): HostKind | undefined {
  const f = probeHost(probe);
  if (f.bridge) return 'in-app';
  if (f.dom) return 'browser';
  if (f.node) return f.tty ? 'desktop' : 'server';
  return undefined;
}

export interface SelectAdapterOptions {
  probe?: HostProbe;
  /** An adapter id or host kind chosen by the embedder; skips detection. */
  force?: string;
}

function score(a: PlatformAdapter, probe: HostProbe): number {
  let s: boolean | number;
  try {
    s = a.detect(probe);
  } catch {
    // A detector that throws does not fit this host; it must not stop the others.
    return 0;
  }
  const n = s === true ? 1 : s === false ? 0 : Number(s);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Picks the adapter for this host: the forced one (by id, then by host kind), else the highest detect() score
 * (ties: the first registered). Throws ADAPTER_NOT_FOUND / ADAPTER_HOST_UNDETECTED.
 */
export function selectAdapter(adapters: readonly PlatformAdapter[], options: SelectAdapterOptions = {}): PlatformAdapter {
  if (options.force !== undefined) {
    const a = adapters.find((x) => x.id === options.force) ?? adapters.find((x) => x.hostKind === options.force);
    if (a) return a;
    throw new FaygerError({
      code: 'ADAPTER_NOT_FOUND',
      phase: 'detect',
      what: `forcing adapter ${JSON.stringify(options.force)}`,
      expected: `one of the registered adapters (${adapters.map((x) => `${x.id}/${x.hostKind}`).join(', ') || 'none'})`,
      found: options.force,
      details: { force: options.force, registered: adapters.map((x) => x.id) },
    });
  }
  const probe = options.probe ?? currentHostProbe();
  let best: PlatformAdapter | undefined;
  let bestScore = 0;
  for (const a of adapters) {
    const s = score(a, probe);
    if (s > bestScore) {
      best = a;
      bestScore = s;
    }
  }
  if (best) return best;
  throw new FaygerError({
    code: 'ADAPTER_HOST_UNDETECTED',
    phase: 'detect',
    what: 'detecting the host environment',
    expected: `an adapter whose detect() matches (registered: ${adapters.map((x) => x.id).join(', ') || 'none'})`,
    found: `host facts ${JSON.stringify(probeHost(probe))}`,
    details: { facts: probeHost(probe), registered: adapters.map((x) => x.id) },
  });
}

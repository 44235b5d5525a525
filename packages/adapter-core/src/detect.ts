import type { HostKind, HostProbe, PlatformAdapter } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';

/** Generic facts about a global object. Adapters read their own host's marks (bridges, SDK globals) themselves. */
export interface HostFacts {
  node: boolean;
  /** A Node process with an interactive terminal (stdin or stdout is a TTY). */
  tty: boolean;
  /** `window` and `document` exist. */
  dom: boolean;
}

type Obj = Record<string, unknown>;
const get = (o: unknown, k: string): unknown =>
  o !== null && (typeof o === 'object' || typeof o === 'function') ? (o as Obj)[k] : undefined;

/** The probe over the real global object. */
export function currentHostProbe(): HostProbe {
  return { global: globalThis as unknown as Record<string, unknown> };
}

/** Reads generic host facts from a global object without touching anything else (testable with fake globals). */
export function probeHost(probe: HostProbe = currentHostProbe()): HostFacts {
  const g = probe.global;
  const proc = get(g, 'process');
  const node = typeof get(get(proc, 'versions'), 'node') === 'string';
  const tty = node && (get(get(proc, 'stdout'), 'isTTY') === true || get(get(proc, 'stdin'), 'isTTY') === true);
  const dom = get(g, 'window') !== undefined && get(g, 'document') !== undefined;
  return { node, tty, dom };
}

/**
 * An adapter that is built only if detection (or `force`) picks it: its detector runs on the probe, and
 * `create` runs once, for the chosen one (a desktop adapter probes OS tools, a server one makes its data root).
 */
export interface AdapterCandidate {
  readonly id: string;
  readonly hostKind: HostKind;
  detect(probe: HostProbe): boolean | number;
  create(): PlatformAdapter;
}

/** A ready adapter or a lazy candidate. */
export type AdapterOrCandidate = PlatformAdapter | AdapterCandidate;

export interface SelectAdapterOptions {
  probe?: HostProbe;
  /** An adapter id or host kind chosen by the embedder; skips detection. */
  force?: string;
}

/** The candidate with the highest detect() score (ties: the first), or undefined when none fits. */
export function bestCandidate(
  candidates: readonly AdapterOrCandidate[],
  probe: HostProbe,
): { best: AdapterOrCandidate | undefined; bestScore: number } {
  let best: AdapterOrCandidate | undefined;
  let bestScore = 0;
  for (const a of candidates) {
    const s = detectScore(a, probe);
    if (s > bestScore) {
      best = a;
      bestScore = s;
    }
  }
  return { best, bestScore };
}

export const isBuiltAdapter = (a: AdapterOrCandidate): a is PlatformAdapter =>
  typeof (a as PlatformAdapter).handle === 'function';

export function detectScore(a: AdapterOrCandidate, probe: HostProbe): number {
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

/** How an adapter was chosen (for the `adapter.host.detected` event and `--explain`). */
export interface AdapterSelection {
  adapter: PlatformAdapter;
  forced: boolean;
  reason: string;
}

function pick(
  candidates: readonly AdapterOrCandidate[],
  options: SelectAdapterOptions,
): { chosen: AdapterOrCandidate; forced: boolean; reason: string } {
  const list = () => candidates.map((x) => `${x.id}/${x.hostKind}`).join(', ') || 'none';
  if (options.force !== undefined) {
    const a = candidates.find((x) => x.id === options.force) ?? candidates.find((x) => x.hostKind === options.force);
    if (a) return { chosen: a, forced: true, reason: `forced (${options.force})` };
    throw new FaygerError({
      code: 'ADAPTER_NOT_FOUND',
      phase: 'detect',
      what: `forcing adapter ${JSON.stringify(options.force)}`,
      expected: `one of the registered adapters (${list()})`,
      found: options.force,
      details: { force: options.force, registered: candidates.map((x) => x.id) },
    });
  }
  const probe = options.probe ?? currentHostProbe();
  const { best, bestScore } = bestCandidate(candidates, probe);
  if (best)
    return {
      chosen: best,
      forced: false,
      reason: `detected among ${candidates.map((a) => a.id).join(', ')} (score ${bestScore})`,
    };
  throw new FaygerError({
    code: 'ADAPTER_HOST_UNDETECTED',
    phase: 'detect',
    what: 'detecting the host environment',
    expected: `an adapter whose detect() matches (registered: ${list()})`,
    found: `host facts ${JSON.stringify(probeHost(probe))}`,
    details: { facts: probeHost(probe), registered: candidates.map((x) => x.id) },
  });
}

/**
 * Picks the adapter for this host: the forced one (by id, then by host kind), else the highest detect() score
 * (ties: the first). Lazy candidates are built only when chosen. Throws ADAPTER_NOT_FOUND /
 * ADAPTER_HOST_UNDETECTED.
 */
export function selectAdapter(
  candidates: readonly AdapterOrCandidate[],
  options: SelectAdapterOptions = {},
): PlatformAdapter {
  return chooseAdapter(candidates, options).adapter;
}

/** `selectAdapter`, also saying whether the choice was forced and why. */
export function chooseAdapter(
  candidates: readonly AdapterOrCandidate[],
  options: SelectAdapterOptions = {},
): AdapterSelection {
  const { chosen, forced, reason } = pick(candidates, options);
  return { adapter: isBuiltAdapter(chosen) ? chosen : chosen.create(), forced, reason };
}

/** How an embedder names its adapter: one adapter, or candidates to detect among (`force` by id or host kind). */
export type AdapterChoice =
  | PlatformAdapter
  | { candidates: readonly AdapterOrCandidate[]; force?: string; probe?: HostProbe };

/** Resolves an AdapterChoice: a given adapter as it is, candidates through detection. */
export function resolveAdapter(choice: AdapterChoice): AdapterSelection {
  if (isBuiltAdapter(choice as AdapterOrCandidate))
    return { adapter: choice as PlatformAdapter, forced: true, reason: 'given by the embedder' };
  const c = choice as Exclude<AdapterChoice, PlatformAdapter>;
  return chooseAdapter(c.candidates, {
    ...(c.force !== undefined ? { force: c.force } : {}),
    ...(c.probe ? { probe: c.probe } : {}),
  });
}

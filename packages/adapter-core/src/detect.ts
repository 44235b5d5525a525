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

/**
 * Reads a nested property of a host global without throwing: `readGlobal(probe.global, 'webkit',
 * 'messageHandlers', name)` is undefined as soon as a step is missing or not an object. For detectors (which
 * read only `probe.global`) and adapters looking for host objects.
 */
export function readGlobal(root: unknown, ...path: string[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** The probe over the real global object. */
export function currentHostProbe(): HostProbe {
  return { global: globalThis as unknown as Record<string, unknown> };
}

/** Reads generic host facts from a global object without touching anything else (testable with fake globals). */
export function probeHost(probe: HostProbe = currentHostProbe()): HostFacts {
  const g = probe.global;
  const node = typeof readGlobal(g, 'process', 'versions', 'node') === 'string';
  const tty =
    node &&
    (readGlobal(g, 'process', 'stdout', 'isTTY') === true || readGlobal(g, 'process', 'stdin', 'isTTY') === true);
  const dom = g.window !== undefined && g.document !== undefined;
  return { node, tty, dom };
}

/**
 * An adapter that is built only if detection (or `force`) picks it: its detector runs on the probe, and
 * `create` runs once, for the chosen one (a desktop adapter probes OS tools, a server one makes its data root).
 * `create` may return a Promise (an adapter that must connect first, e.g. the in-app bridge handshake); such a
 * candidate is chosen with `chooseAdapterAsync` / `selectAdapterAsync` / `resolveAdapterAsync`.
 */
export interface AdapterCandidate {
  readonly id: string;
  readonly hostKind: HostKind;
  detect(probe: HostProbe): boolean | number;
  create(): PlatformAdapter | Promise<PlatformAdapter>;
}

/** A ready adapter or a lazy candidate. */
export type AdapterOrCandidate = PlatformAdapter | AdapterCandidate;

export interface SelectAdapterOptions {
  probe?: HostProbe;
  /** An adapter id or host kind chosen by the embedder; skips detection. */
  force?: string;
  /**
   * Async selection only: how long the chosen candidate's `create()` may take in ms (default 30000); past it
   * the selection fails ADAPTER_CREATE_FAILED (an adapter that arrives later is closed).
   */
  createTimeoutMs?: number;
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
  return { adapter: isBuiltAdapter(chosen) ? chosen : createNow(chosen, reason), forced, reason };
}

/**
 * Runs a candidate's create() where the adapter is needed at once; an asynchronous one fails ADAPTER_INVALID.
 * Internal (the registry's `get` uses it): the public way is `chooseAdapter` / `resolveAdapter`.
 */
export function createNow(candidate: AdapterCandidate, why: string): PlatformAdapter {
  const made = candidate.create();
  if (!isThenable(made)) return made;
  // Nobody will use what it resolves to: release it, and keep a rejection from going unhandled.
  made.then((a) => a.close?.(), noop).then(noop, noop);
  throw new FaygerError({
    code: 'ADAPTER_INVALID',
    phase: 'detect',
    what: `creating the ${candidate.id} adapter (${why})`,
    expected: 'a candidate whose create() returns the adapter itself in synchronous selection',
    found: 'a Promise (the adapter connects asynchronously)',
    hint: 'Select with chooseAdapterAsync / resolveAdapterAsync, or create the Fayger with createFaygerAsync.',
    details: { adapter: candidate.id, hostKind: candidate.hostKind },
  });
}

const noop = () => {};
function isThenable(v: unknown): v is Promise<PlatformAdapter> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * `chooseAdapter` for candidates whose `create()` is asynchronous (it also takes synchronous ones). A create
 * that throws, rejects or outlasts `createTimeoutMs` fails ADAPTER_CREATE_FAILED, naming the adapter, why it
 * was chosen, the cause (kept as `cause`) and what to do.
 */
export async function chooseAdapterAsync(
  candidates: readonly AdapterOrCandidate[],
  options: SelectAdapterOptions = {},
): Promise<AdapterSelection> {
  const { chosen, forced, reason } = pick(candidates, options);
  if (isBuiltAdapter(chosen)) return { adapter: chosen, forced, reason };
  const timeoutMs = options.createTimeoutMs ?? 30_000;
  const others = candidates.filter((c) => c !== chosen).map((c) => c.id);
  const failed = (found: string, cause: unknown, causeCode?: string) =>
    new FaygerError({
      code: 'ADAPTER_CREATE_FAILED',
      phase: 'detect',
      what: `creating the ${chosen.id} adapter (${reason})`,
      expected: 'the adapter to be ready',
      found,
      hint:
        `Fix what the cause says${causeCode ? ` (${causeCode})` : ''}, or choose another adapter with force` +
        (others.length ? ` (registered: ${others.join(', ')})` : '') +
        '.',
      details: { adapter: chosen.id, hostKind: chosen.hostKind, forced, ...(causeCode ? { causeCode } : {}) },
      ...(cause !== undefined ? { cause } : {}),
    });
  let made: PlatformAdapter | Promise<PlatformAdapter>;
  try {
    made = chosen.create();
  } catch (e) {
    throw failed(describeFailure(e), e, FaygerError.is(e) ? e.code : undefined);
  }
  if (!isThenable(made)) return { adapter: made, forced, reason };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let late = false;
  const deadline = new Promise<never>((_, reject) => {
    if (timeoutMs > 0 && Number.isFinite(timeoutMs))
      timer = setTimeout(() => {
        late = true;
        reject(failed(`no adapter after ${timeoutMs} ms`, undefined));
      }, timeoutMs);
  });
  try {
    return { adapter: await Promise.race([made, deadline]), forced, reason };
  } catch (e) {
    if (late) made.then((a) => a.close?.(), noop).then(noop, noop);
    if (FaygerError.is(e, 'ADAPTER_CREATE_FAILED') && late) throw e;
    throw failed(describeFailure(e), e, FaygerError.is(e) ? e.code : undefined);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function describeFailure(e: unknown): string {
  if (FaygerError.is(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** `selectAdapter` for asynchronous candidates (see `chooseAdapterAsync`). */
export async function selectAdapterAsync(
  candidates: readonly AdapterOrCandidate[],
  options: SelectAdapterOptions = {},
): Promise<PlatformAdapter> {
  return (await chooseAdapterAsync(candidates, options)).adapter;
}

/** How an embedder names its adapter: one adapter, or candidates to detect among (`force` by id or host kind). */
export type AdapterChoice =
  | PlatformAdapter
  | { candidates: readonly AdapterOrCandidate[]; force?: string; probe?: HostProbe; createTimeoutMs?: number };

/** Resolves an AdapterChoice: a given adapter as it is, candidates through detection. */
export function resolveAdapter(choice: AdapterChoice): AdapterSelection {
  if (isBuiltAdapter(choice as AdapterOrCandidate)) return given(choice as PlatformAdapter);
  const c = choice as Exclude<AdapterChoice, PlatformAdapter>;
  return chooseAdapter(c.candidates, selectOptions(c));
}

/** `resolveAdapter` for choices whose candidates may be created asynchronously (see `chooseAdapterAsync`). */
export async function resolveAdapterAsync(choice: AdapterChoice): Promise<AdapterSelection> {
  if (isBuiltAdapter(choice as AdapterOrCandidate)) return given(choice as PlatformAdapter);
  const c = choice as Exclude<AdapterChoice, PlatformAdapter>;
  return chooseAdapterAsync(c.candidates, selectOptions(c));
}

const given = (adapter: PlatformAdapter): AdapterSelection => ({
  adapter,
  forced: true,
  reason: 'given by the embedder',
});

function selectOptions(c: Exclude<AdapterChoice, PlatformAdapter>): SelectAdapterOptions {
  return {
    ...(c.force !== undefined ? { force: c.force } : {}),
    ...(c.probe ? { probe: c.probe } : {}),
    ...(c.createTimeoutMs !== undefined ? { createTimeoutMs: c.createTimeoutMs } : {}),
  };
}

import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FaygerError, QUOTA_KEYS, emitEvent, isQuotaKey, type EventSink, type LoadProfile } from '@fayger/contracts';
import { EventBus, jsonLinesSink, prettyConsoleSink } from '@fayger/observability';
import { detectDigestProvider } from '@fayger/security';
import {
  buildHostPolicy,
  DEFAULT_ENGINE,
  ENGINE_CHOICES,
  engineImplementations,
  formatGrantReport,
  formatLimits,
  formatSelectionReport,
  isWasmModule,
  manifestForModule,
  packModule,
  parseGrant,
  type RunResult,
} from 'fayger';
import { createNodeFayger, defaultStateDir, parseDirSpec, type NodeFaygerTrust } from 'fayger/node';
import { parseSnapshotOptions, watchForSnapshot, type Snapshotter } from '../snapshot-options.js';
import { parse, usage } from '../args.js';
import { refOf } from '../buf-file.js';
import { RUN_EXIT_CODES, isGuestTrap, runExitCodeFor } from '../exit-codes.js';
import { forCli } from '../hints.js';
import { readFileWithProgress, type CliIo } from '../io.js';
import { runHelp } from './run-help.js';

export { runHelp };

function list(v: unknown): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

function parseQuota(specs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of specs.flatMap((s) => s.split(','))) {
    if (!part.trim()) continue;
    const [k, v, ...rest] = part.trim().split('=');
    const n = v === 'unlimited' ? Infinity : /^\d+$/.test(v ?? '') ? Number(v) : NaN;
    if (!isQuotaKey(k) || rest.length || !(n >= 0) || (Number.isFinite(n) && !Number.isSafeInteger(n))) {
      throw usage(
        'run',
        `--quota ${JSON.stringify(part)}`,
        `k=v with k one of ${QUOTA_KEYS.join(', ')} and v a non-negative integer or "unlimited"`,
      );
    }
    out[k] = n;
  }
  return out;
}

/** `--env K=V` sets K for the guest; `--env K` passes this process's K through (skipped when unset). */
function parseEnv(specs: string[]): { names: string[]; values: Record<string, string> } {
  const names: string[] = [];
  const values: Record<string, string> = {};
  for (const spec of specs) {
    const i = spec.indexOf('=');
    const name = i < 0 ? spec : spec.slice(0, i);
    if (!/^[^=\0]+$/.test(name))
      throw usage('run', `--env ${JSON.stringify(spec)}`, 'NAME=VALUE or NAME (a non-empty variable name)');
    if (!names.includes(name)) names.push(name);
    if (i >= 0) values[name] = spec.slice(i + 1);
  }
  return { names, values };
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True when the local file starts with the WebAssembly magic (a bare module, not a BuF); CLI_IO when unreadable. */
async function sniffModule(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new FaygerError({
      code: 'CLI_IO',
      phase: 'io',
      what: `opening ${path}`,
      expected: 'a readable .buf or .wasm file',
      found: err instanceof Error ? err.message : String(err),
      cause: err,
      details: { path, errno: (err as { code?: string }).code },
    });
  }
  try {
    const head = new Uint8Array(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return bytesRead === 4 && isWasmModule(head);
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

function parseProfile(specs: string[]): Partial<LoadProfile> {
  const profile: { features?: string[]; locales?: string[]; byteBudget?: number } = {};
  for (const spec of specs) {
    const i = spec.indexOf('=');
    const key = spec.slice(0, i);
    const values = spec
      .slice(i + 1)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (i > 0 && key === 'features') profile.features = [...(profile.features ?? []), ...values];
    else if (i > 0 && key === 'locales') profile.locales = [...(profile.locales ?? []), ...values];
    else if (
      i > 0 &&
      key === 'budget' &&
      values.length === 1 &&
      Number.isSafeInteger(Number(values[0])) &&
      Number(values[0]) >= 0
    ) {
      profile.byteBudget = Number(values[0]);
    } else {
      throw usage('run', `--profile ${JSON.stringify(spec)}`, 'features=a,b  locales=fr,en  or budget=<bytes>');
    }
  }
  return profile;
}

/** How a run ended: who ended it, the process exit code, and the guest's code or the error. */
export interface RunOutcome {
  endedBy: 'guest' | 'fayger';
  exitCode: number;
  guestExitCode?: number;
  error?: FaygerError;
}

/** The process exit code for a guest's exit code: itself in 0–255, else RUN_EXIT_CODES.GUEST_EXIT_OUT_OF_RANGE. */
export function processExitCodeForGuest(code: number): number {
  return Number.isInteger(code) && code >= 0 && code <= 255 ? code : RUN_EXIT_CODES.GUEST_EXIT_OUT_OF_RANGE;
}

/** The outcome of a run that ended with `err` (a guest trap, or a Fayger failure before or while it ran). */
export function outcomeForError(err: unknown): RunOutcome {
  const error = FaygerError.is(err)
    ? err
    : new FaygerError({
        code: 'INTERNAL',
        phase: 'run',
        what: 'fayger run',
        found: err instanceof Error ? (err.stack ?? err.message) : String(err),
        cause: err,
      });
  return { endedBy: isGuestTrap(error) ? 'guest' : 'fayger', exitCode: runExitCodeFor(error), error };
}

/**
 * `fayger run`. Never throws: every ending is reported the same way — an error line on stderr for a trap or a
 * Fayger failure, the `cli.run.ended` event with `--events json`, one JSON object as the last stderr line with
 * `--json` — and the exit code is the guest's (0–255), 134 for a trap, or a RUN_EXIT_CODES code.
 */
export async function run(args: string[], io: CliIo, resumeFrom?: ResumeFrom): Promise<number> {
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const json = own.includes('--json');
  const eventsJson = own.some((a, i) => a === '--events=json' || (a === '--events' && own[i + 1] === 'json'));
  const events = new EventBus();
  if (eventsJson) events.pipe(jsonLinesSink({ write: (s: string) => io.stderr(s) }));
  let outcome: RunOutcome;
  try {
    const r = await runGuest(args, io, events, resumeFrom);
    if (r === 'help') return 0;
    outcome = r;
  } catch (err) {
    outcome = outcomeForError(err);
  }
  const error = outcome.error && forCli(outcome.error, 'run');
  if (error)
    io.stderr(
      `fayger run: ${outcome.endedBy === 'guest' ? 'guest trapped' : 'error'} ${error.code} (phase ${error.phase}): ${error.message}\n`,
    );
  if (outcome.guestExitCode !== undefined && outcome.exitCode !== outcome.guestExitCode) {
    io.stderr(
      `fayger run: the guest exited with code ${outcome.guestExitCode}, outside the 0–255 a process exit status can carry; exiting ${outcome.exitCode} instead (see \`fayger run --help\`)\n`,
    );
  }
  const data = {
    endedBy: outcome.endedBy,
    exitCode: outcome.exitCode,
    ...(outcome.guestExitCode !== undefined ? { guestExitCode: outcome.guestExitCode } : {}),
    ...(error ? { error: error.toJSON() } : {}),
  };
  emitEvent(events, 'cli.run.ended', data);
  if (json) io.stderr(`${JSON.stringify({ ok: outcome.endedBy === 'guest' && outcome.exitCode === 0, ...data })}\n`);
  return outcome.exitCode;
}

/** `fayger resume`: the snapshot file to continue (the BuF is run's positional). */
export interface ResumeFrom {
  snapshotFile: string;
}

async function runGuest(
  args: string[],
  io: CliIo,
  events: EventBus,
  resumeFrom?: ResumeFrom,
): Promise<RunOutcome | 'help'> {
  const dash = args.indexOf('--');
  const guestArgs = dash >= 0 ? args.slice(dash + 1) : [];
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const { values, positionals } = parse('run', own, {
    'trusted-roots': { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    'allow-rollback': { type: 'boolean' },
    host: { type: 'string' },
    grant: { type: 'string', multiple: true },
    deny: { type: 'string', multiple: true },
    dir: { type: 'string', multiple: true },
    env: { type: 'string', multiple: true },
    argv0: { type: 'string' },
    quota: { type: 'string', multiple: true },
    profile: { type: 'string', multiple: true },
    strategy: { type: 'string' },
    events: { type: 'string' },
    trace: { type: 'string' },
    explain: { type: 'boolean' },
    engine: { type: 'string' },
    log: { type: 'string' },
    'state-dir': { type: 'string' },
    'no-version-store': { type: 'boolean' },
    json: { type: 'boolean' },
    snapshot: { type: 'string' },
    'snapshot-on-exit-after': { type: 'string' },
    'snapshot-key': { type: 'string' },
  });
  if (values.help) return (io.stdout(runHelp), 'help');
  if (positionals.length !== 1) {
    throw usage(
      'run',
      positionals.length === 0
        ? 'no artifact'
        : `${positionals.length} arguments (${positionals.join(' ')}); guest arguments go after --`,
      'exactly one artifact (a .buf path or an http(s) URL)',
    );
  }
  const target = positionals[0];
  const isUrl = URL_LIKE.test(target);
  if (isUrl && /\.wasm$/i.test(new URL(target).pathname)) {
    throw new FaygerError({
      code: 'CLI_MODULE_NOT_LOCAL',
      phase: 'run',
      what: `fayger run ${target}`,
      expected: 'a bare WebAssembly module given by a local path, or a signed BuF by URL',
      found: 'a .wasm URL: unsigned modules are never fetched and run',
      hint: 'Download the module and run it by its local path after checking where it comes from.',
      details: { url: target },
    });
  }
  const strategy = values.strategy as string | undefined;
  if (strategy !== undefined && strategy !== 'lazy' && strategy !== 'eager')
    throw usage('run', `--strategy ${strategy}`, 'lazy or eager');
  const eventsMode = values.events as string | undefined;
  if (eventsMode !== undefined && eventsMode !== 'json' && eventsMode !== 'pretty')
    throw usage('run', `--events ${eventsMode}`, 'json or pretty');
  const logFormat = (values.log as string | undefined) ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') throw usage('run', `--log ${logFormat}`, 'text or json');
  const traceMode = values.trace as string | undefined;
  if (traceMode !== undefined && traceMode !== 'console' && traceMode !== 'otlp')
    throw usage('run', `--trace ${traceMode}`, 'console or otlp');
  const host = values.host as string | undefined;
  if (host !== undefined && host !== 'server' && host !== 'desktop')
    throw usage('run', `--host ${host}`, 'server or desktop');
  const engine = (values.engine as string | undefined) ?? DEFAULT_ENGINE;
  if (!(ENGINE_CHOICES as readonly string[]).includes(engine))
    throw usage('run', `--engine ${engine}`, ENGINE_CHOICES.join(', '));
  const snapshotOptions = parseSnapshotOptions(resumeFrom ? 'resume' : 'run', io.cwd, values);
  // Both engines capture and restore snapshots in the engine-neutral state: a resume continues on the engine
  // `--engine` picks (auto: the router's choice on this host); an engine's own older state continues on the engine
  // that wrote it (the runtime routes to it among the candidates, SNAPSHOT_ENGINE_MISMATCH when it is not one).
  const snapshotEngineLine =
    resumeFrom && engine === 'auto'
      ? "engine: the router's choice on this host (either engine reads the snapshot; --engine picks one)\n"
      : undefined;
  // Usage errors first; then whether the file is a bare module (an unreadable one is an I/O error).
  const modulePath = isUrl ? undefined : resolve(io.cwd, target);
  const bareModule = modulePath !== undefined && (await sniffModule(modulePath));
  const rootsFile = values['trusted-roots'] as string | undefined;
  const allowUnsigned = values['allow-unsigned'] === true;
  if (!bareModule && !rootsFile && !allowUnsigned)
    throw usage('run', 'no --trusted-roots', '--trusted-roots <file> (or --allow-unsigned for development)');

  const grants = list(values.grant);
  const allowAll = grants.includes('all');
  const dirs = list(values.dir).map((d) => parseDirSpec(d, io.cwd));
  const env = parseEnv(list(values.env));
  const envNames = env.names;
  const argv0 = values.argv0 as string | undefined;
  let policy;
  const explicitGrants = grants.filter((g) => g !== 'all');
  try {
    policy = buildHostPolicy({
      grants: explicitGrants,
      deny: list(values.deny),
      fsRoots: dirs.filter((d) => !d.readOnly).map((d) => d.guest),
      fsReadOnlyRoots: dirs.filter((d) => d.readOnly).map((d) => d.guest),
      envVariables: envNames,
      allowAll,
    });
  } catch (err) {
    if (FaygerError.is(err)) {
      // One statement of the problem, in flags: `--grant "nope"`, expected a capability name…
      const d = err.details as { option?: string; value?: string; expected?: string; found?: string };
      if (d.option && d.value !== undefined) {
        throw usage(
          'run',
          `--${d.option} ${JSON.stringify(d.value)}${d.found !== undefined && d.found !== d.value ? ` (${d.found})` : ''}`,
          d.expected,
        );
      }
      throw usage('run', err.message);
    }
    throw err;
  }
  const resources = parseQuota(list(values.quota));
  const profile = parseProfile(list(values.profile));

  // Guest log lines go straight to the stderr stream when there is one, so a log flood gets its backpressure.
  const stderrWriter = io.stderrStream ?? { write: (s: string) => io.stderr(s) };
  if (eventsMode === 'pretty') {
    const line = (...a: unknown[]) => io.stderr(`${a.map(String).join(' ')}\n`);
    events.pipe(prettyConsoleSink({ console: { log: line, warn: line, error: line }, minLevel: 'debug' }) as EventSink);
  }

  // The OpenTelemetry SDK is imported only when asked for (start-up time of every other run).
  const tracing = traceMode ? (await import('../trace.js')).startRunTrace(traceMode, events, io, target) : undefined;

  // A bare module is wrapped in an unsigned in-memory BuF whose manifest comes from its imports and the flags.
  let input: string | Uint8Array = refOf(io.cwd, target).ref;
  if (bareModule && modulePath) {
    const bytes = await readFileWithProgress(io, modulePath);
    const flagged = new Set<string>(explicitGrants.map((g) => parseGrant(g).name));
    if (dirs.length) flagged.add('fs.read');
    if (dirs.some((d) => !d.readOnly)) flagged.add('fs.write');
    if (envNames.length) flagged.add('env');
    const manifest = manifestForModule(bytes, { label: target, alsoRequest: [...flagged] });
    input = await packModule(bytes, manifest, detectDigestProvider());
  }
  const trust: NodeFaygerTrust = bareModule
    ? // A bare module is unsigned; --trusted-roots still judges a snapshot resumed with it (its host key).
      rootsFile
      ? { rootsFile: resolve(io.cwd, rootsFile), allowUnsigned: true }
      : { allowUnsigned: true }
    : rootsFile
      ? {
          rootsFile: resolve(io.cwd, rootsFile),
          ...(allowUnsigned ? { allowUnsigned: true } : {}),
          ...(values['allow-rollback'] ? { allowRollback: true } : {}),
        }
      : { allowUnsigned: true };
  // The engine's implementations, registered in router order (a forced engine the host cannot run stops here,
  // FAYGER_ENGINE_UNAVAILABLE naming --engine). With --explain each router decision is printed as it happens.
  const implementations = engineImplementations(engine, 'fayger run --engine');
  let explainedInstance: string | undefined;
  const engineLines: string[] = [];
  if (values.explain) {
    events.on('runtime.implementation.selected', (e) => {
      const line = `engine: ${e.data.implementation} — ${e.data.reason} (--engine ${engine})\n`;
      if (explainedInstance === undefined) engineLines.push(line);
      else if (e.instanceId === explainedInstance) io.stderr(line);
    });
  }
  const fayger = createNodeFayger({
    trust,
    events,
    implementations,
    policy,
    resources,
    profile,
    ...(strategy ? { strategy: strategy as 'lazy' | 'eager' } : {}),
    ...(host ? { host } : {}),
    // The CLI keeps state between runs (the library persists nothing unless told where).
    stateDir: values['state-dir'] ? resolve(io.cwd, values['state-dir'] as string) : defaultStateDir(),
    ...(values['no-version-store'] || bareModule ? { versionStore: false as const } : {}),
    dirs,
    envAllow: allowAll ? [...envNames] : envNames,
    ...(Object.keys(env.values).length ? { envValues: env.values } : {}),
    log: { format: logFormat, stream: stderrWriter },
  });
  let result: RunResult;
  let snapshotter: Snapshotter | undefined;
  try {
    const snapshotBytes = resumeFrom ? await readFileWithProgress(io, resumeFrom.snapshotFile) : undefined;
    const runOptions: Parameters<typeof fayger.start>[1] = {
      args: guestArgs,
      ...(argv0 !== undefined ? { programName: argv0 } : bareModule ? { programName: target } : {}),
      onInstance: (instance, loaded) => {
        if (!values.explain) return;
        explainedInstance = instance.id;
        if (bareModule) {
          io.stderr(
            `fayger run: unsigned local module ${target} — manifest synthesised from its imports and the flags (id ${loaded.manifest.id}, every capability optional)\n`,
          );
        } else {
          io.stderr(
            `fayger run: ${loaded.manifest.id}@${loaded.manifest.version} (publisher ${loaded.manifest.publisher}) — ${loaded.signature.result.unsigned ? 'unsigned (allowed)' : `signed by ${loaded.signature.result.verifiedKeyIds.join(', ')}`}\n`,
          );
        }
        io.stderr(
          `host: ${fayger.adapter.id} adapter (${fayger.adapter.hostKind}); implementation: ${instance.implementation}; strategy: ${loaded.strategy}\n`,
        );
        for (const line of engineLines.splice(0)) io.stderr(line);
        io.stderr(formatSelectionReport(loaded.selection));
        io.stderr(formatGrantReport(instance.grants, { adapter: fayger.adapter.id, storage: fayger.storage }));
        io.stderr(formatLimits(instance.limits, instance.limitSources));
        // After the load-time engine check (a fallback prints its engine line before this).
        const off = instance.onTransition((t) => {
          if (t.to !== 'Running') return;
          off();
          io.stderr('--- guest output ---\n');
        });
      },
    };
    const explainInstance = runOptions.onInstance!;
    runOptions.onInstance = (instance, loaded) => {
      if (values.explain && snapshotEngineLine) io.stderr(snapshotEngineLine);
      explainInstance(instance, loaded);
      if (snapshotOptions)
        snapshotter = watchForSnapshot(instance, snapshotOptions, io, {
          stateDir: values['state-dir'] ? resolve(io.cwd, values['state-dir'] as string) : defaultStateDir(),
          encode: (snap, signer) => fayger.snapshot(snap, { signer }),
          buf: target,
          resumed: snapshotBytes !== undefined,
        });
    };
    const handle = snapshotBytes
      ? await fayger.startResume(input, snapshotBytes, runOptions)
      : await fayger.start(input, runOptions);
    result = await handle.done;
    snapshotter?.stop();
    const written = await snapshotter?.written;
    if (snapshotter?.failure) return outcomeForError(snapshotter.failure);
    if (written) return { endedBy: 'fayger', exitCode: 0 };
  } finally {
    snapshotter?.stop();
    await fayger.close();
    await tracing?.end();
  }
  if (values.explain) {
    const u = result.usage;
    io.stderr(
      `--- ${result.state}${result.exitCode !== undefined ? ` with exit code ${result.exitCode}` : ''}; fuel ${u.fuelUsed}, host calls ${u.hostCalls}, peak memory ${u.peakMemoryPages} pages, ${u.wallTimeMs.toFixed(1)} ms ---\n`,
    );
  }
  if (result.state === 'Failed') {
    return outcomeForError(
      result.error ??
        new FaygerError({ code: 'INTERNAL', phase: 'run', what: 'running the guest', found: 'Failed without a cause' }),
    );
  }
  const guestExitCode = result.exitCode ?? 0;
  return { endedBy: 'guest', exitCode: processExitCodeForGuest(guestExitCode), guestExitCode };
}

import { resolve } from 'node:path';
import { FaygerError, type EventSink, type LoadProfile } from '@fayger/contracts';
import { EventBus, jsonLinesSink, prettyConsoleSink } from '@fayger/observability';
import { buildHostPolicy, formatGrantReport, formatSelectionReport, type RunResult } from 'fayger';
import { createNodeFayger, parseDirSpec, type NodeFaygerTrust } from 'fayger/node';
import { parse, usage } from '../args.js';
import { exitCodeFor } from '../exit-codes.js';
import type { CliIo } from '../io.js';

export const runHelp = `fayger run — load, verify and run a .buf

Usage: fayger run <file.buf | https://…/app.buf> --trusted-roots <roots.json> [options] [-- guest args…]

Loads the artifact (header, manifest, index and signature; sections on first use with the lazy strategy),
verifies it against the trusted roots, picks the host adapter, negotiates capabilities (requested by the
manifest ∩ offered by the adapter ∩ allowed by the host policy below), runs it in the WebAssembly interpreter
and exits with the guest's exit code.

Host policy (default deny): log, clock, random, timer, app, stdio and ui are allowed (they reach nothing
outside the instance); everything else needs a flag. A required capability that is not granted stops the run
before the guest starts (exit 7); an optional one is reported to the guest as absent, and its calls fail with
a typed denial.

Options:
      --trusted-roots <file>   trusted-roots document (required unless --allow-unsigned)
      --allow-unsigned         accept an artifact without signatures (development only)
      --host <server|desktop>  force the adapter (default: desktop when stdin and stdout are terminals, else server)
      --grant <cap[:scope]>    allow a capability, optionally scoped (repeatable): fs.read:/data,
                               net.http:https://api.example.com, net.listen:8080, env:HOME, kv:cache, notify;
                               --grant all allows whatever the adapter offers
      --deny <cap>             forbid a capability outright (repeatable; wins over any grant)
      --dir <guest=host>       mount a host directory at a guest path and allow fs.read + fs.write there
                               (repeatable), e.g. --dir /data=./work
      --env <NAME>             let the guest read one environment variable (repeatable)
      --quota <k=v,…>          cap resources: fuel, memoryPages, wallTimeMs, callDepth, hostCallsPerSecond
      --profile <k=v,…>        selection profile (repeatable): features=simd,…  locales=fr,en  budget=<bytes>
      --strategy <lazy|eager>  read section bodies on first use (default) or all up front
      --events <json|pretty>   event stream on stderr: JSON lines with the contract event names, or text
      --explain                print the selection report and the grant report (stderr) before running
      --trace <console|otlp>   OpenTelemetry: the load span tree and the instance span, printed as a tree on
                               stderr (console) or sent over OTLP/HTTP to $OTEL_EXPORTER_OTLP_ENDPOINT with
                               host-call metrics (otlp; the standard OTEL_* variables apply)
      --log <text|json>        format of the guest's log records on stderr (default text)
      --state-dir <dir>        per-user state: rollback store, server data root, kv (default $FAYGER_STATE_DIR,
                               else ~/.local/state/fayger)
      --no-version-store       skip rollback protection
  -h, --help                   this help

Exit codes: the guest's own exit code when it exits; otherwise 1 usage, 2 verification failed (signature,
trust, rollback, tampering), 3 malformed artifact, 4 I/O, 5 unsupported, 6 the guest failed (trap, quota,
link error), 7 a required capability was not granted, 10 internal. The error code is printed on stderr.

Examples:
  fayger run examples/hello/dist/hello.buf --trusted-roots .fayger-dev/trusted-roots.json --explain
  fayger run file-tool.buf --trusted-roots roots.json --dir /data=./work
  fayger run http-echo.buf --trusted-roots roots.json --grant net.listen:8787 --env ECHO_MAX_REQUESTS
  fayger run wasi-c.buf --trusted-roots roots.json --dir /data=. -- /data/README.md
  fayger run app.buf --trusted-roots roots.json --quota fuel=50000000,wallTimeMs=5000 --events json
`;

const QUOTA_KEYS = new Set(['fuel', 'memoryPages', 'wallTimeMs', 'callDepth', 'hostCallsPerSecond']);

function list(v: unknown): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

function parseQuota(specs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of specs.flatMap((s) => s.split(','))) {
    if (!part.trim()) continue;
    const [k, v] = part.split('=');
    const n = Number(v);
    if (!QUOTA_KEYS.has(k) || !Number.isFinite(n) || n < 0 || !Number.isInteger(n)) {
      throw usage('run', `--quota ${JSON.stringify(part)}`, `k=v with k one of ${[...QUOTA_KEYS].join(', ')} and v a non-negative integer`);
    }
    out[k] = n;
  }
  return out;
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
    else if (i > 0 && key === 'budget' && values.length === 1 && Number.isSafeInteger(Number(values[0])) && Number(values[0]) >= 0) {
      profile.byteBudget = Number(values[0]);
    } else {
      throw usage('run', `--profile ${JSON.stringify(spec)}`, 'features=a,b  locales=fr,en  or budget=<bytes>');
    }
  }
  return profile;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const dash = args.indexOf('--');
  const guestArgs = dash >= 0 ? args.slice(dash + 1) : [];
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const { values, positionals } = parse('run', own, {
    'trusted-roots': { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    host: { type: 'string' },
    grant: { type: 'string', multiple: true },
    deny: { type: 'string', multiple: true },
    dir: { type: 'string', multiple: true },
    env: { type: 'string', multiple: true },
    quota: { type: 'string', multiple: true },
    profile: { type: 'string', multiple: true },
    strategy: { type: 'string' },
    events: { type: 'string' },
    trace: { type: 'string' },
    explain: { type: 'boolean' },
    log: { type: 'string' },
    'state-dir': { type: 'string' },
    'no-version-store': { type: 'boolean' },
  });
  if (values.help) return io.stdout(runHelp), 0;
  if (positionals.length !== 1) {
    throw usage('run', positionals.length === 0 ? 'no artifact' : `${positionals.length} arguments (${positionals.join(' ')}); guest arguments go after --`, 'exactly one artifact (a .buf path or an http(s) URL)');
  }
  const target = positionals[0];
  const rootsFile = values['trusted-roots'] as string | undefined;
  const allowUnsigned = values['allow-unsigned'] === true;
  if (!rootsFile && !allowUnsigned) throw usage('run', 'no --trusted-roots', '--trusted-roots <file> (or --allow-unsigned for development)');
  const strategy = values.strategy as string | undefined;
  if (strategy !== undefined && strategy !== 'lazy' && strategy !== 'eager') throw usage('run', `--strategy ${strategy}`, 'lazy or eager');
  const eventsMode = values.events as string | undefined;
  if (eventsMode !== undefined && eventsMode !== 'json' && eventsMode !== 'pretty') throw usage('run', `--events ${eventsMode}`, 'json or pretty');
  const logFormat = (values.log as string | undefined) ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') throw usage('run', `--log ${logFormat}`, 'text or json');
  const traceMode = values.trace as string | undefined;
  if (traceMode !== undefined && traceMode !== 'console' && traceMode !== 'otlp') throw usage('run', `--trace ${traceMode}`, 'console or otlp');
  const host = values.host as string | undefined;
  if (host !== undefined && host !== 'server' && host !== 'desktop') throw usage('run', `--host ${host}`, 'server or desktop');

  const grants = list(values.grant);
  const allowAll = grants.includes('all');
  const dirs = list(values.dir).map((d) => parseDirSpec(d, io.cwd));
  const envNames = list(values.env);
  let policy;
  try {
    policy = buildHostPolicy({ grants: grants.filter((g) => g !== 'all'), deny: list(values.deny), fsRoots: dirs.map((d) => d.guest), envVariables: envNames, allowAll });
  } catch (err) {
    if (FaygerError.is(err)) throw usage('run', err.message);
    throw err;
  }
  const resources = parseQuota(list(values.quota));
  const profile = parseProfile(list(values.profile));

  const events = new EventBus();
  const stderrWriter = { write: (s: string) => io.stderr(s) };
  if (eventsMode === 'json') events.pipe(jsonLinesSink(stderrWriter));
  if (eventsMode === 'pretty') {
    const line = (...a: unknown[]) => io.stderr(`${a.map(String).join(' ')}\n`);
    events.pipe(prettyConsoleSink({ console: { log: line, warn: line, error: line }, minLevel: 'debug' }) as EventSink);
  }

  // The OpenTelemetry SDK is imported only when asked for (start-up time of every other run).
  const tracing = traceMode ? (await import('../trace.js')).startRunTrace(traceMode, events, io, target) : undefined;

  const trust: NodeFaygerTrust = rootsFile
    ? { rootsFile: resolve(io.cwd, rootsFile), ...(allowUnsigned ? { allowUnsigned: true } : {}) }
    : { allowUnsigned: true };
  const fayger = createNodeFayger({
    trust,
    events,
    policy,
    resources,
    profile,
    ...(strategy ? { strategy: strategy as 'lazy' | 'eager' } : {}),
    ...(host ? { host } : {}),
    ...(values['state-dir'] ? { stateDir: resolve(io.cwd, values['state-dir'] as string) } : {}),
    ...(values['no-version-store'] ? { versionStore: false as const } : {}),
    dirs,
    envAllow: allowAll ? [...envNames] : envNames,
    log: { format: logFormat, stream: stderrWriter },
  });
  let result: RunResult;
  try {
    const input = /^https?:\/\//i.test(target) ? target : resolve(io.cwd, target);
    const handle = await fayger.start(input, {
      args: guestArgs,
      onInstance: (instance, loaded) => {
        if (!values.explain) return;
        io.stderr(`fayger run: ${loaded.manifest.id}@${loaded.manifest.version} (publisher ${loaded.manifest.publisher}) — ${loaded.signature.result.unsigned ? 'unsigned (allowed)' : `signed by ${loaded.signature.result.verifiedKeyIds.join(', ')}`}\n`);
        io.stderr(`host: ${fayger.adapter.id} adapter (${fayger.adapter.hostKind}); implementation: ${instance.implementation}; strategy: ${loaded.strategy}\n`);
        io.stderr(formatSelectionReport(loaded.selection));
        io.stderr(formatGrantReport(instance.grants, { adapter: fayger.adapter.id }));
        io.stderr('--- guest output ---\n');
      },
    });
    result = await handle.done;
  } finally {
    await fayger.close();
    await tracing?.end();
  }
  if (values.explain) {
    const u = result.usage;
    io.stderr(`--- ${result.state}${result.exitCode !== undefined ? ` with exit code ${result.exitCode}` : ''}; fuel ${u.fuelUsed}, host calls ${u.hostCalls}, peak memory ${u.peakMemoryPages} pages, ${u.wallTimeMs.toFixed(1)} ms ---\n`);
  }
  if (result.state === 'Failed') {
    const err = result.error ?? new FaygerError({ code: 'INTERNAL', phase: 'run', what: 'running the guest', found: 'Failed without a cause' });
    io.stderr(`fayger run: error ${err.code} (phase ${err.phase}): ${err.message}\n`);
    return exitCodeFor(err);
  }
  return result.exitCode ?? 0;
}

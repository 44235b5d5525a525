// `fayger run --help`: kept apart from the command so help never loads the command's dependencies (it is
// imported only when asked for: the default limits it lists come from the runtime).
import { QUOTA_INFO, QUOTA_KEYS } from '@fayger/contracts';
import { DEFAULT_QUOTAS } from 'fayger';

export const runHelp = `fayger run — load, verify and run a .buf, or run a bare WebAssembly module

Usage: fayger run <file.buf | https://…/app.buf> --trusted-roots <roots.json> [options] [-- guest args…]
       fayger run <app.wasm> [--dir HOST[::GUEST][:ro]]… [--env K=V | --env K]… [--argv0 NAME] [options] [-- args…]

Loads the artifact (header, manifest, index and signature; sections on first use with the lazy strategy),
verifies it against the trusted roots, picks the host adapter, negotiates capabilities (requested by the
manifest ∩ offered by the adapter ∩ allowed by the host policy below), runs it on the engine the router picks
(--engine) and exits with the guest's exit code.

A bare module (a local file that starts with the WebAssembly magic, e.g. a wasm32-wasip1 program) needs no
signature and no trusted roots: Fayger synthesises its manifest from the flags — every capability its WASI and
fayger imports can use, each optional, so only what the flags grant is granted — and --explain reports it as an
unsigned local module. Bare modules run only from a local path you typed, never from a URL.

Host policy (default deny): log, clock, random, timer, app, stdio and ui are allowed (they reach nothing
outside the instance); everything else needs a flag. A required capability that is not granted stops the run
before the guest starts (exit 117); an optional one is reported to the guest as absent, and its calls fail with
a typed denial.

Options:
      --trusted-roots <file>   trusted-roots document (required unless --allow-unsigned)
      --allow-unsigned         accept an artifact that has no signature section (development only); a
                               signature that is present is still verified, and a failing one refused
      --allow-rollback         accept an artifact whose manifest sequence is lower than the one recorded for
                               its (publisher, id) in the state dir (a deliberate downgrade)
      --host <server|desktop>  force the adapter (default: desktop when stdin and stdout are terminals, else server)
      --grant <cap[:scope]>    allow a capability, optionally scoped (repeatable): fs.read:/data,
                               net.http:https://api.example.com, net.listen:8080, env:HOME, kv:cache, notify;
                               --grant all allows whatever the adapter offers
      --deny <cap>             forbid a capability outright (repeatable; wins over any grant)
      --dir <HOST[::GUEST][:ro]>  mount a host directory for the guest and allow fs.read + fs.write there
                               (fs.read only with :ro; writes then fail) (repeatable). HOST alone mounts at the
                               same path (a relative HOST at /HOST, "." at /); --dir ./root::/ mounts at the
                               guest's /. The older GUEST=HOST form (--dir /data=./work) still works
      --env <K=V | K>          give the guest variable K the value V, or this process's K (repeatable)
      --argv0 <NAME>           the guest's argv[0] (default: the module path as typed; a BuF's manifest id)
      --quota <k=v,…>          set the host's limit for a resource (repeatable); v is a non-negative integer or
                               \`unlimited\`. The guest gets min(its manifest quota, this value); a key given
                               here replaces its default (so it can raise it). One unit of fuel is one
                               WebAssembly instruction executed (SIMD included; charged per straight-line
                               block, so the count is the same on every run and machine); bulk memory/table
                               operations (memory.grow, fill, copy, init; table.*) cost one more per 64 bytes
                               (8 bytes per table element), and host-call payloads one per 64 bytes.
                               Keys and defaults:
${QUOTA_KEYS.map((k) => `                                 ${k.padEnd(19)}${DEFAULT_QUOTAS[k] === undefined ? 'unlimited' : String(DEFAULT_QUOTAS[k])} (${QUOTA_INFO[k].unit})`).join('\n')}
      --snapshot <file>        write a signed snapshot of the guest (docs/spec/snapshot-v1.md) when it stops early:
                               after --snapshot-on-exit-after fuel, or on SIGINT/SIGTERM; continue it with
                               \`fayger resume <file> <app.buf>\` (on either engine: interpreter or transpiler).
                               Exits 0 once the snapshot is written (the guest did not end)
      --snapshot-on-exit-after <fuel>
                               stop at the first fuel point at or past this much fuel (the same point on
                               every run and host) and write the snapshot
      --snapshot-key <key.json>
                               key that signs the snapshot (default: a host key kept in the state dir,
                               snapshot-host.key.json, created on first use; its trusted-roots entry, scoped to
                               fayger.snapshot, is written beside it as snapshot-host.pub.json)
      --profile <k=v,…>        selection profile (repeatable): features=simd,…  locales=fr,en  budget=<bytes>
      --strategy <lazy|eager>  read section bodies on first use (default) or all up front
      --engine <auto|interpreter|transpiler>
                               execution engine (default auto): auto lets the router pick — the manifest's
                               runtime policy, then the transpiler (WebAssembly compiled to JavaScript) where
                               this host allows new Function, else the interpreter, falling back to the
                               interpreter when the transpiler refuses the module (e.g. SIMD); interpreter or
                               transpiler force one (exit 115 when the host cannot run it). --explain says which
                               engine ran and why
      --events <json|pretty>   event stream on stderr: JSON lines with the contract event names, or text
      --json                   after the run, print one JSON object as the last line of stderr (stdout is the
                               guest's): {"ok","endedBy":"guest"|"fayger","exitCode","guestExitCode"?,"error"?}
      --explain                print the engine and why, the selection report, the grant report and the
                               effective limits (stderr) before running
      --trace <console|otlp>   OpenTelemetry: the load span tree and the instance span, printed as a tree on
                               stderr (console) or sent over OTLP/HTTP to $OTEL_EXPORTER_OTLP_ENDPOINT with
                               host-call metrics (otlp; the standard OTEL_* variables apply)
      --log <text|json>        format of the guest's log records on stderr (default text)
      --state-dir <dir>        per-user state: rollback store, server data root, kv (default $FAYGER_STATE_DIR,
                               else ~/.local/state/fayger)
      --no-version-store       skip rollback protection (no sequence is read or recorded)
  -h, --help                   this help

Exit codes (the guest's own exit status stays distinguishable from Fayger's):
  0–255  the guest's exit code (proc_exit, fayger.exit or _start's result), unchanged
  134    the guest trapped (unreachable, out-of-bounds access, division by zero, stack exhausted), as wasmtime
  111    usage error (bad option or value; a .wasm URL)      116  Fayger stopped the guest or could not start it
  112    verification failed (signature, trust, rollback,          (quota breach, link error, strict denial)
         expiry, tampering)                                  117  a required capability was not granted
  113    malformed artifact, module, manifest or roots file  119  the guest exited with a code outside 0–255
  114    I/O error                                                 (the full code is on stderr and in --json)
  115    unsupported (format, algorithm, implementation)     120  internal error (a bug: please report it)
A guest that hits a limit ends with its QUOTA_* code (exit 116); a closed stdout/stderr (\`| head\`) ends the
run with ADAPTER_STREAM_CLOSED (exit 114). A trap or a Fayger error prints "fayger run: <guest trapped|error> CODE (phase …): message" on stderr.
With --events json the last event is cli.run.ended with the same fields.

Examples:
  fayger run examples/hello/dist/hello.buf --trusted-roots .fayger-dev/trusted-roots.json --explain
  fayger run file-tool.buf --trusted-roots roots.json --dir /data=./work
  fayger run http-echo.buf --trusted-roots roots.json --grant net.listen:8787 --env ECHO_MAX_REQUESTS
  fayger run wasi-c.buf --trusted-roots roots.json --dir .::/data -- /data/README.md
  fayger run prog.wasm --dir ./fixtures::/ --dir ./in::/in:ro --env HOME=/ --argv0 prog -- -v input.txt
  fayger run app.buf --trusted-roots roots.json --quota fuel=50000000,wallTimeMs=5000 --events json
`;

// `fayger resume --help`: kept apart from the command so help never loads the command's dependencies.
export const resumeHelp = `fayger resume — continue a guest from a snapshot written by \`fayger run --snapshot\`

Usage: fayger resume <snapshot> <file.buf | URL> --trusted-roots <roots.json> [run options] [-- guest args…]

Loads and verifies the snapshot (every digest; its signer must be a host key the trusted roots list for
fayger.snapshot) and the original BuF (as \`fayger run\` does), checks that the snapshot was taken of exactly
that BuF's code (SNAPSHOT_CODE_MISMATCH otherwise), negotiates capabilities again with the flags given here —
a snapshot never grants anything: a pending host call or an open file whose capability is not granted now
fails the resume (SNAPSHOT_CAPABILITY_REVOKED), a resource that cannot be reopened fails it
(SNAPSHOT_RESOURCE_UNAVAILABLE), both before the guest runs — then continues the guest on the engine --engine
names (interpreter or transpiler: a snapshot of either resumes on either), else on the one the router picks on
this host (an engine's own pre-neutral state only on that engine), and exits with its exit code. The BuF is named explicitly: a snapshot binds the code by digest, not by location.

The snapshot file comes first. Options: those of \`fayger run\` (--trusted-roots, --allow-unsigned, --grant,
--deny, --dir, --env, --quota, --host, --engine, --explain, --events, --log, --state-dir, --json), and
      --snapshot <file>                 write a new snapshot of the resumed guest (as fayger run)
      --snapshot-on-exit-after <fuel>   … after this much more fuel (counted from the snapshot point)
      --snapshot-key <key.json>         signing key (default: the host key in the state dir)

Format: docs/spec/snapshot-v1.md. Exit codes as fayger run (111–120): 112 an untrusted or altered snapshot,
113 a malformed one or one of other code, 115 an engine that cannot restore it, 117 a revoked capability.

Examples:
  fayger run app.buf --trusted-roots roots.json --snapshot app.snap --snapshot-on-exit-after 5000000
  fayger inspect app.snap
  fayger resume app.snap app.buf --trusted-roots roots.json --dir /data=./work
`;

// `fayger inspect --help`: kept apart from the command so help never loads the command's dependencies.
export const inspectHelp = `fayger inspect — show what a .buf or a snapshot contains

Usage: fayger inspect <file.buf | URL | snapshot file> [--json] [--trusted-roots <roots.json>]

Prints the header, the manifest, the sections (id, kind, size, digest, selectors, dependencies) and the
signature key ids. Checks the structure and the root digest, but not trust (use fayger verify) and not the
section bodies. Reads only the header, manifest, index and signature — also from a URL (https://…,
s3://bucket/key, ipfs://CID; S3 settings from the AWS_* variables or profile, IPFS gateways from
FAYGER_IPFS_GATEWAY).

A snapshot (written by \`fayger run --snapshot\`, docs/spec/snapshot-v1.md) is recognised by its header: prints the
app, code digest, engine and state version, fuel used, memories (pages / non-zero pages stored), unfinished
calls, the pending host call, grants, resources, origin and signer. Every section digest is checked; the signer
is checked against --trusted-roots when given (a host key trusted for fayger.snapshot).

Options:
  --json                    machine-readable output
  --trusted-roots <file>    snapshots: verify the signing host key against this trusted-roots document

Examples:
  fayger inspect app.buf
  fayger inspect app.buf --json | jq '.sections[] | {name, size}'
  fayger inspect run.snap --trusted-roots ~/.fayger/trusted-roots.json
  FAYGER_IPFS_GATEWAY=http://127.0.0.1:8080 fayger inspect ipfs://bafybei…
`;

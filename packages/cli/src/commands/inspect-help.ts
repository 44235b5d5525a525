// `fayger inspect --help`: kept apart from the command so help never loads the command's dependencies.
export const inspectHelp = `fayger inspect — show what a .buf contains

Usage: fayger inspect <file.buf | URL> [--json]

Prints the header, the manifest, the sections (id, kind, size, digest, selectors, dependencies) and the
signature key ids. Checks the structure and the root digest, but not trust (use fayger verify) and not the
section bodies. Reads only the header, manifest, index and signature — also from a URL (https://…,
s3://bucket/key, ipfs://CID; S3 settings from the AWS_* variables or profile, IPFS gateways from
FAYGER_IPFS_GATEWAY).

Options:
  --json   machine-readable output

Examples:
  fayger inspect app.buf
  fayger inspect app.buf --json | jq '.sections[] | {name, size}'
  FAYGER_IPFS_GATEWAY=http://127.0.0.1:8080 fayger inspect ipfs://bafybei…
`;

// `fayger verify --help`: kept apart from the command so help never loads the command's dependencies.
export const verifyHelp = `fayger verify — check a .buf against trusted roots

Usage: fayger verify <file.buf | URL> --roots <trusted-roots.json> [options]

Checks the structure, the root digest, the signatures under the trust policy (threshold of distinct trusted
keys, publisher scopes, key validity and revocation, manifest expiry), optional rollback protection, and the
digest of every section. The exit code says why it failed (see fayger --help); the error code is printed on
stderr. The artifact may be a URL (https://…, s3://bucket/key, ipfs://CID): every byte is read and verified.

Options:
  -r, --roots <file>          trusted-roots document (required)
  -t, --threshold <n>         distinct trusted keys required (default 1)
      --allow-unsigned        accept an artifact without signatures
      --version-store <file>  rollback protection: refuse a lower sequence than recorded here, record on success
      --allow-rollback        accept a lower sequence than recorded
      --now <date>            evaluate keys and expiry at this time (ISO 8601) instead of now
      --json                  print the result as JSON

Examples:
  fayger verify app.buf --roots trusted-roots.json
  fayger verify app.buf -r roots.json -t 2 --version-store ~/.fayger/versions.json
`;

// `fayger keygen --help`: kept apart from the command so help never loads the command's dependencies.
export const keygenHelp = `fayger keygen — create an Ed25519 signing key

Usage: fayger keygen --publisher <scope> [--publisher <scope>...] [options]

Writes <out>.key.json (the secret key, mode 0600: keep it private) and <out>.pub.json (the public key as a
trusted-roots entry). A scope is a publisher name or a prefix ending in "*".

Options:
  -o, --out <prefix>        output path prefix (default: ./fayger)
  -p, --publisher <scope>   publisher scope the key may sign for (repeatable, required)
      --not-before <date>   key validity start (ISO 8601)
      --not-after <date>    key validity end (ISO 8601)
      --roots <file>        also add the entry to this trusted-roots file (created if missing)
      --force               overwrite existing key files
      --json                print the result as JSON

Examples:
  fayger keygen -p com.example.* -o keys/release
  fayger keygen -p com.example.app --not-after 2027-12-31T00:00:00Z --roots trusted-roots.json
`;

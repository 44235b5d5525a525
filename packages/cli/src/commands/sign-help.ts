// `fayger sign --help`: kept apart from the command so help never loads the command's dependencies.
export const signHelp = `fayger sign — sign an existing .buf (re-serialises it)

Usage: fayger sign <file.buf> --key <key file> [--key <key file>...] [options]

Checks the artifact's structure and every section digest, then writes it again with a signature by each
key. The signatures cover the root digest, which commits to the index, and the index records the size of
the signature section: so all signatures are made in one pass. Give a --key for every signer you want;
existing signatures by other keys are only dropped with --replace. A key made by fayger keygen records its
publisher scopes (-p): signing an artifact whose publisher or id lies outside them is refused
(CLI_KEY_OUT_OF_SCOPE, exit 1; --any-scope signs anyway), since every host that trusts the key for those scopes would reject it.

Options:
  -k, --key <file>   secret key file from fayger keygen (repeatable, required)
  -o, --out <file>   write here instead of replacing <file.buf>
      --replace      allow dropping existing signatures by keys not given
      --force        overwrite --out if it exists
      --any-scope    sign even outside the key's publisher scopes (hosts trusting the key only for
                     those scopes will refuse the result)
      --json         print the result as JSON

Examples:
  fayger sign app.buf --key keys/release.key.json
  fayger sign app.buf -k keys/a.key.json -k keys/b.key.json -o app.signed.buf
`;

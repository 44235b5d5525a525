// `fayger pack --help`: kept apart from the command so help never loads the command's dependencies.
export const packHelp = `fayger pack — build a .buf from a directory

Usage: fayger pack <dir> [options]

Reads <dir>/fayger.pack.json (or --config): the manifest (a file name or an inline object) and the
sections, each naming its body file inside <dir>:

  { "manifest": "manifest.json",
    "sections": [ { "name": "main", "kind": "code", "file": "app.wasm", "required": true },
                  { "name": "fr", "kind": "assets", "file": "fr.json", "locales": ["fr"] } ] }

Options:
  -o, --out <file>     output file (default: <manifest id>-<version>.buf in the current directory)
  -c, --config <file>  pack config (default: <dir>/fayger.pack.json)
  -k, --sign <key>     sign with this secret key file (repeatable; from fayger keygen)
      --force          overwrite the output file
      --any-scope      sign even outside the key's publisher scopes
      --json           print the result as JSON

Examples:
  fayger pack ./app -o app.buf
  fayger pack ./app -o app.buf --sign keys/release.key.json
`;

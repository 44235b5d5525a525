// `fayger init --help`: kept apart from the command so help never loads the command's dependencies.
export const initHelp = `fayger init — scaffold a guest project that builds into a signed BuF

Usage: fayger init [dir] [options]

Writes a guest source, manifest.json, fayger.pack.json, package.json (build: compile + pack + sign; start:
run), a README, and a development signing key with its trusted roots in <dir>/.fayger/. Then:

  cd <dir> && npm install && npm run build && npm start

Options:
      --lang <as|c>          guest language: AssemblyScript (default; needs only npm) or C (clang + wasi-libc)
  -p, --publisher <name>     manifest publisher; the dev key may sign for it alone (default: local.dev)
      --force                write into a directory that is not empty
      --json                 print what was written as JSON

Examples:
  fayger init hello
  fayger init tool --lang c -p com.example
`;

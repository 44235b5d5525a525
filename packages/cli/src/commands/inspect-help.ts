// `fayger inspect --help`: kept apart from the command so help never loads the command's dependencies.
export const inspectHelp = `fayger inspect — show what a .buf contains

Usage: fayger inspect <file.buf> [--json]

Prints the header, the manifest, the sections (id, kind, size, digest, selectors, dependencies) and the
signature key ids. Checks the structure and the root digest, but not trust (use fayger verify) and not the
section bodies.

Options:
  --json   machine-readable output

Examples:
  fayger inspect app.buf
  fayger inspect app.buf --json | jq '.sections[] | {name, size}'
`;

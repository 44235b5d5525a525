/** A `fayger` function as docs/abi.md documents it. */
export interface DocumentedFunction {
  params: string[];
  results: string[];
}

export interface DocumentedAbi {
  /** `fayger` import module: name → signature. */
  fayger: Map<string, DocumentedFunction>;
  /** WASI preview1 functions the subset lists (by name; signatures are WASI's). */
  wasi: Set<string>;
}

/**
 * Reads the guest ABI from docs/abi.md itself, so a test built on it fails when an example imports
 * something the document does not list (or with another signature). Sources: the `(import "fayger" …)`
 * lines of the generic call, the typed fast-path table, and the first column of the WASI subset table.
 */
export function parseAbiDoc(markdown: string): DocumentedAbi {
  const fayger = new Map<string, DocumentedFunction>();
  for (const m of markdown.matchAll(
    /\(import "fayger" "([a-z_]+)" \(func((?:\s*\(param \$\w+ (?:i32|i64|f32|f64)\))*)\s*(?:\(result ((?:i32|i64|f32|f64))\))?\)\)/g,
  )) {
    const params = [...m[2].matchAll(/\(param \$\w+ (\w+)\)/g)].map((p) => p[1]);
    fayger.set(m[1], { params, results: m[3] ? [m[3]] : [] });
  }
  for (const m of markdown.matchAll(/^\| `fayger\.([a-z_]+)` \| `\(([^)]*)\)(?: -> (\w+))?` \|/gm)) {
    const params = m[2].trim() === '' ? [] : m[2].split(',').map((p) => p.trim().split(/\s+/).at(-1)!);
    fayger.set(m[1], { params, results: m[3] ? [m[3]] : [] });
  }

  const wasi = new Set<string>();
  const section = markdown.split(/^## WASI preview1(?: subset)?$/m)[1]?.split(/^## /m)[0] ?? '';
  for (const line of section.split('\n')) {
    const cells = line.split('|');
    if (cells.length < 3 || !line.startsWith('|')) continue;
    for (const m of cells[1].matchAll(/`([a-z_0-9]+)`/g)) wasi.add(m[1]);
  }
  return { fayger, wasi };
}

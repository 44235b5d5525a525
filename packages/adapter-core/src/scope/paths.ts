import { FaygerError } from '@fayger/contracts';

/**
 * Guest paths are absolute POSIX paths in the instance's virtual filesystem ("/data/a.txt"). They are
 * normalised lexically here — `.` and empty segments dropped, `..` popped but never above "/" — so scope checks
 * compare like with like. Host-side confinement (symlinks, aliases) is the adapter's job on top of this.
 */

/** Why a path is malformed, or undefined when it is acceptable for normalisation. */
function pathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string') return 'not a string';
  if (path.length === 0) return 'an empty path';
  if (path.includes('\0')) return 'a path containing a NUL byte';
  // A backslash is a separator on Windows hosts: "..\\x" must not become a traversal there.
  if (path.includes('\\')) return 'a path containing a backslash';
  if (!path.startsWith('/')) return 'a relative path';
  return undefined;
}

/**
 * Normalises an absolute guest path: collapses `//` and `.`, resolves `..` (clamped at "/"), drops a trailing
 * slash (except for "/"). Throws ADAPTER_PATH_INVALID for NUL bytes, backslashes, relative or empty paths.
 */
export function normalizeGuestPath(path: string, field = 'path'): string {
  const problem = pathProblem(path);
  if (problem !== undefined) {
    throw new FaygerError({
      code: 'ADAPTER_PATH_INVALID',
      phase: 'scope',
      what: `checking guest ${field}`,
      expected: 'an absolute POSIX path ("/root/file") without NUL bytes or backslashes',
      found: problem,
      details: { field, path: typeof path === 'string' ? path.slice(0, 256) : undefined },
    });
  }
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** Like `normalizeGuestPath` but returns undefined instead of throwing. */
export function tryNormalizeGuestPath(path: string): string | undefined {
  return pathProblem(path) === undefined ? normalizeGuestPath(path) : undefined;
}

/** True when normalised `path` equals `root` or lies beneath it (segment-wise: "/data2" is not in "/data"). */
export function isPathWithin(path: string, root: string): boolean {
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(`${root}/`);
}

/** The first of `roots` (normalised) that contains the normalised `path`, or undefined. */
export function findRoot(path: string, roots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const r of roots) {
    const root = tryNormalizeGuestPath(r);
    // The longest matching root wins so nested roots resolve to the most specific mapping.
    if (root !== undefined && isPathWithin(path, root) && (best === undefined || root.length > best.length))
      best = root;
  }
  return best;
}

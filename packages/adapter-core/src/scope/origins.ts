/**
 * net.http origins: "scheme://host[:port]" compared exactly after normalisation (lower case, default port
 * dropped). A pattern "scheme://*.example.com[:port]" matches any subdomain of example.com (one label or more),
 * never example.com itself.
 */

export interface ParsedOrigin {
  scheme: 'http' | 'https';
  /** Lower-cased host without the "*." of a pattern; IPv6 kept in brackets. */
  host: string;
  port: number;
  wildcard: boolean;
}

const ORIGIN_RE = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?\/?$/i;
const DEFAULT_PORT = { http: 80, https: 443 } as const;

/** Parses an origin or origin pattern; undefined when malformed (paths, queries, credentials, bad ports). */
export function parseOrigin(origin: string): ParsedOrigin | undefined {
  const m = ORIGIN_RE.exec(origin);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase() as 'http' | 'https';
  const port = m[4] === undefined ? DEFAULT_PORT[scheme] : Number(m[4]);
  if (port < 1 || port > 65535) return undefined;
  return { scheme, host: m[3]!.toLowerCase(), port, wildcard: m[2] !== undefined };
}

export function formatOrigin(o: ParsedOrigin): string {
  const port = o.port === DEFAULT_PORT[o.scheme] ? '' : `:${o.port}`;
  return `${o.scheme}://${o.wildcard ? '*.' : ''}${o.host}${port}`;
}

/** Canonical form of an origin or pattern, or undefined when malformed. */
export function normalizeOrigin(origin: string): string | undefined {
  const p = parseOrigin(origin);
  return p && formatOrigin(p);
}

/** Does `outer` (origin or pattern) cover everything `inner` (origin or pattern) names? */
export function originCovers(outer: ParsedOrigin, inner: ParsedOrigin): boolean {
  if (outer.scheme !== inner.scheme || outer.port !== inner.port) return false;
  if (!outer.wildcard) return !inner.wildcard && outer.host === inner.host;
  // "*.a.com" covers "x.a.com", "y.x.a.com" and the pattern "*.x.a.com", but not "a.com".
  return inner.host.endsWith(`.${outer.host}`) || (inner.wildcard && inner.host === outer.host);
}

/** The origin of a request URL, canonical; undefined for non-http(s) or unparsable URLs. */
export function originOfUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return normalizeOrigin(`${u.protocol}//${u.host}`);
}

/** True when the URL's origin is covered by one of `granted` (origins or patterns). */
export function isUrlAllowed(url: string, granted: readonly string[]): boolean {
  const o = originOfUrl(url);
  const parsed = o === undefined ? undefined : parseOrigin(o);
  if (!parsed) return false;
  return granted.some((g) => {
    const p = parseOrigin(g);
    return p !== undefined && originCovers(p, parsed);
  });
}

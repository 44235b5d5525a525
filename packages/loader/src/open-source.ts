import { FaygerError, type BufSource } from '@fayger/contracts';
import { HttpRangeSource, type HttpRangeSourceOptions } from './sources/http-range-source.js';
import type { S3SourceOptions } from './sources/s3-source.js';
import type { IpfsSourceOptions } from './sources/ipfs-source.js';

/** Opens a source for a URL of a registered scheme. */
export type SourceOpener = (url: URL, options: OpenSourceOptions) => BufSource | Promise<BufSource>;

export interface OpenSourceOptions {
  /** Options for http: and https: (HttpRangeSource). */
  http?: HttpRangeSourceOptions;
  /** Options for s3: (endpoint, region, credentials, addressing; the rest as for HTTP). */
  s3?: S3SourceOptions;
  /** Options for ipfs: (gateways or a block getter, cache bound). */
  ipfs?: IpfsSourceOptions;
  /** Extra schemes for this call (`{ gs: (url) => new MySource(url) }`); they win over registered and built-in ones. */
  schemes?: Readonly<Record<string, SourceOpener>>;
  /** Opens a file path (a plain path or a file: URL). `@fayger/loader/node`'s openSource sets it (FileSource). */
  file?: (path: string) => BufSource | Promise<BufSource>;
  /** Environment for AWS_* and FAYGER_IPFS_GATEWAY (default process.env where it exists). */
  env?: Readonly<Record<string, string | undefined>>;
}

const registry = new Map<string, SourceOpener>();

/**
 * Registers an opener for a URL scheme (without the colon, case-insensitive) for every later openSource call.
 * Returns a function that removes it again.
 */
export function registerSourceScheme(scheme: string, opener: SourceOpener): () => void {
  const s = normalizeScheme(scheme);
  registry.set(s, opener);
  return () => {
    if (registry.get(s) === opener) registry.delete(s);
  };
}

function normalizeScheme(scheme: string): string {
  const s = scheme.toLowerCase().replace(/:$/, '');
  if (!/^[a-z][a-z0-9+.-]*$/.test(s)) {
    throw new FaygerError({
      code: 'INVALID_ARGUMENT',
      phase: 'read',
      what: 'registering a source scheme',
      expected: 'a URL scheme such as "gs" or "ar"',
      found: JSON.stringify(scheme),
    });
  }
  return s;
}

const unsupported = (ref: string, expected: string, found: string, hint?: string) =>
  new FaygerError({
    code: 'LOADER_SOURCE_UNSUPPORTED',
    phase: 'read',
    what: `choosing a source for ${JSON.stringify(ref)}`,
    expected,
    found,
    ...(hint ? { hint } : {}),
  });

/** True for a string that starts with a URL scheme (not a Windows drive letter such as C:\). */
export function hasUrlScheme(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref);
}

/**
 * One resolver for every place a BuF is read from: a file path or file: URL (with a `file` opener — the
 * `@fayger/loader/node` entry sets one), http(s): (HttpRangeSource), s3://bucket/key (S3Source),
 * ipfs://CID[/path] (IpfsSource), and any scheme registered with registerSourceScheme or passed in
 * `options.schemes`. Unknown schemes are LOADER_SOURCE_UNSUPPORTED. The S3 and IPFS sources are loaded on
 * first use, so a bundle that only reads http(s) does not carry them.
 */
export async function openSource(ref: string | URL, options: OpenSourceOptions = {}): Promise<BufSource> {
  const text = ref instanceof URL ? ref.href : ref;
  if (!hasUrlScheme(text)) {
    if (!options.file) {
      throw unsupported(
        text,
        'a URL (http:, https:, s3:, ipfs: or a registered scheme)',
        'a file path',
        'import openSource from @fayger/loader/node to open files',
      );
    }
    return options.file(text);
  }
  let url: URL;
  try {
    url = ref instanceof URL ? ref : new URL(text);
  } catch (cause) {
    throw new FaygerError({
      code: 'LOADER_SOURCE_UNSUPPORTED',
      phase: 'read',
      what: `parsing ${JSON.stringify(text)}`,
      expected: 'a valid URL',
      found: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const custom = options.schemes?.[scheme] ?? registry.get(scheme);
  if (custom) return custom(url, options);
  switch (scheme) {
    case 'http':
    case 'https':
      return new HttpRangeSource(url.href, options.http);
    case 's3': {
      const { S3Source } = await import('./sources/s3-source.js');
      return new S3Source(text, { ...(options.env ? { env: options.env } : {}), ...options.s3 });
    }
    case 'ipfs': {
      const { IpfsSource } = await import('./sources/ipfs-source.js');
      return new IpfsSource(text, { ...(options.env ? { env: options.env } : {}), ...options.ipfs });
    }
    case 'file': {
      if (!options.file)
        throw unsupported(
          text,
          'a URL this host can read',
          'a file: URL',
          'import openSource from @fayger/loader/node to open files',
        );
      if (url.host && url.host !== 'localhost')
        throw unsupported(text, 'a local file: URL (file:///path)', `host ${url.host}`);
      return options.file(decodeURIComponent(url.pathname));
    }
    default:
      throw unsupported(
        text,
        `one of file:, http:, https:, s3:, ipfs:${registry.size ? `, ${[...registry.keys()].map((s) => `${s}:`).join(', ')}` : ''}`,
        `${scheme}:`,
        'register an opener with registerSourceScheme(scheme, opener) or pass options.schemes',
      );
  }
}

import { AwsV4Signer } from 'aws4fetch';
import { FaygerError, type ErrorCode } from '@fayger/contracts';
import { HttpRangeSource, type HttpRangeSourceOptions, type Validator } from './http-range-source.js';
import { Retryable, isRetryableStatus } from './retry.js';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where and how to reach an S3-compatible service. Every field falls back to the standard AWS environment variables. */
export interface S3Options {
  /** Service endpoint, e.g. http://127.0.0.1:9000 for MinIO (env AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL; default https://s3.<region>.amazonaws.com). */
  endpoint?: string;
  /** Signing region (env AWS_REGION / AWS_DEFAULT_REGION; default us-east-1). */
  region?: string;
  /** Credentials (env AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; `@fayger/loader/node` also reads the profile files). */
  credentials?: S3Credentials;
  /** Send unsigned requests (a public bucket). Without credentials and without this, opening fails with LOADER_S3_CREDENTIALS_MISSING. */
  anonymous?: boolean;
  /**
   * `path` (endpoint/bucket/key), `virtual` (bucket.endpoint/key) or `auto` (default, env FAYGER_S3_ADDRESSING):
   * virtual-host for a DNS-compatible bucket on a named endpoint, path-style for an IP or localhost endpoint.
   */
  addressing?: 'auto' | 'path' | 'virtual';
  /** Environment to read AWS_* variables from (default: process.env where it exists; none in a browser). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface S3SourceOptions extends S3Options, HttpRangeSourceOptions {}

export interface ResolvedS3 {
  bucket: string;
  key: string;
  /** The object's HTTP(S) URL (path- or virtual-host-style). */
  url: string;
  region: string;
  credentials: S3Credentials | undefined;
}

const PHASE = 'read';

function defaultEnv(): Readonly<Record<string, string | undefined>> {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env ?? {};
}

/** Splits `s3://bucket/key` (the key may contain slashes; it is percent-decoded). */
export function parseS3Url(ref: string | URL): { bucket: string; key: string } {
  const s = String(ref);
  const m = /^s3:\/\/([^/?#]+)\/([^?#]+)$/i.exec(s);
  if (!m) {
    throw new FaygerError({
      code: 'LOADER_SOURCE_UNSUPPORTED',
      phase: PHASE,
      what: 'parsing an S3 URL',
      expected: 's3://bucket/key',
      found: JSON.stringify(s),
    });
  }
  let key: string;
  try {
    key = decodeURIComponent(m[2]!);
  } catch (cause) {
    throw new FaygerError({
      code: 'LOADER_SOURCE_UNSUPPORTED',
      phase: PHASE,
      what: 'parsing an S3 URL',
      expected: 'a percent-encoded key',
      found: JSON.stringify(s),
      cause,
    });
  }
  return { bucket: m[1]!, key };
}

const isIpOrLocal = (host: string) => /^(\d+\.){3}\d+$/.test(host) || host.startsWith('[') || host === 'localhost';
const dnsBucket = (b: string, https: boolean) =>
  /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(b) || (!https && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b));

/** Resolves endpoint, region, addressing style and credentials for `s3://bucket/key` (options, then environment). */
export function resolveS3(ref: string | URL, options: S3Options = {}): ResolvedS3 {
  const { bucket, key } = parseS3Url(ref);
  const env = options.env ?? defaultEnv();
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpointText =
    options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? `https://s3.${region}.amazonaws.com`;
  let endpoint: URL;
  try {
    endpoint = new URL(endpointText);
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw new Error('not http(s)');
  } catch (cause) {
    throw new FaygerError({
      code: 'LOADER_SOURCE_UNSUPPORTED',
      phase: PHASE,
      what: 'reading the S3 endpoint',
      expected: 'an http(s) URL such as https://s3.eu-west-1.amazonaws.com',
      found: JSON.stringify(endpointText),
      cause,
    });
  }
  const wanted = options.addressing ?? (env.FAYGER_S3_ADDRESSING as S3Options['addressing']) ?? 'auto';
  const virtual =
    wanted === 'virtual' ||
    (wanted === 'auto' && !isIpOrLocal(endpoint.hostname) && dnsBucket(bucket, endpoint.protocol === 'https:'));
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  const base = endpoint.pathname.replace(/\/+$/, '');
  const url = virtual
    ? `${endpoint.protocol}//${bucket}.${endpoint.host}${base}/${encodedKey}`
    : `${endpoint.protocol}//${endpoint.host}${base}/${encodeURIComponent(bucket)}/${encodedKey}`;
  let credentials = options.credentials;
  if (!credentials && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  if (!credentials && !options.anonymous) {
    throw new FaygerError({
      code: 'LOADER_S3_CREDENTIALS_MISSING',
      phase: PHASE,
      what: `opening s3://${bucket}/${key}`,
      expected:
        'credentials (options, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or an AWS profile) or anonymous: true',
      found: 'none',
      hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials (Node), or pass { anonymous: true } for a public bucket',
    });
  }
  return { bucket, key, url, region, credentials };
}

/** Signs one request with SigV4 (aws4fetch); returns the URL and headers to send. */
export async function signS3Request(
  r: { url: string; region: string; credentials: S3Credentials },
  method: string,
  headers: Record<string, string>,
  body?: Uint8Array,
  presignSeconds?: number,
): Promise<{ url: string; headers: Record<string, string> }> {
  const url = presignSeconds ? `${r.url}${r.url.includes('?') ? '&' : '?'}X-Amz-Expires=${presignSeconds}` : r.url;
  const signer = new AwsV4Signer({
    method,
    url,
    headers,
    ...(body ? { body: body as unknown as BodyInit } : {}),
    accessKeyId: r.credentials.accessKeyId,
    secretAccessKey: r.credentials.secretAccessKey,
    ...(r.credentials.sessionToken ? { sessionToken: r.credentials.sessionToken } : {}),
    service: 's3',
    region: r.region,
    ...(presignSeconds ? { signQuery: true } : {}),
  });
  const signed = await signer.sign();
  const out: Record<string, string> = {};
  signed.headers.forEach((v, k) => (out[k] = v));
  return { url: signed.url.toString(), headers: out };
}

/** Reads an S3 error document's Code and Message (bounded). */
export async function s3ErrorOf(res: Response): Promise<{ code: string; message: string }> {
  let text = '';
  try {
    text = (await res.text()).slice(0, 8192);
  } catch {
    /* no body */
  }
  const tag = (t: string) => new RegExp(`<${t}>([^<]*)</${t}>`).exec(text)?.[1] ?? '';
  return { code: tag('Code') || res.headers.get('x-amz-error-code') || '', message: tag('Message') || res.statusText };
}

/**
 * A BufSource over an object in S3 or an S3-compatible store (R2, MinIO, GCS interop...): SigV4-signed
 * (aws4fetch) ranged GETs through HttpRangeSource's machinery (retries with backoff on 5xx and SlowDown,
 * per-request timeout, abort, exact Content-Range and body-length checks). The first response's ETag is
 * pinned: later reads send If-Match and compare the ETag, so a replaced object is LOADER_SOURCE_CHANGED.
 */
export class S3Source extends HttpRangeSource {
  readonly #ref: string;
  readonly #resolved: ResolvedS3;

  constructor(ref: string | URL, options: S3SourceOptions = {}) {
    const resolved = resolveS3(ref, options);
    super(resolved.url, options);
    this.#resolved = resolved;
    this.#ref = `s3://${resolved.bucket}/${resolved.key}`;
  }

  /** The object's HTTP(S) URL (for diagnostics). */
  get objectUrl(): string {
    return this.#resolved.url;
  }

  override describe(): string {
    return this.#ref;
  }

  protected override async send(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const creds = this.#resolved.credentials;
    if (!creds) return super.send(url, headers, signal);
    const signed = await signS3Request({ url, region: this.#resolved.region, credentials: creds }, 'GET', headers);
    return super.send(signed.url, signed.headers, signal);
  }

  protected override conditionalHeaders(v: Validator): Record<string, string> {
    return v.etag ? { 'if-match': v.etag } : {};
  }

  protected override async statusError(res: Response, what: string): Promise<FaygerError | Retryable | undefined> {
    const status = res.status;
    if (status === 416) return undefined;
    const { code, message } = await s3ErrorOf(res);
    const found = `HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
    const e = (c: ErrorCode, expected: string) => this.err(c, what, expected, found);
    if (status === 403)
      return e(
        'LOADER_S3_ACCESS_DENIED',
        'access to the object (a known access key, a valid signature, s3:GetObject allowed)',
      );
    if (status === 404) return e('LOADER_S3_NOT_FOUND', `an existing object ${this.#ref}`);
    if (status === 412) return e('LOADER_SOURCE_CHANGED', `the object with the ETag of the first read (If-Match)`);
    if (isRetryableStatus(status)) return new Retryable(e('LOADER_HTTP_STATUS', '206 Partial Content'));
    if (status === 301 || status === 307 || code === 'AuthorizationHeaderMalformed' || code === 'PermanentRedirect') {
      return e(
        'LOADER_HTTP_STATUS',
        `206 from the bucket's region and endpoint (region ${this.#resolved.region}, ${this.objectUrl})`,
      );
    }
    return e('LOADER_HTTP_STATUS', '206 Partial Content');
  }
}

import { FaygerError, MAX_BYTES, type AdapterCallContext } from '@fayger/contracts';
import { originOfUrl } from '../scope/origins.js';

/** The part of a fetch Response that net.http adapters read (Node's and the browser's both fit). */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { forEach(fn: (value: string, key: string) => void): void };
  readonly body: {
    getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
  } | null;
}

const MAX_HEADERS = 128;

/** Response headers as net.http returns them: at most 128, names up to 256 characters, values up to 8 KiB. */
export function responseHeaders(res: ResponseLike): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  res.headers.forEach((v, k) => {
    if (n >= MAX_HEADERS || k.length > 256) return;
    out[k] = v.length > 8192 ? v.slice(0, 8192) : v;
    n++;
  });
  return out;
}

/** The most a net.http body may hold for this call: the wire limit or what is left of the byte quota. */
export function bodyCap(ctx: Pick<AdapterCallContext, 'remaining'>): number {
  return Math.min(MAX_BYTES, ctx.remaining.bytes ?? Number.MAX_SAFE_INTEGER);
}

/**
 * Reads a response body, failing ADAPTER_NET_FAILED as soon as it grows past `cap` (never buffering more than
 * cap plus one chunk). Errors while reading are passed to `onReadError` to be turned into the host's own code.
 */
export async function readCappedBody(
  res: ResponseLike,
  cap: number,
  url: string,
  onReadError?: (e: unknown) => unknown,
): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => {});
        throw new FaygerError({
          code: 'ADAPTER_NET_FAILED',
          phase: 'net.http',
          what: `reading the response of ${originOfUrl(url)}`,
          expected: `at most ${cap} bytes`,
          found: 'a larger body',
          retryable: false,
          details: { limit: cap },
        });
      }
      chunks.push(value);
    }
  } catch (e) {
    if (FaygerError.is(e) || !onReadError) throw e;
    throw onReadError(e);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP/HTTP JSON request carries it (ids are hex strings in the JSON encoding). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: { key: string; value: Record<string, unknown> }[];
  events?: { name: string; attributes?: { key: string; value: Record<string, unknown> }[] }[];
  status?: { code?: number; message?: string };
}

export interface OtlpReceiver {
  /** Base URL, e.g. http://127.0.0.1:4318 (the exporter appends /v1/traces from OTEL_EXPORTER_OTLP_ENDPOINT). */
  url: string;
  /** Decoded request bodies by path. */
  received: { path: string; contentType: string; body: unknown }[];
  spans(): OtlpSpan[];
  close(): Promise<void>;
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An OTLP/HTTP (JSON) receiver on 127.0.0.1 that decodes what it receives. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: OtlpReceiver['received'] = [];
  const server: Server = createServer((req, res) => {
    read(req).then(
      (raw) => {
        const contentType = String(req.headers['content-type'] ?? '');
        let body: unknown = raw;
        if (contentType.includes('json')) body = JSON.parse(raw.toString('utf8'));
        received.push({ path: req.url ?? '', contentType, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      },
      () => {
        res.writeHead(400);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    spans: () =>
      received
        .filter((r) => r.path === '/v1/traces')
        .flatMap((r) => (r.body as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
        .flatMap((rs) => rs.scopeSpans)
        .flatMap((ss) => ss.spans),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An OTLP attribute's value, unwrapped. */
export function attr(span: { attributes?: { key: string; value: Record<string, unknown> }[] }, key: string): unknown {
  const v = span.attributes?.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if ('arrayValue' in v)
    return ((v.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map((x) => Object.values(x)[0]);
  return Object.values(v)[0];
}

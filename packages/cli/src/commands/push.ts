import { resolve } from 'node:path';
import { FaygerError } from '@fayger/contracts';
import { resolveS3, signS3Request } from '@fayger/loader';
import { nodeS3Options } from '@fayger/loader/node';
import { one, parse, usage } from '../args.js';
import { formatSize } from '../bytes.js';
import { openBuf } from '../buf-file.js';
import { exists, readFileWithProgress, writeFileAtomic, type CliIo } from '../io.js';
import { pushHelp } from './push-help.js';

export { pushHelp };

const failed = (what: string, expected: string, found: string, cause?: unknown) =>
  new FaygerError({
    code: 'CLI_PUSH_FAILED',
    phase: 'push',
    what,
    expected,
    found,
    ...(cause !== undefined ? { cause } : {}),
  });

export async function push(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('push', args, {
    endpoint: { type: 'string' },
    region: { type: 'string' },
    'path-style': { type: 'boolean' },
    api: { type: 'string' },
    car: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(pushHelp), 0);
  if (positionals.length !== 2)
    throw usage('push', `${positionals.length} argument(s)`, 'a .buf file and a target (s3://bucket/key or ipfs)');
  const input = resolve(io.cwd, one('push', positionals.slice(0, 1), 'artifact file'));
  const target = positionals[1]!;
  const bytes = await readFileWithProgress(io, input);
  const loaded = await openBuf(bytes, input, { allowUnsigned: true }); // a BuF, structurally sound
  const label = `${loaded.manifest.id}@${loaded.manifest.version} (${formatSize(bytes.length)})`;

  if (/^s3:\/\//i.test(target)) {
    const r = resolveS3(
      target,
      nodeS3Options({
        ...(values.endpoint ? { endpoint: values.endpoint as string } : {}),
        ...(values.region ? { region: values.region as string } : {}),
        ...(values['path-style'] ? { addressing: 'path' as const } : {}),
      }),
    );
    const headers = { 'content-type': 'application/octet-stream' };
    const signed = r.credentials
      ? await signS3Request({ url: r.url, region: r.region, credentials: r.credentials }, 'PUT', headers, bytes)
      : { url: r.url, headers };
    let res: Response;
    try {
      res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes as unknown as BodyInit });
    } catch (cause) {
      throw failed(
        `PUT ${r.url}`,
        'a response from the S3 endpoint',
        cause instanceof Error ? `${cause.message}${cause.cause ? ` (${String(cause.cause)})` : ''}` : String(cause),
        cause,
      );
    }
    const text = await res.text();
    if (res.status !== 200) {
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '';
      const msg = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? res.statusText;
      throw failed(
        `PUT s3://${r.bucket}/${r.key} (${r.url})`,
        '200 OK',
        `HTTP ${res.status}${code ? ` ${code}` : ''}: ${msg}`,
      );
    }
    const url = `s3://${r.bucket}/${r.key}`;
    const etag = res.headers.get('etag') ?? '';
    if (values.json)
      io.stdout(`${JSON.stringify({ ok: true, url, etag, bytes: bytes.length, objectUrl: r.url }, null, 2)}\n`);
    else {
      io.stderr(`pushed ${label} to ${url} (ETag ${etag || '-'})\n`);
      io.stdout(`${url}\n`);
    }
    return 0;
  }

  if (target === 'ipfs' || target === 'ipfs://') {
    const api = (values.api as string | undefined) ?? process.env.FAYGER_IPFS_API;
    const carPath = values.car ? resolve(io.cwd, values.car as string) : undefined;
    if (!api && !carPath)
      throw usage('push', 'no --api and no --car', '--api <Kubo RPC URL> (or FAYGER_IPFS_API) and/or --car <file>');
    if (carPath && !values.force && (await exists(carPath))) {
      throw new FaygerError({
        code: 'CLI_OUTPUT_EXISTS',
        phase: 'push',
        what: `writing ${carPath}`,
        found: 'the file exists',
        hint: 'pass --force to overwrite it',
      });
    }
    // Loaded on use: the UnixFS importer is not needed by any other command.
    const { importAsCar } = await import('../publish/ipfs.js');
    const { cid, car, blocks } = await importAsCar(bytes);
    if (carPath) await writeFileAtomic(carPath, car);
    if (api) {
      const form = new FormData();
      form.append('file', new Blob([car as Uint8Array<ArrayBuffer>], { type: 'application/vnd.ipld.car' }), 'app.car');
      const endpoint = `${api.replace(/\/+$/, '')}/api/v0/dag/import?pin-roots=true`;
      let res: Response;
      try {
        res = await fetch(endpoint, { method: 'POST', body: form });
      } catch (cause) {
        throw failed(
          `POST ${endpoint}`,
          'a response from the IPFS RPC API',
          cause instanceof Error ? cause.message : String(cause),
          cause,
        );
      }
      const text = await res.text();
      if (res.status !== 200) throw failed(`POST ${endpoint}`, '200 OK', `HTTP ${res.status}: ${text.slice(0, 300)}`);
      const roots = text
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { Root?: { Cid?: { '/': string }; PinErrorMsg?: string } }).Root);
      const mine = roots.find((x) => x?.Cid?.['/'] === cid.toString());
      if (!mine)
        throw failed(
          `POST ${endpoint}`,
          `root ${cid} imported`,
          `roots ${roots.map((x) => x?.Cid?.['/']).join(', ') || 'none'}`,
        );
      if (mine.PinErrorMsg) throw failed(`pinning ${cid}`, 'the root pinned', mine.PinErrorMsg);
    }
    const url = `ipfs://${cid}`;
    if (values.json)
      io.stdout(
        `${JSON.stringify({ ok: true, url, cid: cid.toString(), blocks, bytes: bytes.length, ...(carPath ? { car: carPath } : {}), ...(api ? { api } : {}) }, null, 2)}\n`,
      );
    else {
      io.stderr(
        `pushed ${label} as UnixFS: ${blocks} block(s), CID ${cid}${carPath ? `; CAR ${carPath}` : ''}${api ? `; imported and pinned at ${api}` : ''}\n`,
      );
      io.stdout(`${url}\n`);
    }
    return 0;
  }
  throw usage('push', `target ${JSON.stringify(target)}`, 's3://bucket/key or ipfs');
}

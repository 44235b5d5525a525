import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { CID } from 'multiformats/cid';
import { identity } from 'multiformats/hashes/identity';
import { sha256 } from 'multiformats/hashes/sha2';
import { FaygerError, type BufSource, type ErrorCode } from '@fayger/contracts';
import { bytesEqual } from '../errors.js';
import {
  Retryable,
  discard,
  isRetryableStatus,
  readBody,
  retryPolicy,
  withRetries,
  type RetryOptions,
  type RetryPolicy,
} from './retry.js';

const PHASE = 'read';
const RAW = 0x55;
const DAG_PB = dagPb.code;
const SHA2_256 = sha256.code;
const IDENTITY = identity.code;

/** Where blocks come from. Implementations return the bytes they were given; IpfsSource verifies them. */
export interface BlockGetter {
  get(cid: CID, signal?: AbortSignal): Promise<Uint8Array>;
  describe(): string;
}

export interface TrustlessGatewayOptions extends RetryOptions {
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Largest block accepted (default 4 MiB; UnixFS importers write 256 KiB–1 MiB blocks). */
  maxBlockBytes?: number;
}

/**
 * Fetches single blocks from trustless gateways (IPFS HTTP Gateway spec: `GET /ipfs/<cid>?format=raw`,
 * `Accept: application/vnd.ipld.raw`), trying each gateway in turn. It does not trust the answer: IpfsSource
 * hashes every block against its CID before using a byte.
 */
export class TrustlessGateway implements BlockGetter {
  readonly #gateways: string[];
  readonly #fetch: typeof fetch;
  readonly #policy: RetryPolicy;
  readonly #maxBlock: number;
  /** Block requests made and body bytes received, for tests, diagnostics and the bench. */
  requests = 0;
  bytes = 0;

  constructor(gateways: string | readonly string[], options: TrustlessGatewayOptions = {}) {
    const list = (typeof gateways === 'string' ? gateways.split(',') : [...gateways])
      .map((g) => g.trim().replace(/\/+$/, ''))
      .filter(Boolean);
    if (list.length === 0) {
      throw new FaygerError({
        code: 'INVALID_ARGUMENT',
        phase: PHASE,
        what: 'creating a TrustlessGateway',
        expected: 'at least one gateway URL',
        found: 'none',
      });
    }
    this.#gateways = list;
    const f = options.fetch ?? (globalThis.fetch as typeof fetch | undefined);
    if (!f)
      throw new FaygerError({
        code: 'INVALID_ARGUMENT',
        phase: PHASE,
        what: 'creating a TrustlessGateway',
        expected: 'a fetch implementation',
        found: 'none',
      });
    this.#fetch = options.fetch ?? f.bind(globalThis);
    this.#policy = retryPolicy(options);
    this.#maxBlock = options.maxBlockBytes ?? 4 * 1024 * 1024;
  }

  describe(): string {
    return this.#gateways.join(', ');
  }

  async get(cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
    const missing: string[] = [];
    for (const gw of this.#gateways) {
      const url = `${gw}/ipfs/${cid.toString()}?format=raw`;
      const err = (code: ErrorCode, what: string, expected: string, found: string, cause?: unknown) =>
        new FaygerError({
          code,
          phase: PHASE,
          what: `${what} (block ${cid} from ${gw})`,
          expected,
          found,
          ...(cause !== undefined ? { cause } : {}),
          details: { url, cid: cid.toString() },
        });
      try {
        const bytes = await withRetries(
          this.#policy,
          signal,
          err,
          (s) =>
            new FaygerError({
              code: 'ABORTED',
              phase: PHASE,
              what: `fetching block ${cid}`,
              found: 'the AbortSignal fired',
              cause: s.reason,
            }),
          async (s) => {
            this.requests++;
            const res = await this.#fetch(url, { headers: { accept: 'application/vnd.ipld.raw' }, signal: s });
            if (res.status === 404 || res.status === 410) {
              await discard(res);
              return undefined;
            }
            if (isRetryableStatus(res.status)) {
              await discard(res);
              throw new Retryable(
                err('LOADER_HTTP_STATUS', 'fetching a block', '200 with the raw block', `HTTP ${res.status}`),
              );
            }
            if (res.status !== 200) {
              await discard(res);
              throw err(
                'LOADER_HTTP_STATUS',
                'fetching a block',
                '200 with the raw block (a trustless gateway: ?format=raw)',
                `HTTP ${res.status} ${res.statusText}`,
              );
            }
            const declared = res.headers.get('content-length');
            const body = await readBody(
              res,
              declared === null ? undefined : Number(declared),
              this.#maxBlock,
              err,
              'LOADER_IPFS_BLOCK_INVALID',
            );
            this.bytes += body.length;
            return body;
          },
        );
        if (bytes) return bytes;
        missing.push(`${gw}: 404`);
      } catch (e) {
        // Another gateway may have it; keep the reason.
        if (FaygerError.is(e) && (e.code === 'ABORTED' || this.#gateways.length === 1)) throw e;
        missing.push(`${gw}: ${FaygerError.is(e) ? e.code : String(e)}`);
      }
    }
    throw new FaygerError({
      code: 'LOADER_IPFS_BLOCK_MISSING',
      phase: PHASE,
      what: `fetching block ${cid}`,
      expected: 'the block from a trustless gateway',
      found: missing.join('; '),
      hint: 'check that the content is provided where the gateway can reach it (pinned, or imported with fayger push), or add another gateway',
      details: { cid: cid.toString() },
    });
  }
}

export interface IpfsSourceOptions extends TrustlessGatewayOptions {
  /** Block retrieval (default: a TrustlessGateway over `gateways`). A Helia node fits: `{ get: (cid, s) => helia.blockstore.get(cid, { signal: s }), describe: () => 'helia' }`. */
  blocks?: BlockGetter;
  /** Trustless gateway base URLs (default env FAYGER_IPFS_GATEWAY, comma-separated, else https://trustless-gateway.link). */
  gateways?: string | readonly string[];
  /** Bytes of verified blocks kept in memory, least recently used evicted first (default 8 MiB). */
  cacheBytes?: number;
  /** Environment to read FAYGER_IPFS_GATEWAY from (default process.env where it exists). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Parses `ipfs://CID[/path]` (or `/ipfs/CID[/path]`). */
export function parseIpfsUrl(ref: string | URL): { cid: CID; path: string[] } {
  const s = String(ref);
  const m = /^(?:ipfs:\/\/|\/ipfs\/)([^/?#]+)((?:\/[^?#]*)?)$/i.exec(s);
  const bad = (found: string, cause?: unknown) =>
    new FaygerError({
      code: 'LOADER_IPFS_CID_INVALID',
      phase: PHASE,
      what: `parsing ${JSON.stringify(s)}`,
      expected: 'ipfs://<CID>[/path]',
      found,
      ...(cause ? { cause } : {}),
    });
  if (!m) throw bad('not an ipfs:// URL');
  let cid: CID;
  try {
    cid = CID.parse(m[1]!);
  } catch (cause) {
    throw bad(
      `${JSON.stringify(m[1])} is not a CID (${cause instanceof Error ? cause.message : String(cause)})`,
      cause,
    );
  }
  const path = (m[2] ?? '')
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  return { cid, path };
}

function checkSupported(cid: CID, where: string): void {
  if (cid.code !== RAW && cid.code !== DAG_PB) {
    throw new FaygerError({
      code: 'LOADER_IPFS_CID_INVALID',
      phase: PHASE,
      what: where,
      expected: 'a dag-pb (0x70) or raw (0x55) CID (UnixFS)',
      found: `codec 0x${cid.code.toString(16)} in ${cid}`,
    });
  }
  if (cid.multihash.code !== SHA2_256 && cid.multihash.code !== IDENTITY) {
    throw new FaygerError({
      code: 'LOADER_IPFS_CID_INVALID',
      phase: PHASE,
      what: where,
      expected: 'a sha2-256 or identity multihash',
      found: `multihash 0x${cid.multihash.code.toString(16)} in ${cid}`,
    });
  }
}

/** Hashes `bytes` with the CID's hash function and compares; throws LOADER_IPFS_BLOCK_INVALID on mismatch. */
export async function verifyBlock(cid: CID, bytes: Uint8Array, from: string): Promise<void> {
  checkSupported(cid, `verifying block ${cid}`);
  const expected = cid.multihash.digest;
  const digest = cid.multihash.code === IDENTITY ? bytes : (await sha256.digest(bytes)).digest;
  if (!bytesEqual(digest, expected)) {
    throw new FaygerError({
      code: 'LOADER_IPFS_BLOCK_INVALID',
      phase: PHASE,
      what: `verifying block ${cid} from ${from}`,
      expected: `bytes whose ${cid.multihash.code === IDENTITY ? 'identity' : 'sha2-256'} multihash is the CID's`,
      found: `${bytes.length} bytes that hash to something else (corrupted, or another block)`,
      hint: 'the gateway or blockstore served wrong bytes; none of them were used — try another gateway',
      details: { cid: cid.toString() },
    });
  }
}

type Node =
  | { kind: 'raw'; bytes: Uint8Array }
  | { kind: 'file'; data: Uint8Array; children: { cid: CID; size: number }[]; size: number };

/**
 * A BufSource over a UnixFS file in IPFS: `ipfs://CID[/path]`. Every block is hashed against its CID before
 * any of its bytes is used (content addressing is the integrity check, under the BuF's own signature). A
 * read fetches only the blocks covering its range, walking the DAG from the root by the links' block sizes;
 * verified blocks are cached (LRU, bounded by bytes) and concurrent requests for one block share a fetch.
 */
export class IpfsSource implements BufSource {
  readonly #ref: string;
  readonly #root: CID;
  readonly #path: string[];
  readonly #blocks: BlockGetter;
  readonly #cacheLimit: number;
  readonly #cache = new Map<string, { node: Node; cost: number }>();
  readonly #inflight = new Map<string, Promise<Node>>();
  #cacheBytes = 0;
  #file: Promise<{ cid: CID; node: Node; size: number }> | undefined;
  /** Verified blocks fetched and their bytes (cache hits excluded), for tests and the bench. */
  blocksFetched = 0;
  bytesFetched = 0;

  constructor(ref: string | URL, options: IpfsSourceOptions = {}) {
    const { cid, path } = parseIpfsUrl(ref);
    checkSupported(cid, `opening ${String(ref)}`);
    this.#root = cid;
    this.#path = path;
    this.#ref = `ipfs://${cid}${path.map((p) => `/${encodeURIComponent(p)}`).join('')}`;
    if (options.blocks) this.#blocks = options.blocks;
    else {
      const env =
        options.env ?? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
      this.#blocks = new TrustlessGateway(
        options.gateways ?? env.FAYGER_IPFS_GATEWAY ?? 'https://trustless-gateway.link',
        options,
      );
    }
    this.#cacheLimit = options.cacheBytes ?? 8 * 1024 * 1024;
  }

  describe(): string {
    return this.#ref;
  }

  /** The CID of the file itself (after walking the path). */
  async fileCid(signal?: AbortSignal): Promise<CID> {
    return (await this.#resolveFile(signal)).cid;
  }

  async size(signal?: AbortSignal): Promise<number> {
    return (await this.#resolveFile(signal)).size;
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (signal?.aborted) throw this.#aborted(signal);
    const { cid, node, size } = await this.#resolveFile(signal);
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > size
    ) {
      throw new FaygerError({
        code: 'LOADER_RANGE_INVALID',
        phase: PHASE,
        what: `reading ${this.#ref}`,
        expected: `a range within ${size} bytes`,
        found: `offset ${offset}, length ${length}`,
      });
    }
    const out = new Uint8Array(length);
    if (length > 0) await this.#collect(cid, node, 0, offset, offset + length, out, signal, 0);
    return out;
  }

  #resolveFile(signal?: AbortSignal): Promise<{ cid: CID; node: Node; size: number }> {
    this.#file ??= (async () => {
      let cid = this.#root;
      for (const [i, name] of this.#path.entries()) {
        const bytes = await this.#fetchVerified(cid, signal);
        if (cid.code !== DAG_PB)
          throw this.#notFile(
            cid,
            `a raw block where directory ${this.#path.slice(0, i).join('/') || '/'} was expected`,
          );
        const pb = this.#decodePb(cid, bytes);
        const fs = this.#unixfs(cid, pb);
        if (fs.type === 'hamt-sharded-directory')
          throw this.#notFile(cid, 'a HAMT-sharded directory (not supported: name the file CID directly)');
        if (fs.type !== 'directory') throw this.#notFile(cid, `a UnixFS ${fs.type} where a directory was expected`);
        const link = pb.Links.find((l) => l.Name === name);
        if (!link) {
          throw new FaygerError({
            code: 'LOADER_IPFS_PATH_NOT_FOUND',
            phase: PHASE,
            what: `resolving ${this.#ref}`,
            expected: `a link named ${JSON.stringify(name)} in directory ${cid}`,
            found: `links ${
              pb.Links.map((l) => JSON.stringify(l.Name ?? ''))
                .slice(0, 20)
                .join(', ') || 'none'
            }`,
          });
        }
        cid = CID.asCID(link.Hash) ?? CID.decode(link.Hash.bytes);
        checkSupported(cid, `following ${name} in ${this.#ref}`);
      }
      const node = await this.#node(cid, signal);
      return { cid, node, size: node.kind === 'raw' ? node.bytes.length : node.size };
    })().catch((e) => {
      this.#file = undefined;
      throw e;
    });
    return this.#file;
  }

  async #collect(
    cid: CID,
    node: Node,
    start: number,
    from: number,
    to: number,
    out: Uint8Array,
    signal: AbortSignal | undefined,
    depth: number,
  ): Promise<void> {
    if (depth > 64) throw this.#dagInvalid(cid, 'a DAG at most 64 levels deep', 'deeper');
    if (node.kind === 'raw') {
      const a = Math.max(from, start);
      const b = Math.min(to, start + node.bytes.length);
      if (b > a) out.set(node.bytes.subarray(a - start, b - start), a - from);
      return;
    }
    let pos = start;
    if (node.data.length) {
      const a = Math.max(from, pos);
      const b = Math.min(to, pos + node.data.length);
      if (b > a) out.set(node.data.subarray(a - pos, b - pos), a - from);
      pos += node.data.length;
    }
    const work: Promise<void>[] = [];
    for (const child of node.children) {
      const cStart = pos;
      pos += child.size;
      if (pos <= from || cStart >= to) continue;
      work.push(
        this.#node(child.cid, signal).then((n) => {
          const actual = n.kind === 'raw' ? n.bytes.length : n.size;
          if (actual !== child.size)
            throw this.#dagInvalid(
              child.cid,
              `a child of ${child.size} bytes (parent ${cid} blockSizes)`,
              `${actual} bytes`,
            );
          return this.#collect(child.cid, n, cStart, from, to, out, signal, depth + 1);
        }),
      );
    }
    await Promise.all(work);
  }

  /** A verified, decoded node, from the cache or fetched once however many readers want it. */
  #node(cid: CID, signal?: AbortSignal): Promise<Node> {
    const key = cid.toString();
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return Promise.resolve(hit.node);
    }
    let p = this.#inflight.get(key);
    if (!p) {
      p = this.#fetchVerified(cid, signal)
        .then((bytes) => {
          const node = this.#decode(cid, bytes);
          this.#remember(key, node, bytes.length);
          return node;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, p);
    }
    return p;
  }

  #remember(key: string, node: Node, cost: number): void {
    if (cost > this.#cacheLimit) return;
    this.#cache.set(key, { node, cost });
    this.#cacheBytes += cost;
    for (const [k, v] of this.#cache) {
      if (this.#cacheBytes <= this.#cacheLimit) break;
      this.#cache.delete(k);
      this.#cacheBytes -= v.cost;
    }
  }

  async #fetchVerified(cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
    if (signal?.aborted) throw this.#aborted(signal);
    const bytes = cid.multihash.code === IDENTITY ? cid.multihash.digest : await this.#blocks.get(cid, signal);
    await verifyBlock(cid, bytes, this.#blocks.describe());
    if (cid.multihash.code !== IDENTITY) {
      this.blocksFetched++;
      this.bytesFetched += bytes.length;
    }
    return bytes;
  }

  #decode(cid: CID, bytes: Uint8Array): Node {
    if (cid.code === RAW) return { kind: 'raw', bytes };
    const pb = this.#decodePb(cid, bytes);
    const fs = this.#unixfs(cid, pb);
    if (fs.type !== 'file' && fs.type !== 'raw') {
      throw this.#notFile(
        cid,
        `a UnixFS ${fs.type}${fs.type === 'directory' ? ' (add the file name: ipfs://<CID>/<name>)' : ''}`,
      );
    }
    const data = fs.data ?? new Uint8Array(0);
    if (pb.Links.length !== fs.blockSizes.length) {
      throw this.#dagInvalid(cid, `${pb.Links.length} blockSizes (one per link)`, `${fs.blockSizes.length}`);
    }
    const children = pb.Links.map((l, i) => {
      const c = CID.asCID(l.Hash) ?? CID.decode(l.Hash.bytes);
      checkSupported(c, `following a link of ${cid}`);
      return { cid: c, size: Number(fs.blockSizes[i]!) };
    });
    const size = Number(fs.fileSize());
    if (!Number.isSafeInteger(size) || children.some((c) => !Number.isSafeInteger(c.size) || c.size < 0)) {
      throw this.#dagInvalid(cid, 'sizes below 2^53', `file size ${fs.fileSize()}`);
    }
    return { kind: 'file', data, children, size };
  }

  #decodePb(cid: CID, bytes: Uint8Array): dagPb.PBNode {
    try {
      return dagPb.decode(bytes);
    } catch (cause) {
      throw this.#dagInvalid(cid, 'a dag-pb node', cause instanceof Error ? cause.message : String(cause), cause);
    }
  }

  #unixfs(cid: CID, pb: dagPb.PBNode): UnixFS {
    if (!pb.Data) throw this.#notFile(cid, 'a dag-pb node without UnixFS data');
    try {
      return UnixFS.unmarshal(pb.Data);
    } catch (cause) {
      throw this.#dagInvalid(cid, 'UnixFS data', cause instanceof Error ? cause.message : String(cause), cause);
    }
  }

  #aborted(signal: AbortSignal): FaygerError {
    return new FaygerError({
      code: 'ABORTED',
      phase: PHASE,
      what: `reading ${this.#ref}`,
      found: 'the AbortSignal fired',
      cause: signal.reason,
    });
  }

  #notFile(cid: CID, found: string): FaygerError {
    return new FaygerError({
      code: 'LOADER_IPFS_NOT_A_FILE',
      phase: PHASE,
      what: `opening ${this.#ref}`,
      expected: 'a UnixFS file',
      found: `${found} at ${cid}`,
      details: { cid: cid.toString() },
    });
  }

  #dagInvalid(cid: CID, expected: string, found: string, cause?: unknown): FaygerError {
    return new FaygerError({
      code: 'LOADER_IPFS_DAG_INVALID',
      phase: PHASE,
      what: `walking the UnixFS DAG of ${this.#ref} at ${cid}`,
      expected,
      found,
      ...(cause !== undefined ? { cause } : {}),
      details: { cid: cid.toString() },
    });
  }
}

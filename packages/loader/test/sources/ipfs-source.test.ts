// IpfsSource against real UnixFS content (ipfs-unixfs-importer) served by a tiny trustless gateway on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import { importUnixfs, startGateway, type GatewayFixture } from '@fayger/test-servers';
import * as dagPb from '@ipld/dag-pb';
import { CID } from 'multiformats/cid';
import { identity } from 'multiformats/hashes/identity';
import { IpfsSource, loadBuf, openSource, packBuf, TrustlessGateway } from '../../src/index.js';
import { manifest, nodeDigest, testSigner, testVerifier } from '../helpers.js';

let gw: GatewayFixture;
const signer = testSigner('alice', 1);
const opts = {
  digest: nodeDigest,
  trust: testVerifier([signer]),
  profile: { host: 'server' as const },
  supportedInterfaceVersions: ['1.0.0'],
};
let artifact: Uint8Array;
let fileCid: CID;
let dirCid: CID;
const CHUNK = 16_384;
// Not periodic: every leaf of the DAG is a distinct block.
const bigData = new Uint8Array(400_000).map((_, i) => ((i * 2654435761) >>> 13) & 255);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!FaygerError.is(e)) throw e;
    return e.code;
  }
}

beforeAll(async () => {
  gw = await startGateway();
  artifact = await packBuf(
    manifest(),
    [
      { name: 'main', kind: 'code', data: new Uint8Array(3000).fill(1), required: true },
      { name: 'big', kind: 'data', data: bigData, chunkSize: 16_384 },
    ],
    { digest: nodeDigest, signers: [signer] },
  );
  const r = await importUnixfs(artifact, gw.blocks, { chunkSize: CHUNK, maxChildrenPerNode: 4, wrapAs: 'app.buf' });
  fileCid = r.cid;
  dirCid = r.dir!;
});
afterAll(() => gw.close());
beforeEach(() => {
  gw.requested.length = 0;
  gw.bytesServed = 0;
  gw.faults.corrupt.clear();
  gw.faults.missing.clear();
  gw.faults.swap.clear();
  gw.faults.unavailable = 0;
});

const src = (ref: string, o: ConstructorParameters<typeof IpfsSource>[1] = {}) =>
  new IpfsSource(ref, { gateways: [gw.url], backoffMs: 5, maxBackoffMs: 20, timeoutMs: 3000, ...o });
const leaves = () => [...gw.blocks.keys()].filter((k) => CID.parse(k).code === 0x55);

describe('IpfsSource', () => {
  it('a lazy open fetches only the blocks covering header + manifest + index + signature', async () => {
    const s = src(`ipfs://${fileCid}`);
    const loaded = await loadBuf(s, { ...opts, strategy: 'lazy' });
    const total = Math.ceil(artifact.length / CHUNK);
    // root + internal nodes down both edges of the DAG, and the first and last leaves — a handful of the leaves.
    const fetchedLeaves = gw.requested.filter((c) => CID.parse(c).code === 0x55);
    expect(fetchedLeaves.length).toBeLessThanOrEqual(6);
    expect(fetchedLeaves.length).toBeLessThan(total / 4);
    expect(s.blocksFetched).toBe(gw.requested.length);
    expect(s.bytesFetched).toBe(gw.bytesServed);
    // a range in the middle fetches only its covering leaves (plus internal nodes on the way)
    const before = gw.requested.length;
    const part = await loaded.sectionRange('big', 200_000, 10);
    expect(part[0]).toBe(bigData[200_000]);
    const more = gw.requested.slice(before).filter((c) => CID.parse(c).code === 0x55);
    expect(more.length).toBeLessThanOrEqual(3);
    // a cached block is never fetched twice
    expect(new Set(gw.requested).size).toBe(gw.requested.length);
  });

  it('walks a directory path: ipfs://<dir CID>/app.buf; openSource picks IpfsSource for ipfs:', async () => {
    const s = await openSource(`ipfs://${dirCid}/app.buf`, { ipfs: { gateways: gw.url } });
    expect(s).toBeInstanceOf(IpfsSource);
    expect(await (s as IpfsSource).fileCid()).toEqual(fileCid);
    const loaded = await loadBuf(s, opts);
    expect((await loaded.section('main')).length).toBe(3000);
    expect(await code(src(`ipfs://${dirCid}/other.buf`).size())).toBe('LOADER_IPFS_PATH_NOT_FOUND');
    expect(await code(src(`ipfs://${dirCid}`).size())).toBe('LOADER_IPFS_NOT_A_FILE');
  });

  it('a corrupted block is LOADER_IPFS_BLOCK_INVALID before any of its bytes is used', async () => {
    gw.faults.corrupt.add(fileCid.toString());
    expect(await code(loadBuf(src(`ipfs://${fileCid}`), opts))).toBe('LOADER_IPFS_BLOCK_INVALID');
    gw.faults.corrupt.clear();
    const leaf = leaves()[3]!;
    gw.faults.corrupt.add(leaf);
    const loaded = await loadBuf(src(`ipfs://${fileCid}`), { ...opts, strategy: 'lazy' });
    const e = (await loaded.section('big').catch((x: unknown) => x)) as FaygerError;
    expect(e.code).toBe('LOADER_IPFS_BLOCK_INVALID');
    expect(e.details.cid).toBe(leaf);
  });

  it('a missing block is LOADER_IPFS_BLOCK_MISSING; a transient 503 is retried', async () => {
    gw.faults.missing.add(leaves()[5]!);
    const loaded = await loadBuf(src(`ipfs://${fileCid}`), { ...opts, strategy: 'lazy' });
    expect(await code(loaded.section('big'))).toBe('LOADER_IPFS_BLOCK_MISSING');
    gw.faults.missing.clear();
    gw.faults.unavailable = 2;
    expect(await code(loadBuf(src(`ipfs://${fileCid}`), opts))).toBe('ok');
  });

  it('a wrong CID: the gateway answering with another block, an unknown CID, a malformed CID or codec', async () => {
    const [a] = leaves();
    gw.faults.swap.set(fileCid.toString(), a!);
    expect(await code(src(`ipfs://${fileCid}`).size())).toBe('LOADER_IPFS_BLOCK_INVALID');
    gw.faults.swap.clear();
    const unknown = CID.createV1(0x55, identity.digest(new Uint8Array(0))); // valid, but no DAG-PB file
    expect(await code(src('ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy').size())).toBe(
      'LOADER_IPFS_BLOCK_MISSING',
    );
    expect(await code(Promise.resolve().then(() => src('ipfs://not-a-cid')))).toBe('LOADER_IPFS_CID_INVALID');
    const cbor = CID.createV1(0x71, CID.parse(fileCid.toString()).multihash);
    expect(await code(Promise.resolve().then(() => src(`ipfs://${cbor}`)))).toBe('LOADER_IPFS_CID_INVALID');
    // An identity CID carries its block inline: nothing is fetched.
    expect(await src(`ipfs://${unknown}`).size()).toBe(0);
  });

  it('a DAG whose block sizes do not add up is LOADER_IPFS_DAG_INVALID', async () => {
    const { UnixFS } = await import('ipfs-unixfs');
    const leaf = leaves()[0]!;
    const fs = new UnixFS({ type: 'file', blockSizes: [BigInt(CHUNK + 5)] });
    const node = dagPb.encode({ Data: fs.marshal(), Links: [{ Hash: CID.parse(leaf), Tsize: CHUNK }] });
    const { sha256 } = await import('multiformats/hashes/sha2');
    const cid = CID.createV1(dagPb.code, await sha256.digest(node));
    gw.blocks.set(cid.toString(), node);
    const s = src(`ipfs://${cid}`);
    expect(await s.size()).toBe(CHUNK + 5);
    expect(await code(s.read(0, 10))).toBe('LOADER_IPFS_DAG_INVALID');
  });

  it('tries the next gateway when one does not have a block, and bounds the block cache', async () => {
    const empty = await startGateway();
    try {
      const g = new TrustlessGateway([empty.url, gw.url], { backoffMs: 5 });
      const s = new IpfsSource(`ipfs://${fileCid}`, { blocks: g, cacheBytes: 2 * CHUNK });
      const loaded = await loadBuf(s, opts);
      expect((await loaded.section('big')).length).toBe(400_000);
      expect(empty.requested.length).toBeGreaterThan(0);
      expect(g.requests).toBeGreaterThan(empty.requested.length - 1);
      // with a two-leaf cache, reading everything again refetches leaves
      const n = s.blocksFetched;
      await s.read(0, artifact.length);
      expect(s.blocksFetched).toBeGreaterThan(n);
    } finally {
      await empty.close();
    }
  });
});

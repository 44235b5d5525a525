import { CarWriter } from '@ipld/car';
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import type { CID } from 'multiformats/cid';

export interface UnixfsImport {
  /** The file's root CID (CIDv1, dag-pb root, raw leaves). */
  cid: CID;
  /** Every block of the DAG, as a CARv1 whose root is `cid`. */
  car: Uint8Array;
  blocks: number;
}

/**
 * Imports bytes as a UnixFS file with Kubo's defaults for CIDv1 (`ipfs add --cid-version 1`: 256 KiB fixed-size
 * chunks, raw leaves, balanced layout with 174 links per node), so the CID is the one `ipfs add` prints, and
 * writes the blocks as a CARv1 (the format `ipfs dag import` and pinning services take).
 */
export async function importAsCar(bytes: Uint8Array): Promise<UnixfsImport> {
  const blocks: { cid: CID; bytes: Uint8Array }[] = [];
  const store = {
    put(cid: CID, b: Uint8Array) {
      blocks.push({ cid, bytes: b });
      return cid;
    },
  };
  let root: CID | undefined;
  for await (const entry of importer([{ content: bytes }], store as never, {
    cidVersion: 1,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize: 262_144 }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  })) {
    root = entry.cid as unknown as CID;
  }
  const { writer, out } = CarWriter.create([root!]);
  const chunks: Uint8Array[] = [];
  const collect = (async () => {
    for await (const c of out) chunks.push(c);
  })();
  const seen = new Set<string>();
  for (const b of blocks) {
    const k = b.cid.toString();
    if (seen.has(k)) continue; // identical chunks are one block
    seen.add(k);
    await writer.put(b as never);
  }
  await writer.close();
  await collect;
  const car = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    car.set(c, o);
    o += c.length;
  }
  return { cid: root!, car, blocks: seen.size };
}

// The S3 and IPFS sources in a real browser page (Debian's Chromium via @fayger/browser-harness): SigV4 signing
// with aws4fetch on WebCrypto, CORS, *.localhost virtual hosts, UnixFS blocks hashed with WebCrypto.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING_MESSAGE, chromiumAvailable, runInPage } from '@fayger/browser-harness';
import { importUnixfs, startGateway, startS3, type GatewayFixture, type S3Fixture } from '@fayger/test-servers';
import { createEd25519Signer, generateEd25519KeyPair, trustedRootEntry } from '@fayger/security';
import { packBuf } from '../../src/index.js';
import { manifest, nodeDigest } from '../helpers.js';

const available = chromiumAvailable();
let s3: S3Fixture;
let gw: GatewayFixture;
let bad: GatewayFixture;
let cid = '';
let roots = '';
const big = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 9);

describe.skipIf(!available)(
  `S3Source and IpfsSource in Chromium${available ? '' : ` [skipped: ${CHROMIUM_MISSING_MESSAGE}]`}`,
  () => {
    beforeAll(async () => {
      s3 = await startS3();
      gw = await startGateway();
      const kp = generateEd25519KeyPair();
      roots = JSON.stringify({ version: 1, keys: [trustedRootEntry(kp.publicKey, { publishers: ['*'] })] });
      const bytes = await packBuf(
        manifest(),
        [
          { name: 'main', kind: 'code', data: new Uint8Array(3000).fill(1), required: true },
          { name: 'big', kind: 'data', data: big, chunkSize: 16_384 },
        ],
        { digest: nodeDigest, signers: [createEd25519Signer(kp.secretKey)] },
      );
      await s3.put('app.buf', bytes);
      cid = (await importUnixfs(bytes, gw.blocks, { chunkSize: 65_536 })).cid.toString();
      bad = await startGateway(gw.blocks);
      bad.faults.corrupt.add(cid);
    });
    afterAll(async () => {
      await s3?.close();
      await gw?.close();
      await bad?.close();
    });

    it('reads a signed BuF lazily from s3:// (virtual-host, signed in the page) and ipfs:// (verified blocks)', async () => {
      const r = await runInPage<Record<string, any>>(fileURLToPath(new URL('./sources-page.ts', import.meta.url)), {
        define: {
          __S3_ENDPOINT__: JSON.stringify(s3.endpoint.replace('127.0.0.1', 's3.localhost')),
          __S3_KEY__: JSON.stringify({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }),
          __GATEWAY__: JSON.stringify(gw.url),
          __BAD_GATEWAY__: JSON.stringify(bad.url),
          __CID__: JSON.stringify(cid),
          __ROOTS__: JSON.stringify(roots),
        },
        timeoutMs: 60_000,
      });
      expect(r.value.userAgent).toMatch(/Chrome/);
      expect(r.value.s3).toMatchObject({ isS3: true, id: manifest().id, signed: 1, main: 3000 });
      expect(r.value.s3.url).toMatch(/^http:\/\/bufs\.s3\.localhost:\d+\/app\.buf$/);
      expect(
        s3.log
          .filter((l) => l.method === 'GET')
          .every((l) => l.host.startsWith('bufs.s3.localhost') && l.status === 206),
      ).toBe(true);
      expect(r.value.ipfs).toMatchObject({
        isIpfs: true,
        id: manifest().id,
        main: 3000,
        part: [...big.subarray(100_000, 100_016)],
      });
      expect(r.value.ipfs.blocks).toBeLessThan(6);
      expect(r.value.corrupt).toBe('LOADER_IPFS_BLOCK_INVALID');
    }, 120_000);
  },
);

// Runs inside Chromium (bundled by @fayger/browser-harness): opens a signed BuF from s3:// (SigV4 signed in the
// page, virtual-host-style on *.s3.localhost) and from ipfs:// (blocks from a trustless gateway, each verified with
// WebCrypto SHA-256), lazily, through the loader's one resolver.
import { IpfsSource, S3Source, loadBuf, openSource } from '@fayger/loader';
import { createTrustVerifier, detectDigestProvider, parseTrustedRoots } from '@fayger/security';

declare const __S3_ENDPOINT__: string;
declare const __S3_KEY__: { accessKeyId: string; secretAccessKey: string };
declare const __GATEWAY__: string;
declare const __CID__: string;
declare const __BAD_GATEWAY__: string;
declare const __ROOTS__: string;

const w = window as unknown as { __faygerDone(v: unknown): void; __faygerFail(m: string): void };

async function main() {
  const digest = detectDigestProvider();
  const trust = createTrustVerifier({ roots: parseTrustedRoots(__ROOTS__), policy: { threshold: 1 } });
  const opts = {
    digest,
    trust,
    profile: { host: 'browser' },
    supportedInterfaceVersions: ['1.0.0'],
    strategy: 'lazy' as const,
  };
  const out: Record<string, unknown> = { digest: digest.name, userAgent: navigator.userAgent };

  const s3 = await openSource('s3://bufs/app.buf', {
    s3: { endpoint: __S3_ENDPOINT__, region: 'us-east-1', credentials: __S3_KEY__, addressing: 'virtual' },
  });
  const a = await loadBuf(s3, opts);
  out.s3 = {
    isS3: s3 instanceof S3Source,
    url: (s3 as S3Source).objectUrl,
    id: a.manifest.id,
    signed: a.signature.result.verifiedKeyIds.length,
    main: (await a.section('main')).length,
    requests: (s3 as S3Source).requests,
  };

  const ipfs = await openSource(`ipfs://${__CID__}`, { ipfs: { gateways: [__GATEWAY__] } });
  const b = await loadBuf(ipfs, opts);
  const part = await b.sectionRange('big', 100_000, 16);
  out.ipfs = {
    isIpfs: ipfs instanceof IpfsSource,
    id: b.manifest.id,
    main: (await b.section('main')).length,
    part: [...part],
    blocks: (ipfs as IpfsSource).blocksFetched,
  };

  // A corrupted block is caught in the page too.
  try {
    await openSource(`ipfs://${__CID__}`, { ipfs: { gateways: [__BAD_GATEWAY__], retries: 0 } }).then((s) => s.size());
    out.corrupt = 'not detected';
  } catch (e) {
    out.corrupt = (e as { code?: string }).code;
  }
  w.__faygerDone(out);
}

main().catch((e: unknown) =>
  w.__faygerFail(e instanceof Error ? `${(e as { code?: string }).code ?? ''} ${e.message}\n${e.stack}` : String(e)),
);

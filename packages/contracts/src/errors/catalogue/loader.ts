import type { ErrorCodeInfo } from '../types.js';

/** Codes raised by @fayger/loader (docs/spec/buf-v1.md names the rule each one enforces). */
export const loaderCodes = {
  LOADER_BAD_MAGIC: {
    layer: 'loader',
    title: 'The source does not start with the BuF magic bytes.',
    remedy: 'Check that the source is a BuF artifact (not HTML, an error page or another format).',
  },
  LOADER_TRUNCATED: {
    layer: 'loader',
    title: 'The artifact is shorter than its header, index or a section says it is.',
    remedy: 'The file was cut short (interrupted download or copy); fetch it again.',
  },
  LOADER_LENGTH_MISMATCH: {
    layer: 'loader',
    title: 'The header total length differs from the source size (trailing bytes or truncation).',
    remedy: 'Re-download the artifact; a BuF file ends exactly at its signature section.',
  },
  LOADER_FORMAT_UNSUPPORTED: {
    layer: 'loader',
    title: 'The BuF format major version or a critical feature flag is not supported by this loader.',
    remedy: 'Upgrade @fayger/loader, or repackage the artifact for BuF format 1.x without unknown critical features.',
  },
  LOADER_ARTIFACT_KIND: {
    layer: 'loader',
    title:
      'The file is a BuF-family artifact of another kind than the one asked for: an instance snapshot given as an app BuF, or the reverse.',
    remedy:
      'Give loadBuf / `fayger run` the app .buf file; resume a snapshot with `fayger resume` or `fayger.resume()` (docs/spec/snapshot-v1.md).',
  },
  LOADER_HEADER_INVALID: {
    layer: 'loader',
    title: 'A BuF header field is out of range or inconsistent.',
    remedy: 'The artifact is corrupt or was written by a broken tool; rebuild it with @fayger/loader.',
  },
  LOADER_DIGEST_ALGORITHM_UNSUPPORTED: {
    layer: 'loader',
    title: 'The header names a digest algorithm this loader does not know.',
    remedy: 'BuF v1 defines sha256 (code 1) only; rebuild the artifact with sha256.',
  },
  LOADER_MANIFEST_INVALID: {
    layer: 'loader',
    title: 'The manifest is not valid UTF-8 canonical JSON matching the manifest schema.',
    remedy: 'Rebuild the artifact with the builder; the message lists the failing fields.',
  },
  LOADER_INDEX_INVALID: {
    layer: 'loader',
    title: 'The section index is malformed (bad field, unknown kind, misaligned or overlapping sections, duplicates).',
    remedy: 'The artifact is corrupt or ambiguous; rebuild it with the builder.',
  },
  LOADER_LIMIT_EXCEEDED: {
    layer: 'loader',
    title:
      'The manifest, index or signature section is larger, or holds more entries, than the loader caps allow (docs/spec/buf-v1.md §11).',
    remedy:
      'Nothing legitimate comes near these caps: the artifact is hostile or corrupt. Split it into several artifacts if it is genuine.',
  },
  LOADER_PADDING_NONZERO: {
    layer: 'loader',
    title: 'Alignment padding between regions contains non-zero bytes.',
    remedy: 'The artifact was modified after packing; fetch or rebuild it.',
  },
  LOADER_ROOT_DIGEST_MISMATCH: {
    layer: 'loader',
    title: 'The header, manifest and index do not hash to the root digest recorded in the signature section.',
    remedy: 'The artifact was modified after signing or assembled from different artifacts; fetch it again.',
  },
  LOADER_SECTION_DIGEST_MISMATCH: {
    layer: 'loader',
    title: 'A section body (or one of its chunks) does not match its digest in the index.',
    remedy: 'The artifact was modified or the source returned wrong bytes; fetch it again.',
  },
  LOADER_SIGNATURE_SECTION_INVALID: {
    layer: 'loader',
    title: 'The signature section is malformed.',
    remedy: 'Re-sign the artifact with the builder or the CLI.',
  },
  LOADER_UNSIGNED: {
    layer: 'loader',
    title: 'The artifact carries no signature and the caller did not allow unsigned artifacts.',
    remedy: 'Sign the artifact, or pass { trust: { allowUnsigned: true } } for development only.',
  },
  LOADER_INTERFACE_UNSUPPORTED: {
    layer: 'loader',
    title: "No Runtime_Interface version supported by this runtime satisfies the manifest's range.",
    remedy: 'Upgrade the runtime, or rebuild the artifact against a Runtime_Interface range the runtime supports.',
  },
  LOADER_REQUIRED_OVER_BUDGET: {
    layer: 'loader',
    title: 'The required sections (with their dependencies) do not fit the byte budget of the load profile.',
    remedy: 'Raise LoadProfile.byteBudget by at least the amount in the message, or make sections optional.',
  },
  LOADER_ENTRY_MISSING: {
    layer: 'loader',
    title: 'The manifest entry names a section that is absent or not a code section.',
    remedy: 'Point manifest.entry.section at the name of a code section in the artifact.',
  },
  LOADER_DEPENDENCY_MISSING: {
    layer: 'loader',
    title: 'A section depends on a section id that is not in the index.',
    remedy: 'Rebuild the artifact so every dependsOn target exists.',
  },
  LOADER_DEPENDENCY_CYCLE: {
    layer: 'loader',
    title: 'Section dependencies form a cycle.',
    remedy: 'Remove the cycle from the sections dependsOn lists and rebuild.',
  },
  LOADER_SECTION_NOT_FOUND: {
    layer: 'loader',
    title: 'No section with that name or id exists in the artifact.',
    remedy: 'Check the name against LoadedBuf.sections.',
  },
  LOADER_SECTION_NOT_SELECTED: {
    layer: 'loader',
    title: 'The section exists but was not selected by the load profile.',
    remedy: 'See LoadedBuf.selection for why; adjust the LoadProfile to include it.',
  },
  LOADER_RANGE_INVALID: {
    layer: 'loader',
    title: 'A requested byte range lies outside the section or source.',
    remedy: 'Request offset and length within the section raw length.',
  },
  LOADER_SOURCE_SHORT_READ: {
    layer: 'loader',
    title: 'The source returned fewer or more bytes than requested.',
    remedy: 'The backing file or server changed or is faulty; retry, or fix the source implementation.',
    retryable: true,
  },
  LOADER_SOURCE_CHANGED: {
    layer: 'loader',
    title: 'The source changed between two reads (ETag, size or content range differ).',
    remedy: 'The artifact was replaced while loading; load it again from the start.',
    retryable: true,
  },
  LOADER_SOURCE_IO: {
    layer: 'loader',
    title: 'The source failed to read (file system or network error).',
    remedy: 'Check the path or URL and permissions; the cause holds the underlying error.',
    retryable: true,
  },
  LOADER_HTTP_STATUS: {
    layer: 'loader',
    title: 'The HTTP server answered with an unexpected status.',
    remedy: 'Check the URL and that the server allows GET with Range requests.',
  },
  LOADER_HTTP_RANGE_UNSUPPORTED: {
    layer: 'loader',
    title: 'The server ignored the Range header and the whole body exceeds the fallback cap.',
    remedy: 'Serve the artifact from a server that supports byte ranges, or raise maxFallbackBytes.',
  },
  LOADER_HTTP_BAD_CONTENT_RANGE: {
    layer: 'loader',
    title: 'A 206 response carried a missing or wrong Content-Range header.',
    remedy: 'Fix the server or proxy so it returns exactly the requested range.',
  },
  LOADER_HTTP_RANGE_NOT_SATISFIABLE: {
    layer: 'loader',
    title: 'The server answered 416 Range Not Satisfiable.',
    remedy: 'The file on the server is shorter than expected (replaced or truncated); reload it.',
    retryable: true,
  },
  LOADER_HTTP_TIMEOUT: {
    layer: 'loader',
    title: 'An HTTP request did not complete within the timeout.',
    remedy: 'Check connectivity or raise timeoutMs.',
    retryable: true,
  },
  LOADER_HTTP_FAILED: {
    layer: 'loader',
    title: 'HTTP requests kept failing (5xx or network errors) after all retries.',
    remedy: 'Check the server and network; the cause holds the last failure.',
    retryable: true,
  },
  LOADER_SOURCE_UNSUPPORTED: {
    layer: 'loader',
    title:
      'openSource was given a reference it cannot open (unknown URL scheme, malformed URL, or a file path where files are unavailable).',
    remedy:
      'Use a path, file:, http(s):, s3: or ipfs: URL, register the scheme (registerSourceScheme / options.schemes), or import openSource from @fayger/loader/node for files.',
  },
  LOADER_S3_CREDENTIALS_MISSING: {
    layer: 'loader',
    title:
      'No S3 credentials were found (options, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the profile in the AWS credentials file).',
    remedy:
      'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE with ~/.aws/credentials), pass credentials, or pass anonymous: true for a public bucket.',
  },
  LOADER_S3_ACCESS_DENIED: {
    layer: 'loader',
    title:
      'The S3 service refused the request (403: unknown access key, signature mismatch, access denied, expired token).',
    remedy:
      'Check the access key, secret and session token, the region, and that the key may s3:GetObject on this object; the S3 error code is in the message.',
  },
  LOADER_S3_NOT_FOUND: {
    layer: 'loader',
    title: 'The S3 bucket or key does not exist (404 NoSuchKey / NoSuchBucket).',
    remedy: 'Check the bucket and key in the s3:// URL, the endpoint, and the addressing style (path or virtual-host).',
  },
  LOADER_IPFS_CID_INVALID: {
    layer: 'loader',
    title: 'An ipfs:// reference is not a valid CID (or path), or uses a codec or hash this loader cannot verify.',
    remedy:
      'Use ipfs://<CIDv0 or CIDv1>[/path] with dag-pb or raw blocks hashed with sha2-256 (or identity), as ipfs add / fayger push produce.',
  },
  LOADER_IPFS_BLOCK_INVALID: {
    layer: 'loader',
    title: 'A block fetched from IPFS does not hash to the CID it was requested by (corrupted, or the wrong block).',
    remedy: 'The gateway or blockstore served wrong bytes; use another gateway. No byte of the block was used.',
  },
  LOADER_IPFS_BLOCK_MISSING: {
    layer: 'loader',
    title: 'No configured gateway or blockstore has a block of the DAG.',
    remedy:
      'Check the CID and that the content is provided (pinned) where the gateway can reach it; try another gateway.',
    retryable: true,
  },
  LOADER_IPFS_NOT_A_FILE: {
    layer: 'loader',
    title:
      'The CID (and path) does not name a UnixFS file (a directory, a sharded directory, a symlink or a non-UnixFS DAG).',
    remedy: "Point at the file itself, or at a directory plus the file's path: ipfs://<dir CID>/app.buf.",
  },
  LOADER_IPFS_PATH_NOT_FOUND: {
    layer: 'loader',
    title: 'A path segment of an ipfs:// URL is not a link of the directory it is looked up in.',
    remedy: 'Check the path; list the directory with `ipfs ls <CID>`.',
  },
  LOADER_IPFS_DAG_INVALID: {
    layer: 'loader',
    title:
      'A UnixFS node is malformed or inconsistent (block sizes do not add up to the file size, a link is missing).',
    remedy: 'The DAG was built by a broken tool; re-add the file with ipfs add or fayger push.',
  },
  LOADER_BUILD_INVALID: {
    layer: 'loader',
    title: 'The builder was given input it cannot serialize (bad names, duplicate sections, limits).',
    remedy: 'Fix the builder input named in the message.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

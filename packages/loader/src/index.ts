// Public API of @fayger/loader. Every export is listed by name (no `export *`). Node-only sources live
// in '@fayger/loader/node'.

export { loadBuf } from './load-buf.js';
export { serializeBuf, builderFromLoaded } from './serialize.js';
export { BufBuilder, packBuf } from './builder/builder.js';
export type { SectionInput, BuildOptions, BuilderOptions } from './builder/builder.js';
export { MemorySource } from './sources/memory-source.js';
export { HttpRangeSource } from './sources/http-range-source.js';
export type { HttpRangeSourceOptions } from './sources/http-range-source.js';
export type { RetryOptions } from './sources/retry.js';
export { S3Source, parseS3Url, resolveS3, signS3Request } from './sources/s3-source.js';
export type { S3Credentials, S3Options, S3SourceOptions, ResolvedS3 } from './sources/s3-source.js';
export { IpfsSource, TrustlessGateway, parseIpfsUrl, verifyBlock } from './sources/ipfs-source.js';
export type { BlockGetter, IpfsSourceOptions, TrustlessGatewayOptions } from './sources/ipfs-source.js';
export { openSource, registerSourceScheme, hasUrlScheme } from './open-source.js';
export type { OpenSourceOptions, SourceOpener } from './open-source.js';
export { canonicalJson } from './format/canonical-json.js';
export { MAGIC as BUF_MAGIC, HEADER_LENGTH as BUF_HEADER_LENGTH } from './format/constants.js';
export { encodeSnapshot } from './snapshot/encode.js';
export type { EncodeSnapshotOptions } from './snapshot/encode.js';
export {
  loadSnapshot,
  openSnapshot,
  isSnapshotHeader,
  DEFAULT_MAX_MEMORY_PAGES,
  SNAPSHOT_PUBLISHER,
} from './snapshot/load.js';
export type { LoadSnapshotOptions, LoadedSnapshot } from './snapshot/load.js';

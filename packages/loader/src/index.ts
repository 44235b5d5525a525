// Public API of @fayger/loader. Every export is listed by name (no `export *`). Node-only sources live
// in '@fayger/loader/node'.

export { loadBuf } from './load-buf.js';
export { serializeBuf, builderFromLoaded } from './serialize.js';
export { BufBuilder, packBuf } from './builder/builder.js';
export type { SectionInput, BuildOptions, BuilderOptions } from './builder/builder.js';
export { MemorySource } from './sources/memory-source.js';
export { HttpRangeSource } from './sources/http-range-source.js';
export type { HttpRangeSourceOptions } from './sources/http-range-source.js';
export { canonicalJson } from './format/canonical-json.js';
export { MAGIC as BUF_MAGIC, HEADER_LENGTH as BUF_HEADER_LENGTH } from './format/constants.js';
